<?php
/**
 * Plugin Name: kenzy
 * Description: Site glue written by kenzy. Mail is logged instead of sent, because mail()
 * runs a program and process execution is disabled for every site.
 */
add_filter(
	'pre_wp_mail',
	function ( $return, $atts ) {
		error_log( sprintf( 'kenzy: mail not sent (to: %s, subject: %s)', implode( ',', (array) $atts['to'] ), $atts['subject'] ) );
		return false;
	},
	10,
	2
);
add_filter( 'xmlrpc_enabled', '__return_false' );
remove_action( 'wp_head', 'wp_generator' );
