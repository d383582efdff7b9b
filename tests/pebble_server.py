"""A real Pebble ACME server on loopback, checking DNS-01 against a given DNS server."""

from __future__ import annotations

import json
import os
import shutil
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from daemon import daemon, free_port


@dataclass
class PebbleServer:
    directory_url: str
    ca_bundle: Path
    """Trust for Pebble's own HTTPS endpoint."""
    management_url: str

    def root_pem(self) -> bytes:
        """The root that Pebble's issued certificates chain to."""
        return httpx.get(f"{self.management_url}/roots/0", verify=_trust(self.ca_bundle), trust_env=False).content


def _trust(ca: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca))


def _make_ca(root: Path) -> tuple[Path, Path, Path]:
    """A CA and a localhost certificate for Pebble's HTTPS listener (the package ships none)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import datetime
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kenzy test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = root / "ca.pem", root / "cert.pem", root / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@contextmanager
def pebble(dns_server: str, *, http_port: int | None = None) -> Iterator[PebbleServer]:
    """Pebble checking DNS-01 at ``dns_server`` and HTTP-01 on ``http_port`` of each name."""
    if shutil.which("pebble") is None:
        import pytest

        pytest.skip("Pebble is not installed (Debian package pebble)")
    root = Path(tempfile.mkdtemp(prefix="kenzy-pebble-"))
    ca, cert, key = _make_ca(root)
    port, mport = free_port(), free_port()
    (root / "config.json").write_text(json.dumps({"pebble": {
        "listenAddress": f"127.0.0.1:{port}", "managementListenAddress": f"127.0.0.1:{mport}",
        "certificate": str(cert), "privateKey": str(key), "httpPort": http_port or free_port(), "tlsPort": free_port(),
        "ocspResponderURL": "", "externalAccountBindingRequired": False,
    }}))
    env = {**os.environ, "PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "0"}
    server = PebbleServer(f"https://127.0.0.1:{port}/dir", ca, f"https://127.0.0.1:{mport}")
    args = ["pebble", "-config", str(root / "config.json"), "-dnsserver", dns_server]
    with daemon(args, root, lambda: httpx.get(server.directory_url, verify=_trust(ca), trust_env=False), "Pebble", env):
        yield server
