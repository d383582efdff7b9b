<?php
/**
 * kenzy: write ACF field groups into the site in ACF's own storage format, idempotently.
 *   - local JSON: <theme>/acf-json/<group key>.json (what ACF loads first when present)
 *   - posts: acf-field-group (post_content = serialized settings, post_name = key) and
 *     acf-field (post_excerpt = field name, post_parent = group or parent field)
 * Re-importing updates posts found by key and deletes fields no longer in the blueprint.
 * Request: groups (ACF field groups), theme_dir, digest (of the groups: equal = nothing to do).
 */
global $wpdb;
$kenzy_stats = array( 'groups' => 0, 'fields' => 0, 'created' => 0, 'updated' => 0, 'deleted' => 0 );

function kenzy_find_post( $type, $key ) {
	global $wpdb;
	return (int) $wpdb->get_var( $wpdb->prepare( "SELECT ID FROM {$wpdb->posts} WHERE post_type = %s AND post_name = %s ORDER BY ID LIMIT 1", $type, $key ) );
}

function kenzy_upsert( $type, $key, $data ) {
	global $kenzy_stats;
	$id = kenzy_find_post( $type, $key );
	$data = array_merge(
		$data,
		array( 'post_type' => $type, 'post_name' => $key, 'comment_status' => 'closed', 'ping_status' => 'closed' )
	);
	if ( $id ) {
		$data['ID'] = $id;
		$result     = wp_update_post( wp_slash( $data ), true );
		$kenzy_stats['updated']++;
	} else {
		$result = wp_insert_post( wp_slash( $data ), true );
		$kenzy_stats['created']++;
	}
	if ( is_wp_error( $result ) ) {
		fwrite( STDERR, 'kenzy: cannot save ' . $key . ': ' . $result->get_error_message() . "\n" );
		exit( 1 );
	}
	return (int) $result;
}

function kenzy_save_fields( $fields, $parent_id, &$keep ) {
	global $kenzy_stats;
	foreach ( array_values( $fields ) as $order => $field ) {
		$settings = $field;
		foreach ( array( 'ID', 'key', 'label', 'name', 'prefix', 'value', 'menu_order', 'id', 'class', 'parent', '_name', '_prepare', '_valid', 'sub_fields' ) as $drop ) {
			unset( $settings[ $drop ] );
		}
		$id = kenzy_upsert(
			'acf-field',
			$field['key'],
			array(
				'post_status'  => 'publish',
				'post_title'   => $field['label'],
				'post_excerpt' => $field['name'],
				'post_content' => maybe_serialize( $settings ),
				'post_parent'  => $parent_id,
				'menu_order'   => $order,
			)
		);
		$keep[] = $id;
		$kenzy_stats['fields']++;
		if ( ! empty( $field['sub_fields'] ) ) {
			kenzy_save_fields( $field['sub_fields'], $id, $keep );
		}
	}
}

function kenzy_children( $parent_id ) {
	global $wpdb;
	$ids = $wpdb->get_col( $wpdb->prepare( "SELECT ID FROM {$wpdb->posts} WHERE post_type = 'acf-field' AND post_parent = %d", $parent_id ) );
	$all = array_map( 'intval', $ids );
	foreach ( $all as $id ) {
		$all = array_merge( $all, kenzy_children( $id ) );
	}
	return $all;
}

$json_dir = $in['theme_dir'] . '/acf-json';
// Nothing changed since the last import: the posts and files are already what they must be.
if ( get_option( 'kenzy_acf_digest' ) === $in['digest'] && is_dir( $json_dir ) ) {
	$kenzy_stats['groups']     = count( $in['groups'] );
	$kenzy_stats['fields']     = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'acf-field'" );
	$kenzy_stats['acf_active'] = function_exists( 'acf_get_field_groups' );
	$kenzy_stats['unchanged']  = true;
	file_put_contents( $json_dir . '/.kenzy-digest', $in['digest'] );
	kenzy_done( $kenzy_stats );
}
wp_suspend_cache_invalidation( true );
if ( ! is_dir( $json_dir ) ) {
	mkdir( $json_dir, 0750, true );
}
$now = time();
foreach ( $in['groups'] as $group ) {
	$settings = $group;
	foreach ( array( 'ID', 'key', 'title', 'menu_order', 'fields', 'active', '_valid', 'local', 'modified' ) as $drop ) {
		unset( $settings[ $drop ] );
	}
	$group_id = kenzy_upsert(
		'acf-field-group',
		$group['key'],
		array(
			'post_status'  => ( ! isset( $group['active'] ) || $group['active'] ) ? 'publish' : 'acf-disabled',
			'post_title'   => $group['title'],
			'post_excerpt' => sanitize_title( $group['title'] ),
			'post_content' => maybe_serialize( $settings ),
			'menu_order'   => isset( $group['menu_order'] ) ? (int) $group['menu_order'] : 0,
		)
	);
	$kenzy_stats['groups']++;
	$keep = array();
	kenzy_save_fields( $group['fields'], $group_id, $keep );
	foreach ( array_diff( kenzy_children( $group_id ), $keep ) as $stale ) {
		wp_delete_post( $stale, true );
		$kenzy_stats['deleted']++;
	}
	$local             = $group;
	$local['modified'] = $now;
	file_put_contents( $json_dir . '/' . $group['key'] . '.json', wp_json_encode( $local, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) );
}
wp_suspend_cache_invalidation( false );
update_option( 'kenzy_acf_groups', wp_list_pluck( $in['groups'], 'key' ), false );
update_option( 'kenzy_acf_digest', $in['digest'], false );
file_put_contents( $json_dir . '/.kenzy-digest', $in['digest'] );
$kenzy_stats['unchanged'] = false;
if ( function_exists( 'acf_get_store' ) ) {
	acf_get_store( 'field-groups' )->reset();
	acf_get_store( 'fields' )->reset();
}
$kenzy_stats['acf_active'] = function_exists( 'acf_get_field_groups' );
kenzy_done( $kenzy_stats );
