<?php
/**
 * kenzy: set WordPress's home and siteurl (e.g. after the site moved to HTTPS). Request: home.
 */
update_option( 'siteurl', $in['home'] );
update_option( 'home', $in['home'] );
wp_cache_flush();
kenzy_done( array( 'home' => get_option( 'home' ) ) );
