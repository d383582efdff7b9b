<?php
/**
 * kenzy: write a site's content. Request:
 *   front    {title, slug}          the static front page (created once, found by slug)
 *   pages    [{slug, title, section}] extra pages, each showing one section of the front page
 *   images   [{role, file, alt, title, width, height, sizes}] files under uploads/ to register as
 *            attachments; kenzy made the resized copies too, so WordPress does not resize
 *   meta     {meta_key: value}      ACF-format values for the front page ("@image:<role>" = that attachment's ID)
 *   prefixes [field names]          every meta key kenzy owns starts with one: cleared first
 *   options  {option: value}        WordPress options (blogdescription, kenzy_*)
 */
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

$uploads = wp_upload_dir();
$images  = array();
foreach ( $in['images'] as $image ) {
	$file     = $uploads['basedir'] . '/' . $image['file'];
	$existing = get_posts( array( 'post_type' => 'attachment', 'post_status' => 'inherit', 'meta_key' => '_kenzy_image', 'meta_value' => $image['role'], 'fields' => 'ids', 'numberposts' => 1 ) );
	$data     = array( 'post_mime_type' => 'image/webp', 'post_title' => $image['title'], 'post_status' => 'inherit', 'post_parent' => $front_id );
	if ( $existing ) {
		$data['ID'] = $existing[0];
	}
	$id = wp_insert_attachment( wp_slash( $data ), $file, $front_id, true );
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, 'kenzy: cannot add image ' . $image['role'] . ': ' . $id->get_error_message() . "\n" );
		exit( 1 );
	}
	update_attached_file( $id, $file );
	$sizes = array();
	foreach ( $image['sizes'] as $size ) {
		$sizes[ $size['size'] ] = array(
			'file'      => $size['file'],
			'width'     => (int) $size['width'],
			'height'    => (int) $size['height'],
			'mime-type' => 'image/webp',
			'filesize'  => (int) $size['filesize'],
		);
	}
	wp_update_attachment_metadata(
		$id,
		array(
			'width'      => (int) $image['width'],
			'height'     => (int) $image['height'],
			'file'       => $image['file'],
			'filesize'   => (int) filesize( $file ),
			'sizes'      => $sizes,
			'image_meta' => array(),
		)
	);
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
