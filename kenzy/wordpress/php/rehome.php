<?php
/**
 * kenzy: after a clone restore, make the copied site its own. Every stored copy of the old
 * address (posts, their meta, options; serialized values unserialized first, so lengths stay
 * right) points at the new one, and the admin user gets the clone's own password.
 * Request: from (old host[:port]), to (new host[:port]), home, admin_user, admin_password.
 */
global $wpdb;

function kenzy_rehome_value( $value, $from, $to ) {
	if ( is_array( $value ) ) {
		foreach ( $value as $k => $v ) {
			$value[ $k ] = kenzy_rehome_value( $v, $from, $to );
		}
		return $value;
	}
	return is_string( $value ) ? str_replace( $from, $to, $value ) : $value;
}

function kenzy_rehome_raw( $raw, $from, $to ) {
	if ( is_serialized( $raw ) ) {
		$data = @unserialize( $raw, array( 'allowed_classes' => false ) );
		return ( false === $data && 'b:0;' !== $raw ) ? $raw : serialize( kenzy_rehome_value( $data, $from, $to ) );
	}
	return str_replace( $from, $to, $raw );
}

$from    = '//' . $in['from'];
$to      = '//' . $in['to'];
$like    = '%' . $wpdb->esc_like( $from ) . '%';
$changed = 0;
$tables  = array(
	array( $wpdb->posts, 'ID', array( 'post_content', 'post_excerpt', 'guid' ) ),
	array( $wpdb->postmeta, 'meta_id', array( 'meta_value' ) ),
	array( $wpdb->options, 'option_id', array( 'option_value' ) ),
	array( $wpdb->usermeta, 'umeta_id', array( 'meta_value' ) ),
);
foreach ( $tables as list( $table, $id, $columns ) ) {
	foreach ( $columns as $column ) {
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT $id AS id, $column AS v FROM $table WHERE $column LIKE %s", $like ) );
		foreach ( $rows as $row ) {
			$new = kenzy_rehome_raw( $row->v, $from, $to );
			if ( $new !== $row->v ) {
				$wpdb->update( $table, array( $column => $new ), array( $id => $row->id ) );
				++$changed;
			}
		}
	}
}
update_option( 'siteurl', $in['home'] );
update_option( 'home', $in['home'] );
$user = get_user_by( 'login', $in['admin_user'] );
if ( $user ) {
	wp_set_password( $in['admin_password'], $user->ID );
}
wp_cache_flush();
kenzy_done( array( 'home' => get_option( 'home' ), 'changed' => $changed, 'admin' => (bool) $user ) );
