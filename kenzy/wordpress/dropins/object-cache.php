<?php
/**
 * kenzy's Redis object cache drop-in. Each site connects as its own Redis ACL user that may
 * only touch keys under its prefix; SCAN and KEYS are denied, so a flush bumps a
 * generation counter instead of deleting keys (old generations expire by TTL).
 * Without phpredis, or when Redis is unreachable, the request uses a per-request cache.
 */
if ( ! defined( 'KENZY_REDIS_SOCKET' ) || ! class_exists( 'Redis' ) ) {
	return;
}

class Kenzy_Object_Cache {
	const TTL = 86400;
	public $cache_hits   = 0;
	public $cache_misses = 0;
	private $redis       = null;
	private $local       = array();
	private $global      = array();
	private $local_only  = array();
	private $prefix;
	private $gen = '0';
	private $blog = '';

	public function __construct() {
		$this->prefix = KENZY_REDIS_PREFIX;
		try {
			$redis = new Redis();
			if ( $redis->connect( KENZY_REDIS_SOCKET, 0, 1.0 ) && $redis->auth( array( KENZY_REDIS_USER, KENZY_REDIS_PASSWORD ) ) ) {
				$gen = $redis->get( $this->prefix . 'gen' );
				$this->gen = false === $gen ? '0' : (string) $gen;
				$redis->setOption( Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP );
				$this->redis = $redis;
			}
		} catch ( Exception $e ) {
			$this->redis = null;
		}
	}

	public function connected() {
		return null !== $this->redis;
	}

	private function key( $key, $group ) {
		$group = '' === $group ? 'default' : $group;
		$blog  = isset( $this->global[ $group ] ) ? '' : $this->blog;
		return $this->prefix . $this->gen . ':' . $blog . $group . ':' . $key;
	}

	private function remote( $group ) {
		return null !== $this->redis && ! isset( $this->local_only[ '' === $group ? 'default' : $group ] );
	}

	private function copy( $data ) {
		return is_object( $data ) ? clone $data : $data;
	}

	public function get( $key, $group = 'default', $force = false, &$found = null ) {
		$k = $this->key( $key, $group );
		if ( array_key_exists( $k, $this->local ) && ! ( $force && $this->remote( $group ) ) ) {
			$found = true;
			$this->cache_hits++;
			return $this->copy( $this->local[ $k ] );
		}
		if ( $this->remote( $group ) ) {
			try {
				$box = $this->redis->get( $k );
			} catch ( Exception $e ) {
				$box = false;
			}
			if ( is_array( $box ) && array_key_exists( 0, $box ) ) {
				$this->local[ $k ] = $box[0];
				$found             = true;
				$this->cache_hits++;
				return $this->copy( $box[0] );
			}
		}
		$found = false;
		$this->cache_misses++;
		return false;
	}

	public function set( $key, $data, $group = 'default', $expire = 0, $mode = null ) {
		$k    = $this->key( $key, $group );
		$data = $this->copy( $data );
		if ( $this->remote( $group ) ) {
			$options = array( 'ex' => $expire > 0 ? (int) $expire : self::TTL );
			if ( $mode ) {
				$options[] = $mode;
			}
			try {
				$ok = $this->redis->set( $k, array( $data ), $options );
			} catch ( Exception $e ) {
				$ok = false;
			}
			if ( ! $ok && $mode ) {
				return false;
			}
		} elseif ( 'nx' === $mode && array_key_exists( $k, $this->local ) ) {
			return false;
		} elseif ( 'xx' === $mode && ! array_key_exists( $k, $this->local ) ) {
			return false;
		}
		$this->local[ $k ] = $data;
		return true;
	}

	public function delete( $key, $group = 'default' ) {
		$k       = $this->key( $key, $group );
		$existed = array_key_exists( $k, $this->local );
		unset( $this->local[ $k ] );
		if ( $this->remote( $group ) ) {
			try {
				$existed = $this->redis->del( $k ) > 0 || $existed;
			} catch ( Exception $e ) {
				return $existed;
			}
		}
		return $existed;
	}

	public function incr( $key, $offset = 1, $group = 'default' ) {
		$value = $this->get( $key, $group, true, $found );
		if ( ! $found ) {
			return false;
		}
		$value = max( 0, (int) $value + (int) $offset );
		$this->set( $key, $value, $group );
		return $value;
	}

	public function flush() {
		$this->local = array();
		if ( null !== $this->redis ) {
			try {
				$this->redis->setOption( Redis::OPT_SERIALIZER, Redis::SERIALIZER_NONE );
				$this->gen = (string) $this->redis->incr( $this->prefix . 'gen' );
				$this->redis->setOption( Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP );
			} catch ( Exception $e ) {
				return false;
			}
		}
		return true;
	}

	public function flush_runtime() {
		$this->local = array();
		return true;
	}

	public function add_global_groups( $groups ) {
		foreach ( (array) $groups as $group ) {
			$this->global[ $group ] = true;
		}
	}

	public function add_non_persistent_groups( $groups ) {
		foreach ( (array) $groups as $group ) {
			$this->local_only[ $group ] = true;
		}
	}

	public function switch_to_blog( $blog_id ) {
		$this->blog = is_multisite() ? (int) $blog_id . ':' : '';
	}

	public function close() {
		if ( null !== $this->redis ) {
			try {
				$this->redis->close();
			} catch ( Exception $e ) {
				return false;
			}
		}
		return true;
	}
}

function wp_cache_init() {
	$GLOBALS['wp_object_cache'] = new Kenzy_Object_Cache();
}
function wp_cache_add( $key, $data, $group = '', $expire = 0 ) {
	if ( wp_suspend_cache_addition() ) {
		return false;
	}
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, $expire, 'nx' );
}
function wp_cache_replace( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, $expire, 'xx' );
}
function wp_cache_set( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, $expire );
}
function wp_cache_get( $key, $group = '', $force = false, &$found = null ) {
	return $GLOBALS['wp_object_cache']->get( $key, $group, $force, $found );
}
function wp_cache_delete( $key, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete( $key, $group );
}
function wp_cache_incr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, $offset, $group );
}
function wp_cache_decr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, -$offset, $group );
}
function wp_cache_flush() {
	return $GLOBALS['wp_object_cache']->flush();
}
function wp_cache_flush_runtime() {
	return $GLOBALS['wp_object_cache']->flush_runtime();
}
function wp_cache_close() {
	return $GLOBALS['wp_object_cache']->close();
}
function wp_cache_add_global_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_global_groups( $groups );
}
function wp_cache_add_non_persistent_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_non_persistent_groups( $groups );
}
function wp_cache_switch_to_blog( $blog_id ) {
	$GLOBALS['wp_object_cache']->switch_to_blog( $blog_id );
}
function wp_cache_reset() {
	return $GLOBALS['wp_object_cache']->flush_runtime();
}
function wp_cache_supports( $feature ) {
	return in_array( $feature, array( 'flush_runtime' ), true );
}
