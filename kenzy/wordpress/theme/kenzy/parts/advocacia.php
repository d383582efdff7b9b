<?php
/** Advocacia: practice areas, consultations, experience, team, OAB registration. */
if ( kenzy_show( $kenzy_only, 'areas_atuacao' ) ) {
	kenzy_cards( 'areas', kenzy_t( 'areas' ), (array) kenzy_field( 'areas_atuacao' ), 'titulo', 'descricao' );
}
if ( null === $kenzy_only ) {
	$kenzy_consultas = (array) kenzy_field( 'consultas' );
	if ( ! empty( $kenzy_consultas['texto'] ) ) {
		printf( '<section class="section wrap" id="consultas" aria-labelledby="h-consultas"><h2 id="h-consultas">%s</h2><p>%s</p></section>', esc_html( kenzy_t( 'consultations' ) ), wp_kses( $kenzy_consultas['texto'], array( 'br' => array() ) ) );
	}
	kenzy_cards( 'casos', kenzy_t( 'cases' ), (array) kenzy_field( 'casos_sucesso' ), 'titulo', 'resumo' );
	kenzy_cards( 'equipe', kenzy_t( 'team' ), (array) kenzy_field( 'equipe' ), 'nome', 'bio', 'cargo' );
	$kenzy_oab = (string) kenzy_field( 'oab' );
	if ( $kenzy_oab ) {
		printf( '<p class="wrap registration">%s: %s</p>', esc_html( kenzy_t( 'oab' ) ), esc_html( $kenzy_oab ) );
	}
}
