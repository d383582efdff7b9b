<?php
/**
 * kenzy: empty the site's object cache (after its database was restored underneath it).
 */
kenzy_done( array( 'flushed' => wp_cache_flush() ) );
