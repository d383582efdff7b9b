<?php
/**
 * kenzy: run one WordPress step inside the cluster, as the local runtime does on one machine.
 * Usage: php run_step.php <step>. The step's request is /kenzy/requests/<step>.json (no
 * secrets); the admin password comes from the environment, never from argv or a file.
 */
$kenzy_step = isset( $argv[1] ) ? basename( $argv[1] ) : '';
$kenzy_request = json_decode( (string) file_get_contents( "/kenzy/requests/$kenzy_step.json" ), true );
if ( ! is_array( $kenzy_request ) ) {
	fwrite( STDERR, "kenzy: no request for step '$kenzy_step'\n" );
	exit( 2 );
}
if ( 'install' === $kenzy_step ) {
	$kenzy_request['admin_password'] = getenv( 'KENZY_ADMIN_PASSWORD' );
}
require '/kenzy/php/_bootstrap.php';
require "/kenzy/php/$kenzy_step.php";
