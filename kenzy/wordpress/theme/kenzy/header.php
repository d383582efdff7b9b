<!doctype html>
<html <?php language_attributes(); ?>>
<head>
<meta charset="<?php bloginfo( 'charset' ); ?>">
<meta name="viewport" content="width=device-width, initial-scale=1">
<?php wp_head(); ?>
</head>
<body <?php body_class(); ?>>
<?php wp_body_open(); ?>
<a class="skip" href="#conteudo"><?php echo esc_html( kenzy_t( 'skip' ) ); ?></a>
<header class="site-header" role="banner">
	<div class="wrap bar">
		<a class="brand" href="<?php echo esc_url( home_url( '/' ) ); ?>">
			<?php echo kenzy_image( kenzy_field( 'logo' ), 'thumbnail' ); // phpcs:ignore ?>
			<span class="brand-name"><?php bloginfo( 'name' ); ?></span>
		</a>
		<nav class="nav" aria-label="<?php echo esc_attr( kenzy_t( 'menu_nav' ) ); ?>">
			<ul>
				<li><a href="<?php echo esc_url( home_url( '/#sobre' ) ); ?>"><?php echo esc_html( kenzy_t( 'about' ) ); ?></a></li>
				<?php foreach ( (array) get_option( 'kenzy_pages', array() ) as $page ) : ?>
				<li><a href="<?php echo esc_url( home_url( '/' . $page['slug'] . '/' ) ); ?>"><?php echo esc_html( $page['title'] ); ?></a></li>
				<?php endforeach; ?>
				<li><a href="<?php echo esc_url( home_url( '/#contato' ) ); ?>"><?php echo esc_html( kenzy_t( 'contact' ) ); ?></a></li>
			</ul>
		</nav>
	</div>
</header>
