<?php
/**
 * kenzy: load WordPress for a CLI step. kenzy prepends $kenzy_request (docroot, url, ...;
 * installing = true for install.php, which runs before WordPress is installed).
 */
$in = isset( $kenzy_request ) ? $kenzy_request : null;
if ( ! is_array( $in ) ) {
	fwrite( STDERR, "kenzy: no request\n" );
	exit( 2 );
}
$kenzy_url_parts         = parse_url( $in['url'] );
$_SERVER['HTTP_HOST']   = $kenzy_url_parts['host'] . ( isset( $kenzy_url_parts['port'] ) ? ':' . $kenzy_url_parts['port'] : '' );
$_SERVER['SERVER_NAME'] = $kenzy_url_parts['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PORT'] = isset( $kenzy_url_parts['port'] ) ? $kenzy_url_parts['port'] : 80;
if ( ! empty( $in['installing'] ) ) {
	define( 'WP_INSTALLING', true ); // install.php: translations stay on (default content is localised)
} else {
	// These steps print nothing for people: skip parsing translation files (~100 ms each run).
	$GLOBALS['wp_filter'] = array(
		'override_load_textdomain' => array( 10 => array( array( 'function' => '__return_true', 'accepted_args' => 1 ) ) ),
	);
}
require $in['docroot'] . '/wp-load.php';
kses_remove_filters();

/** Print the result as JSON on stdout and stop. */
function kenzy_done( $result ) {
	echo "\n@@KENZY@@" . wp_json_encode( $result );
	exit( 0 );
}
