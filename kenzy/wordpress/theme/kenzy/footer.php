<?php
$kenzy_hours   = (array) kenzy_field( 'horarios' );
$kenzy_options = (array) kenzy_field( 'opcoes' );
$kenzy_phone   = (string) kenzy_field( 'telefone' );
$kenzy_email   = (string) kenzy_field( 'email' );
$kenzy_address = trim( implode( ', ', array_filter( array( (string) kenzy_field( 'endereco' ), (string) kenzy_field( 'cidade' ) ) ) ) );
$kenzy_map     = (string) kenzy_field( 'mapa_url' );
?>
<footer class="site-footer" role="contentinfo" id="contato">
	<div class="wrap cols">
		<section aria-labelledby="h-contato">
			<h2 id="h-contato"><?php echo esc_html( kenzy_t( 'contact' ) ); ?></h2>
			<?php kenzy_buttons( kenzy_actions(), 'footer-actions' ); ?>
			<dl class="facts">
				<?php if ( $kenzy_address ) : ?>
				<dt><?php echo esc_html( kenzy_t( 'address' ) ); ?></dt>
				<dd><?php echo esc_html( $kenzy_address ); ?><?php if ( $kenzy_map ) : ?> · <a href="<?php echo esc_url( $kenzy_map ); ?>" target="_blank" rel="noopener"><?php echo esc_html( kenzy_t( 'map' ) ); ?><span class="sr-only"> <?php echo esc_html( kenzy_t( 'new_tab' ) ); ?></span></a><?php endif; ?></dd>
				<?php endif; ?>
				<?php if ( $kenzy_phone ) : ?>
				<dt><?php echo esc_html( kenzy_t( 'phone' ) ); ?></dt>
				<dd><a href="tel:<?php echo esc_attr( preg_replace( '/[^\d+]/', '', $kenzy_phone ) ); ?>"><?php echo esc_html( $kenzy_phone ); ?></a></dd>
				<?php endif; ?>
				<?php if ( $kenzy_email ) : ?>
				<dt><?php echo esc_html( kenzy_t( 'email' ) ); ?></dt>
				<dd><a href="mailto:<?php echo esc_attr( antispambot( $kenzy_email ) ); ?>"><?php echo esc_html( antispambot( $kenzy_email ) ); ?></a></dd>
				<?php endif; ?>
				<?php if ( ! empty( $kenzy_options['pix'] ) ) : ?>
				<dt><?php echo esc_html( kenzy_t( 'pix_key' ) ); ?></dt>
				<dd class="pix"><span class="badge"><?php echo esc_html( kenzy_t( 'pix' ) ); ?></span> <code><?php echo esc_html( $kenzy_options['pix'] ); ?></code></dd>
				<?php endif; ?>
			</dl>
		</section>
		<?php if ( $kenzy_hours ) : ?>
		<section aria-labelledby="h-horarios">
			<h2 id="h-horarios"><?php echo esc_html( kenzy_t( 'hours' ) ); ?></h2>
			<dl class="hours">
				<?php foreach ( $kenzy_hours as $row ) : ?>
				<dt><?php echo esc_html( $row['dias'] ); ?></dt>
				<dd><?php echo esc_html( $row['horas'] ); ?></dd>
				<?php endforeach; ?>
			</dl>
		</section>
		<?php endif; ?>
	</div>
	<?php if ( ! empty( $kenzy_options['lgpd'] ) ) : ?>
	<p class="wrap lgpd"><strong><?php echo esc_html( kenzy_t( 'privacy' ) ); ?>:</strong> <?php echo esc_html( kenzy_t( 'lgpd' ) ); ?></p>
	<?php endif; ?>
	<p class="wrap copy">&copy; <?php echo esc_html( gmdate( 'Y' ) ); ?> <?php bloginfo( 'name' ); ?></p>
</footer>
<?php wp_footer(); ?>
</body>
</html>
