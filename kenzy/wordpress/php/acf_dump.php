<?php
/**
 * kenzy: the ACF posts of a site as ACF stores them (for checks): groups and fields by key,
 * with their post fields and unserialized settings.
 */
global $wpdb;
$out = array( 'groups' => array(), 'fields' => array() );
foreach ( array( 'acf-field-group' => 'groups', 'acf-field' => 'fields' ) as $type => $bucket ) {
	$rows = $wpdb->get_results( $wpdb->prepare( "SELECT ID, post_name, post_title, post_excerpt, post_content, post_parent, post_status, menu_order FROM {$wpdb->posts} WHERE post_type = %s", $type ), ARRAY_A );
	foreach ( $rows as $row ) {
		$row['ID']          = (int) $row['ID'];
		$row['post_parent'] = (int) $row['post_parent'];
		$row['settings']    = maybe_unserialize( $row['post_content'] );
		unset( $row['post_content'] );
		$out[ $bucket ][ $row['post_name'] ] = $row;
	}
}
kenzy_done( $out );
