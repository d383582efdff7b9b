<?php
get_header();
$kenzy_section_name = (string) get_post_meta( get_the_ID(), '_kenzy_section', true );
?>
<main id="conteudo" role="main" class="page-section">
	<header class="wrap page-head"><h1><?php the_title(); ?></h1></header>
	<?php
	if ( $kenzy_section_name ) {
		kenzy_section( $kenzy_section_name );
	} else {
		while ( have_posts() ) {
			the_post();
			echo '<div class="wrap prose">';
			the_content();
			echo '</div>';
		}
	}
	?>
</main>
<?php
get_footer();
