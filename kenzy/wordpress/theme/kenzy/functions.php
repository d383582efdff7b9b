<?php
/**
 * kenzy theme setup. Later blueprint templates build on this.
 */
add_action(
	'after_setup_theme',
	function () {
		add_theme_support( 'title-tag' );
		add_theme_support( 'html5', array( 'search-form', 'gallery', 'caption', 'style', 'script' ) );
		load_theme_textdomain( 'kenzy', get_template_directory() . '/languages' );
	}
);
add_action(
	'wp_enqueue_scripts',
	function () {
		wp_enqueue_style( 'kenzy', get_stylesheet_uri(), array(), wp_get_theme()->get( 'Version' ) );
		wp_dequeue_script( 'jquery' );
	}
);
