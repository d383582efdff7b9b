<?php
/** Academia: classes, memberships and the free trial. */
if ( null === $kenzy_only ) {
	kenzy_cards( 'modalidades', kenzy_t( 'modalities' ), (array) kenzy_field( 'modalidades' ), 'nome', 'descricao' );
	$kenzy_options = (array) kenzy_field( 'opcoes' );
	if ( ! empty( $kenzy_options['aula_experimental'] ) ) {
		printf( '<p class="wrap notice"><span class="badge">%s</span></p>', esc_html( kenzy_t( 'trial' ) ) );
	}
}
if ( kenzy_show( $kenzy_only, 'planos' ) ) {
	kenzy_cards( 'planos', kenzy_t( 'plans' ), (array) kenzy_field( 'planos' ), 'nome', 'beneficios', 'preco', 'month' );
}
