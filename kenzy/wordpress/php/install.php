<?php
/**
 * kenzy: install WordPress without wp-cli (after _bootstrap.php loaded it with WP_INSTALLING).
 * Run as the site's user by the PHP CLI; outbound HTTP is blocked by wp-config.
 */
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/translation-install.php';

$already = is_blog_installed();
if ( ! $already ) {
	$result = wp_install(
		$in['title'],
		$in['admin_user'],
		$in['admin_email'],
		true,
		'',
		wp_slash( $in['admin_password'] ),
		$in['locale'] === 'en_US' ? '' : $in['locale']
	);
}
update_option( 'siteurl', $in['url'] );
update_option( 'home', $in['url'] );
update_option( 'blogname', $in['title'] );
update_option( 'blogdescription', $in['tagline'] );
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'default_comment_status', 'closed' );
update_option( 'default_ping_status', 'closed' );
if ( wp_get_theme( 'kenzy' )->exists() ) {
	switch_theme( 'kenzy' );
}
flush_rewrite_rules( true );
wp_cache_flush();

kenzy_done(
	array(
		'installed'    => ! $already,
		'version'      => get_bloginfo( 'version' ),
		'locale'       => get_locale(),
		'theme'        => get_stylesheet(),
		'object_cache' => wp_using_ext_object_cache(),
	)
);
