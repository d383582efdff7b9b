<?php
/**
 * kenzy: write a site's content. Request:
 *   front    {title, slug}          the static front page (created once, found by slug)
 *   pages    [{slug, title, section}] extra pages, each showing one section of the front page
 *   images   [{role, file, alt, title}] files under uploads/ to register as attachments
 *   meta     {meta_key: value}      ACF-format values for the front page ("@image:<role>" = that attachment's ID)
 *   prefixes [field names]          every meta key kenzy owns starts with one: cleared first
 *   options  {option: value}        WordPress options (blogdescription, kenzy_*)
 */
require_once ABSPATH . 'wp-admin/includes/image.php';
global $wpdb;

function kenzy_page( $slug, $title, $parent = 0 ) {
	$found = get_page_by_path( $slug, OBJECT, 'page' );
	$data  = array( 'post_type' => 'page', 'post_name' => $slug, 'post_title' => $title, 'post_status' => 'publish', 'post_content' => '', 'comment_status' => 'closed', 'ping_status' => 'closed' );
	if ( $found ) {
		$data['ID'] = $found->ID;
		return (int) wp_update_post( wp_slash( $data ) );
	}
	return (int) wp_insert_post( wp_slash( $data ) );
}

$front_id = kenzy_page( $in['front']['slug'], $in['front']['title'] );
update_option( 'show_on_front', 'page' );
update_option( 'page_on_front', $front_id );

// The default "Hello world" post and "Sample Page" have no place on a business site.
foreach ( array( 'hello-world' => 'post', 'sample-page' => 'page', 'pagina-exemplo' => 'page', 'ola-mundo' => 'post' ) as $slug => $type ) {
	$sample = get_page_by_path( $slug, OBJECT, $type );
	if ( $sample ) {
		wp_delete_post( $sample->ID, true );
	}
}

$page_ids = array();
foreach ( $in['pages'] as $page ) {
	$id = kenzy_page( $page['slug'], $page['title'] );
	update_post_meta( $id, '_kenzy_section', $page['section'] );
	$page_ids[] = $id;
}

// Only the sizes the theme uses: each extra WebP size costs an encode.
add_filter(
	'intermediate_image_sizes_advanced',
	function ( $sizes ) {
		return array_intersect_key( $sizes, array_flip( array( 'thumbnail', 'medium_large', 'large' ) ) );
	}
);
add_filter( 'big_image_size_threshold', '__return_false' );
$uploads = wp_upload_dir();
$images  = array();
foreach ( $in['images'] as $image ) {
	$file     = $uploads['basedir'] . '/' . $image['file'];
	$existing = get_posts( array( 'post_type' => 'attachment', 'post_status' => 'inherit', 'meta_key' => '_kenzy_image', 'meta_value' => $image['role'], 'fields' => 'ids', 'numberposts' => 1 ) );
	$data     = array( 'post_mime_type' => 'image/webp', 'post_title' => $image['title'], 'post_status' => 'inherit', 'post_parent' => $front_id );
	if ( $existing ) {
		$data['ID'] = $existing[0];
		// Old generated sizes go with the old file.
		$old_meta = wp_get_attachment_metadata( $existing[0] );
		if ( $old_meta && ! empty( $old_meta['sizes'] ) ) {
			foreach ( $old_meta['sizes'] as $size ) {
				$old = path_join( dirname( $file ), $size['file'] );
				if ( $old !== $file && file_exists( $old ) ) {
					unlink( $old );
				}
			}
		}
	}
	$id = wp_insert_attachment( wp_slash( $data ), $file, $front_id, true );
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, 'kenzy: cannot add image ' . $image['role'] . ': ' . $id->get_error_message() . "\n" );
		exit( 1 );
	}
	update_attached_file( $id, $file );
	wp_update_attachment_metadata( $id, wp_generate_attachment_metadata( $id, $file ) );
	update_post_meta( $id, '_wp_attachment_image_alt', $image['alt'] );
	update_post_meta( $id, '_kenzy_image', $image['role'] );
	$images[ $image['role'] ] = (int) $id;
}

// Clear every meta row kenzy owns on the front page, then write the new ones.
foreach ( $in['prefixes'] as $prefix ) {
	$like = $wpdb->esc_like( $prefix ) . '\_%';
	$wpdb->query(
		$wpdb->prepare(
			"DELETE FROM {$wpdb->postmeta} WHERE post_id = %d AND (meta_key = %s OR meta_key = %s OR meta_key LIKE %s OR meta_key LIKE %s)",
			$front_id, $prefix, '_' . $prefix, $like, '\_' . $like
		)
	);
}
wp_cache_delete( $front_id, 'post_meta' );
$written = 0;
foreach ( $in['meta'] as $key => $value ) {
	if ( is_string( $value ) && 0 === strpos( $value, '@image:' ) ) {
		$role  = substr( $value, 7 );
		$value = isset( $images[ $role ] ) ? (string) $images[ $role ] : '';
	}
	add_post_meta( $front_id, $key, wp_slash( $value ) );
	$written++;
}
if ( isset( $images['hero'] ) ) {
	set_post_thumbnail( $front_id, $images['hero'] );
}
foreach ( $in['options'] as $name => $value ) {
	update_option( $name, $value );
}
if ( isset( $images['logo'] ) ) {
	set_theme_mod( 'custom_logo', $images['logo'] );
	update_option( 'site_icon', $images['logo'] );
}
wp_cache_flush();
kenzy_done(
	array(
		'front_page' => $front_id,
		'pages'      => $page_ids,
		'images'     => $images,
		'meta_rows'  => $written,
	)
);
