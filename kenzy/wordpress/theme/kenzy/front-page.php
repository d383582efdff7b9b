<?php
get_header();
$kenzy_hero = (int) kenzy_field( 'hero_imagem' );
?>
<main id="conteudo" role="main">
	<section class="hero" aria-labelledby="h-hero">
		<?php if ( $kenzy_hero ) : ?>
		<div class="hero-media"><?php echo kenzy_image( $kenzy_hero, 'kenzy-hero', true ); // phpcs:ignore ?></div>
		<?php endif; ?>
		<div class="wrap hero-text">
			<p class="eyebrow"><?php bloginfo( 'name' ); ?><?php if ( kenzy_field( 'cidade' ) ) : ?> · <?php echo esc_html( kenzy_field( 'cidade' ) ); ?><?php endif; ?></p>
			<h1 id="h-hero"><?php echo esc_html( kenzy_field( 'hero_titulo' ) ); ?></h1>
			<p class="lead"><?php echo esc_html( kenzy_field( 'hero_subtitulo' ) ); ?></p>
			<?php kenzy_buttons( kenzy_actions() ); ?>
		</div>
	</section>
	<section class="about wrap" id="sobre" aria-labelledby="h-sobre">
		<h2 id="h-sobre"><?php echo esc_html( kenzy_t( 'about' ) ); ?></h2>
		<div class="prose"><?php echo wp_kses_post( kenzy_field( 'sobre' ) ); ?></div>
	</section>
	<?php kenzy_section( null ); ?>
</main>
<?php
get_footer();
