<?php
get_header();
?>
<main id="conteudo" role="main" class="wrap">
	<?php if ( have_posts() ) : ?>
		<?php while ( have_posts() ) : the_post(); ?>
		<article <?php post_class(); ?>>
			<h1><?php the_title(); ?></h1>
			<div class="prose"><?php the_content(); ?></div>
		</article>
		<?php endwhile; ?>
	<?php else : ?>
		<h1><?php bloginfo( 'name' ); ?></h1>
	<?php endif; ?>
</main>
<?php
get_footer();
