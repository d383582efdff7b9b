<?php
/**
 * kenzy: read back what a site holds, for checks and tests. Request: keys (meta prefixes).
 * Returns the front page's meta rows kenzy owns, post and field counts, and, when ACF is
 * active, the values ACF itself returns for each field name.
 */
global $wpdb;
$front_id = (int) get_option( 'page_on_front' );
$meta     = array();
foreach ( get_post_meta( $front_id ) as $key => $values ) {
	foreach ( $in['keys'] as $prefix ) {
		if ( $key === $prefix || $key === '_' . $prefix || 0 === strpos( $key, $prefix . '_' ) || 0 === strpos( $key, '_' . $prefix . '_' ) ) {
			$meta[ $key ] = maybe_unserialize( $values[0] );
			break;
		}
	}
}
$counts = array();
foreach ( array( 'acf-field-group', 'acf-field', 'page', 'attachment' ) as $type ) {
	$counts[ $type ] = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = %s", $type ) );
}
$counts['postmeta'] = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->postmeta}" );
$acf                = null;
if ( function_exists( 'get_field' ) ) {
	$acf = array();
	foreach ( $in['keys'] as $name ) {
		$acf[ $name ] = get_field( $name, $front_id, false );
	}
}
kenzy_done(
	array(
		'front_page' => $front_id,
		'meta'       => $meta,
		'counts'     => $counts,
		'acf'        => $acf,
		'template'   => get_option( 'kenzy_template' ),
		'groups'     => get_option( 'kenzy_acf_groups' ),
	)
);
