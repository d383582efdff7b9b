<?php
/** Restaurante: the menu by category, delivery and reservations. $kenzy_only: one section or all. */
if ( kenzy_show( $kenzy_only, 'menu' ) ) :
	$kenzy_dishes     = (array) kenzy_field( 'pratos' );
	$kenzy_categories = (array) kenzy_field( 'categorias_menu' );
	$kenzy_names      = wp_list_pluck( $kenzy_categories, 'nome' );
	foreach ( $kenzy_dishes as $dish ) {
		if ( ! in_array( $dish['categoria'], $kenzy_names, true ) ) {
			$kenzy_categories[] = array( 'nome' => $dish['categoria'], 'descricao' => '' );
			$kenzy_names[]      = $dish['categoria'];
		}
	}
	?>
	<section class="section wrap menu" id="cardapio" aria-labelledby="h-cardapio">
		<h2 id="h-cardapio"><?php echo esc_html( kenzy_t( 'menu' ) ); ?></h2>
		<p class="intro"><?php echo wp_kses( (string) kenzy_field( 'menu_intro' ), array( 'br' => array() ) ); ?></p>
		<?php foreach ( $kenzy_categories as $category ) : ?>
			<?php
			$kenzy_in = array_filter(
				$kenzy_dishes,
				function ( $dish ) use ( $category ) {
					return $dish['categoria'] === $category['nome'];
				}
			);
			if ( ! $kenzy_in ) {
				continue;
			}
			?>
			<h3 class="menu-category"><?php echo esc_html( $category['nome'] ); ?></h3>
			<?php if ( ! empty( $category['descricao'] ) ) : ?><p class="muted"><?php echo esc_html( $category['descricao'] ); ?></p><?php endif; ?>
			<ul class="dishes">
				<?php foreach ( $kenzy_in as $dish ) : ?>
				<li class="dish<?php echo ! empty( $dish['destaque'] ) ? ' is-featured' : ''; ?>">
					<p class="dish-line"><span class="dish-name"><?php echo esc_html( $dish['nome'] ); ?></span><span class="dots" aria-hidden="true"></span><span class="dish-price"><?php echo esc_html( kenzy_price( $dish['preco'] ) ); ?></span></p>
					<p class="dish-desc"><?php echo esc_html( $dish['descricao'] ); ?><?php if ( ! empty( $dish['destaque'] ) ) : ?> <span class="badge"><?php echo esc_html( kenzy_t( 'featured' ) ); ?></span><?php endif; ?></p>
				</li>
				<?php endforeach; ?>
			</ul>
		<?php endforeach; ?>
	</section>
	<?php
endif;
if ( null === $kenzy_only ) :
	$kenzy_delivery = (array) kenzy_field( 'delivery' );
	$kenzy_reservas = (array) kenzy_field( 'reservas' );
	if ( ! empty( $kenzy_delivery['ativo'] ) || ! empty( $kenzy_reservas['ativo'] ) ) :
		?>
	<section class="section wrap perks" aria-label="<?php echo esc_attr( kenzy_t( 'delivery' ) ); ?>">
		<ul class="cards">
			<?php if ( ! empty( $kenzy_delivery['ativo'] ) ) : ?>
			<li class="card"><h3><?php echo esc_html( kenzy_t( 'delivery' ) ); ?></h3><p><?php echo esc_html( $kenzy_delivery['texto'] ); ?></p>
				<?php if ( ! empty( $kenzy_delivery['ifood_url'] ) ) : ?><p><a class="btn btn-ifood" href="<?php echo esc_url( $kenzy_delivery['ifood_url'] ); ?>" target="_blank" rel="noopener"><?php echo esc_html( kenzy_t( 'ifood' ) ); ?><span class="sr-only"> <?php echo esc_html( kenzy_t( 'new_tab' ) ); ?></span></a></p><?php endif; ?>
			</li>
			<?php endif; ?>
			<?php if ( ! empty( $kenzy_reservas['ativo'] ) ) : ?>
			<li class="card"><h3><?php echo esc_html( kenzy_t( 'book_table' ) ); ?></h3><p><?php echo esc_html( $kenzy_reservas['texto'] ); ?></p></li>
			<?php endif; ?>
		</ul>
	</section>
		<?php
	endif;
endif;
