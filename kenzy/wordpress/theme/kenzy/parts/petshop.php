<?php
/** Pet shop: services with prices, products, pick-up and drop-off. */
if ( kenzy_show( $kenzy_only, 'servicos' ) ) {
	kenzy_cards( 'servicos', kenzy_t( 'services' ), (array) kenzy_field( 'servicos' ), 'nome', 'descricao', 'preco', 'price' );
}
if ( null === $kenzy_only ) {
	$kenzy_options = (array) kenzy_field( 'opcoes' );
	if ( ! empty( $kenzy_options['leva_e_traz'] ) ) {
		printf( '<p class="wrap notice"><span class="badge">%s</span></p>', esc_html( kenzy_t( 'pickup' ) ) );
	}
	kenzy_cards( 'produtos', kenzy_t( 'products' ), (array) kenzy_field( 'produtos' ), 'nome', 'descricao' );
}
