<?php
/** Saúde: specialties, clinicians, procedures, health plans, telemedicine, technical lead. */
if ( kenzy_show( $kenzy_only, 'especialidades' ) ) {
	kenzy_cards( 'especialidades', kenzy_t( 'specialties' ), (array) kenzy_field( 'especialidades' ), 'nome', 'descricao' );
}
if ( null === $kenzy_only ) {
	$kenzy_options = (array) kenzy_field( 'opcoes' );
	if ( ! empty( $kenzy_options['telemedicina'] ) ) {
		printf( '<p class="wrap notice"><span class="badge">%s</span></p>', esc_html( kenzy_t( 'telemedicine' ) ) );
	}
	kenzy_cards( 'medicos', kenzy_t( 'doctors' ), (array) kenzy_field( 'medicos' ), 'nome', 'bio', 'especialidade' );
	kenzy_cards( 'procedimentos', kenzy_t( 'procedures' ), (array) kenzy_field( 'procedimentos' ), 'nome', 'descricao' );
	$kenzy_plans = (array) kenzy_field( 'convenios' );
	if ( $kenzy_plans ) {
		echo '<section class="section wrap" id="convenios" aria-labelledby="h-convenios"><h2 id="h-convenios">' . esc_html( kenzy_t( 'plans_health' ) ) . '</h2><ul class="chips">';
		foreach ( $kenzy_plans as $plan ) {
			echo '<li>' . esc_html( $plan['nome'] ) . '</li>';
		}
		echo '</ul></section>';
	}
	$kenzy_crm = (string) kenzy_field( 'crm' );
	if ( $kenzy_crm ) {
		printf( '<p class="wrap registration">%s: %s</p>', esc_html( kenzy_t( 'tech_lead' ) ), esc_html( $kenzy_crm ) );
	}
}
