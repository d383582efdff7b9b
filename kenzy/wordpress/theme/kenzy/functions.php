<?php
/**
 * kenzy theme: renders a blueprint's sections from field values, read through ACF's
 * get_field() when ACF (or Secure Custom Fields) is active, otherwise from post meta in
 * ACF's storage format, using the field definitions kenzy wrote to acf-json/.
 */

add_action(
	'after_setup_theme',
	function () {
		add_theme_support( 'title-tag' );
		add_theme_support( 'post-thumbnails' );
		add_theme_support( 'custom-logo' );
		add_theme_support( 'html5', array( 'search-form', 'gallery', 'caption', 'style', 'script' ) );
		add_image_size( 'kenzy-hero', 1600, 900, true );
	}
);

// One small stylesheet; none of core's block CSS, emoji script or embeds on a business page.
add_action(
	'wp_enqueue_scripts',
	function () {
		wp_enqueue_style( 'kenzy', get_stylesheet_uri(), array(), wp_get_theme()->get( 'Version' ) );
		foreach ( array( 'wp-block-library', 'wp-block-library-theme', 'global-styles', 'classic-theme-styles' ) as $handle ) {
			wp_dequeue_style( $handle );
		}
		wp_dequeue_script( 'jquery' );
		wp_deregister_script( 'wp-embed' );
	},
	100
);
remove_action( 'wp_head', 'print_emoji_detection_script', 7 );
remove_action( 'wp_print_styles', 'print_emoji_styles' );
remove_action( 'wp_head', 'wp_oembed_add_discovery_links' );
remove_action( 'wp_head', 'wlwmanifest_link' );
remove_action( 'wp_head', 'rsd_link' );
remove_action( 'wp_head', 'wp_generator' );
remove_action( 'wp_body_open', 'wp_global_styles_render_svg_filters' );
remove_action( 'wp_enqueue_scripts', 'wp_enqueue_global_styles' );
remove_action( 'wp_footer', 'wp_enqueue_global_styles', 1 );

/** The locale's string for $key (pt_BR by default, English for en_US). */
function kenzy_t( $key ) {
	static $strings = array(
		'skip'          => array( 'Pular para o conteúdo', 'Skip to content' ),
		'menu_nav'      => array( 'Navegação principal', 'Main navigation' ),
		'about'         => array( 'Sobre nós', 'About us' ),
		'menu'          => array( 'Cardápio', 'Menu' ),
		'hours'         => array( 'Horários', 'Opening hours' ),
		'contact'       => array( 'Contato', 'Contact' ),
		'whatsapp'      => array( 'Fale no WhatsApp', 'Message us on WhatsApp' ),
		'ifood'         => array( 'Peça pelo iFood', 'Order on iFood' ),
		'pix'           => array( 'Aceitamos PIX', 'We accept PIX' ),
		'pix_key'       => array( 'Chave PIX', 'PIX key' ),
		'book_table'    => array( 'Reserve sua mesa', 'Book a table' ),
		'delivery'      => array( 'Delivery', 'Delivery' ),
		'book'          => array( 'Agende um horário', 'Book an appointment' ),
		'consult'       => array( 'Agende uma consulta', 'Book a consultation' ),
		'areas'         => array( 'Áreas de atuação', 'Practice areas' ),
		'consultations' => array( 'Consultas', 'Consultations' ),
		'cases'         => array( 'Experiência', 'Experience' ),
		'team'          => array( 'Equipe', 'Our team' ),
		'specialties'   => array( 'Especialidades', 'Specialties' ),
		'doctors'       => array( 'Corpo clínico', 'Our clinicians' ),
		'procedures'    => array( 'Procedimentos', 'Procedures' ),
		'plans_health'  => array( 'Convênios', 'Health plans' ),
		'telemedicine'  => array( 'Atendimento por telemedicina', 'Telemedicine appointments' ),
		'services'      => array( 'Serviços', 'Services' ),
		'professionals' => array( 'Profissionais', 'Our professionals' ),
		'modalities'    => array( 'Modalidades', 'Classes' ),
		'plans'         => array( 'Planos', 'Memberships' ),
		'trial'         => array( 'Aula experimental grátis', 'Free trial class' ),
		'products'      => array( 'Produtos', 'Products' ),
		'pickup'        => array( 'Leva e traz', 'Pick-up and drop-off' ),
		'from'          => array( 'a partir de', 'from' ),
		'per_month'     => array( '/mês', '/month' ),
		'address'       => array( 'Endereço', 'Address' ),
		'phone'         => array( 'Telefone', 'Phone' ),
		'email'         => array( 'E-mail', 'Email' ),
		'map'           => array( 'Ver no mapa', 'View on the map' ),
		'new_tab'       => array( '(abre em nova aba)', '(opens in a new tab)' ),
		'privacy'       => array( 'Privacidade', 'Privacy' ),
		'lgpd'          => array( 'Tratamos seus dados pessoais conforme a Lei Geral de Proteção de Dados (LGPD), apenas para responder ao seu contato.', 'We handle your personal data under Brazil\'s data protection law (LGPD), only to answer your message.' ),
		'oab'           => array( 'Inscrição na OAB', 'Bar registration' ),
		'tech_lead'     => array( 'Responsável técnico', 'Clinical director' ),
		'featured'      => array( 'Destaque', 'Featured' ),
	);
	$index = ( 'en_US' === get_locale() ) ? 1 : 0;
	return isset( $strings[ $key ] ) ? $strings[ $key ][ $index ] : $key;
}

/** Field definitions by name, from the local JSON kenzy wrote (ACF's own format). */
function kenzy_definitions() {
	static $fields = null;
	if ( null === $fields ) {
		$fields = array();
		foreach ( (array) glob( get_stylesheet_directory() . '/acf-json/*.json' ) as $file ) {
			$group = json_decode( (string) file_get_contents( $file ), true );
			foreach ( isset( $group['fields'] ) ? $group['fields'] : array() as $field ) {
				$fields[ $field['name'] ] = $field;
			}
		}
	}
	return $fields;
}

/** A value from post meta in ACF's format, shaped like get_field() returns it. */
function kenzy_meta_value( $post_id, $field, $key ) {
	$raw = get_post_meta( $post_id, $key, true );
	switch ( $field['type'] ) {
		case 'repeater':
			$rows = array();
			for ( $i = 0; $i < (int) $raw; $i++ ) {
				$row = array();
				foreach ( $field['sub_fields'] as $sub ) {
					$row[ $sub['name'] ] = kenzy_meta_value( $post_id, $sub, $key . '_' . $i . '_' . $sub['name'] );
				}
				$rows[] = $row;
			}
			return $rows;
		case 'group':
			$group = array();
			foreach ( $field['sub_fields'] as $sub ) {
				$group[ $sub['name'] ] = kenzy_meta_value( $post_id, $sub, $key . '_' . $sub['name'] );
			}
			return $group;
		case 'true_false':
			return '1' === (string) $raw;
		case 'image':
			return $raw ? (int) $raw : 0;
		case 'number':
			return '' === $raw ? null : (float) $raw;
		case 'wysiwyg':
			return wpautop( $raw );
		default:
			return $raw;
	}
}

/** The value of front-page field $name (ACF when active, else post meta). */
function kenzy_field( $name ) {
	$post_id = (int) get_option( 'page_on_front' );
	if ( function_exists( 'get_field' ) ) {
		return get_field( $name, $post_id );
	}
	$fields = kenzy_definitions();
	return isset( $fields[ $name ] ) ? kenzy_meta_value( $post_id, $fields[ $name ], $name ) : null;
}

/** Price in the site's currency format. */
function kenzy_price( $value ) {
	if ( null === $value || '' === $value ) {
		return '';
	}
	return 'en_US' === get_locale() ? '$' . number_format( (float) $value, 2, '.', ',' ) : 'R$ ' . number_format( (float) $value, 2, ',', '.' );
}

/** The template chosen by the plan (e.g. restaurant_modern) and its style family. */
function kenzy_template() {
	return (string) get_option( 'kenzy_template', 'restaurant_modern' );
}

function kenzy_style() {
	return false !== strpos( kenzy_template(), 'classic' ) ? 'classic' : 'modern';
}

add_filter(
	'body_class',
	function ( $classes ) {
		$classes[] = 't-' . kenzy_style();
		$classes[] = 'tpl-' . sanitize_html_class( kenzy_template() );
		$classes[] = 'ind-' . sanitize_html_class( (string) get_option( 'kenzy_industry', '' ) );
		return $classes;
	}
);

// The palette comes from kenzy (one source with the images), after the stylesheet (priority 8).
add_action(
	'wp_head',
	function () {
		$palette = (array) get_option( 'kenzy_palette', array() );
		if ( count( $palette ) === 3 ) {
			printf(
				"<style id=\"kenzy-palette\">:root{--dark:%s;--accent:%s;--light:%s}</style>\n",
				esc_html( $palette[0] ),
				esc_html( $palette[1] ),
				esc_html( $palette[2] )
			);
		}
	},
	20
);

// Description and JSON-LD in the head.
add_action(
	'wp_head',
	function () {
		$description = (string) kenzy_field( 'seo_descricao' );
		if ( $description ) {
			printf( "<meta name=\"description\" content=\"%s\">\n", esc_attr( $description ) );
		}
		$data = get_option( 'kenzy_jsonld' );
		if ( is_array( $data ) && is_front_page() ) {
			$hero = (int) kenzy_field( 'hero_imagem' );
			$logo = (int) kenzy_field( 'logo' );
			if ( $hero ) {
				$data['image'] = wp_get_attachment_image_url( $hero, 'full' );
			}
			if ( $logo ) {
				$data['logo'] = wp_get_attachment_image_url( $logo, 'full' );
			}
			echo '<script type="application/ld+json">' . wp_json_encode( $data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_HEX_TAG | JSON_HEX_AMP ) . "</script>\n";
		}
	},
	2
);

/** The call-to-action buttons the plan's options turn on. */
function kenzy_actions() {
	$actions = array();
	$options = (array) kenzy_field( 'opcoes' );
	if ( ! empty( $options['whatsapp'] ) ) {
		$actions[] = array( 'whatsapp', kenzy_t( 'whatsapp' ), 'https://wa.me/' . preg_replace( '/\D/', '', $options['whatsapp'] ), true );
	}
	$delivery = (array) kenzy_field( 'delivery' );
	if ( ! empty( $delivery['ativo'] ) && ! empty( $delivery['ifood_url'] ) ) {
		$actions[] = array( 'ifood', kenzy_t( 'ifood' ), $delivery['ifood_url'], true );
	}
	$reservas = (array) kenzy_field( 'reservas' );
	if ( ! empty( $reservas['ativo'] ) ) {
		$actions[] = array( 'booking', kenzy_t( 'book_table' ), '#contato', false );
	}
	$consultas = (array) kenzy_field( 'consultas' );
	$booking   = ! empty( $consultas['agendamento_url'] ) ? $consultas['agendamento_url'] : ( isset( $options['agendamento_url'] ) ? $options['agendamento_url'] : '' );
	if ( $booking ) {
		$actions[] = array( 'booking', 'advocacia' === get_option( 'kenzy_industry' ) ? kenzy_t( 'consult' ) : kenzy_t( 'book' ), $booking, true );
	}
	if ( ! $actions ) {
		$cta = kenzy_field( 'chamada' );
		if ( is_array( $cta ) && ! empty( $cta['url'] ) ) {
			$actions[] = array( 'contact', $cta['title'], $cta['url'], '_blank' === $cta['target'] );
		}
	}
	return $actions;
}

/** Print the action buttons. */
function kenzy_buttons( $actions, $class = '' ) {
	if ( ! $actions ) {
		return;
	}
	echo '<p class="actions ' . esc_attr( $class ) . '">';
	foreach ( $actions as $i => $action ) {
		list( $kind, $label, $url, $external ) = $action;
		printf(
			'<a class="btn btn-%1$s%2$s" href="%3$s"%4$s>%5$s%6$s</a> ',
			esc_attr( $kind ),
			0 === $i ? ' btn-primary' : '',
			esc_url( $url ),
			$external ? ' target="_blank" rel="noopener"' : '',
			esc_html( $label ),
			$external ? '<span class="sr-only"> ' . esc_html( kenzy_t( 'new_tab' ) ) . '</span>' : ''
		);
	}
	echo '</p>';
}

/** A lazy, sized, responsive image (WebP) with its alt text. */
function kenzy_image( $id, $size = 'large', $eager = false ) {
	if ( ! $id ) {
		return '';
	}
	$attrs = $eager ? array( 'loading' => 'eager', 'fetchpriority' => 'high', 'decoding' => 'async' ) : array( 'loading' => 'lazy', 'decoding' => 'async' );
	return wp_get_attachment_image( (int) $id, $size, false, $attrs );
}

/** Render one industry section by name (used by the front page and the section pages). */
function kenzy_section( $section ) {
	$industry = sanitize_file_name( (string) get_option( 'kenzy_industry', '' ) );
	$file     = get_template_directory() . '/parts/' . $industry . '.php';
	if ( file_exists( $file ) ) {
		$kenzy_only = $section;
		include $file;
	}
}

/** True when the section $name is to be shown ($only is null on the front page: all of them). */
function kenzy_show( $only, $name ) {
	return null === $only || $only === $name;
}

/**
 * A section of cards: $rows of a repeater, $title/$text the sub-field names, $meta an
 * optional sub-field shown as a small line, formatted by $format ('price', 'month' or none).
 */
function kenzy_cards( $id, $heading, $rows, $title, $text = '', $meta = '', $format = '' ) {
	if ( empty( $rows ) ) {
		return;
	}
	printf( '<section class="section wrap" id="%1$s" aria-labelledby="h-%1$s"><h2 id="h-%1$s">%2$s</h2><ul class="cards">', esc_attr( $id ), esc_html( $heading ) );
	foreach ( $rows as $row ) {
		echo '<li class="card">';
		printf( '<h3>%s</h3>', esc_html( $row[ $title ] ) );
		if ( $meta && isset( $row[ $meta ] ) && '' !== $row[ $meta ] && null !== $row[ $meta ] ) {
			$value = $row[ $meta ];
			if ( 'price' === $format ) {
				$value = kenzy_t( 'from' ) . ' ' . kenzy_price( $value );
			} elseif ( 'month' === $format ) {
				$value = kenzy_price( $value ) . kenzy_t( 'per_month' );
			}
			printf( '<p class="meta">%s</p>', esc_html( $value ) );
		}
		if ( $text && ! empty( $row[ $text ] ) ) {
			printf( '<p>%s</p>', wp_kses( $row[ $text ], array( 'br' => array() ) ) );
		}
		echo '</li>';
	}
	echo '</ul></section>';
}
