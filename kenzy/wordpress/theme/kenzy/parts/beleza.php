<?php
/** Beleza: services with prices and the team. */
if ( kenzy_show( $kenzy_only, 'servicos' ) ) {
	kenzy_cards( 'servicos', kenzy_t( 'services' ), (array) kenzy_field( 'servicos' ), 'nome', 'descricao', 'preco', 'price' );
}
if ( null === $kenzy_only ) {
	kenzy_cards( 'profissionais', kenzy_t( 'professionals' ), (array) kenzy_field( 'profissionais' ), 'nome', '', 'especialidade' );
}
