"""HTTPS for local sites: install a certificate, switch the vhost and WordPress to it, and
roll back to HTTP when anything fails. Mixed into `LocalRuntime`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.streams.tls

from kenzy.errors import StackError
from kenzy.models import Site
from kenzy.runtimes.local._templates import write_file

if TYPE_CHECKING:
    from kenzy.runtimes.local._layout import Layout
    from kenzy.runtimes.local._stack import Stack
    from kenzy.settings import Settings
    from kenzy.store import Store

__all__ = ["TlsMixin"]


class TlsMixin:
    """The TLS half of `LocalRuntime` (which provides the attributes declared here)."""

    settings: Settings
    layout: Layout
    stack: Stack
    store: Store

    if TYPE_CHECKING:
        async def active_site(self, subdomain: str) -> Site: ...
        async def _write_vhost(self, site: Site, ctx: Any) -> None: ...
        async def _php(self, site: Site, script: str, request: dict[str, Any]) -> dict[str, Any]: ...
        async def purge_cache(self, subdomain: str) -> None: ...

    def _tls_files(self, subdomain: str) -> tuple[Path, Path]:
        folder = self.layout.tls / subdomain
        return folder / "fullchain.pem", folder / "privkey.pem"

    async def enable_tls(self, subdomain: str, fullchain_pem: bytes, key_pem: bytes) -> Site:
        """Serve the site over HTTPS with this certificate: HTTP redirects, HSTS, WordPress's
        URLs and ``FORCE_SSL_ADMIN`` switched. A failure puts the HTTP vhost back.

        Raises:
            SiteNotFound: there is no such active site.
            StackError: nginx refused the configuration (the site keeps serving HTTP).
        """
        site = await self.active_site(subdomain)
        ctx = self.stack.context()
        cert, key = self._tls_files(subdomain)
        previous = (cert.read_bytes(), key.read_bytes()) if cert.exists() and key.exists() else None
        cert.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(cert.parent, 0o700 if not self.settings.is_root else 0o750)
        write_file(key, key_pem.decode(), mode=0o600)
        write_file(cert, fullchain_pem.decode(), mode=0o644)
        https_port = self.settings.https_port
        url = f"https://{subdomain}.{self.settings.base_domain}" + ("" if https_port == 443 else f":{https_port}")
        try:
            await self._write_vhost(site, ctx)
            await self._wait_for_certificate(subdomain, fullchain_pem)
            await self._php(site, "urls", {"home": url})
            await anyio.to_thread.run_sync(self._force_ssl_admin, subdomain)
        except BaseException:
            with anyio.CancelScope(shield=True):
                if previous is None:
                    cert.unlink(missing_ok=True)
                    key.unlink(missing_ok=True)
                else:
                    write_file(cert, previous[0].decode(), mode=0o644)
                    write_file(key, previous[1].decode(), mode=0o600)
                await self._write_vhost(site, ctx)
                await self._php(site, "urls", {"home": site.url})
            raise
        await self.purge_cache(subdomain)
        return await self.store.update_urls(subdomain, url, f"{url}/wp-admin/")

    async def _wait_for_certificate(self, subdomain: str, fullchain_pem: bytes, *, timeout: float = 20) -> None:
        """Wait until nginx presents this certificate for the site (a reload takes effect
        asynchronously: old workers keep the old configuration for a moment)."""
        import ssl

        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        expected = x509.load_pem_x509_certificate(fullchain_pem).public_bytes(Encoding.DER)
        name = f"{subdomain}.{self.settings.base_domain}"
        address = "127.0.0.1" if self.settings.bind_address in {"0.0.0.0", "::"} else self.settings.bind_address
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # we compare the exact certificate instead
        with anyio.move_on_after(timeout):
            while True:
                try:
                    async with await anyio.connect_tcp(address, self.settings.https_port, ssl_context=context,
                                                       tls_hostname=name) as stream:
                        served = stream.extra(anyio.streams.tls.TLSAttribute.peer_certificate_binary)
                except OSError:
                    served = None
                if served == expected:
                    return
                await anyio.sleep(0.05)
        raise StackError(f"nginx did not start serving the new certificate for {name} on port {self.settings.https_port}")

    def _force_ssl_admin(self, subdomain: str) -> None:
        config = self.layout.site(subdomain).wp_config
        text = config.read_text()
        if "FORCE_SSL_ADMIN" not in text:
            text = text.replace("define( 'DISALLOW_FILE_EDIT', true );",
                                "define( 'DISALLOW_FILE_EDIT', true );\ndefine( 'FORCE_SSL_ADMIN', true );")
            stat = config.stat()
            write_file(config, text, mode=0o600)
            os.chown(config, stat.st_uid, stat.st_gid)

    def acme_webroot(self, subdomain: str) -> Path:
        """The folder the site's vhost serves ``/.well-known/acme-challenge/`` from."""
        return self.layout.acme_webroot(subdomain)

    def certificate(self, subdomain: str) -> bytes | None:
        """The site's certificate chain (PEM), when it has one."""
        cert, _ = self._tls_files(subdomain)
        return cert.read_bytes() if cert.exists() else None
