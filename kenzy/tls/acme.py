"""`AcmeIssuer`: certificates through ACME, proving names with DNS-01 records published by a
`DnsProvider`, or with HTTP-01 files served by the site's vhost.

The ``acme`` package (certbot's) is synchronous: each of its calls runs in a worker thread,
and the DNS steps run on the event loop in between. The account key is kept per directory
(mode 0600). A challenge the server cannot verify raises `CertificateError` naming the
record it looked for, after the challenge records are removed again.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread

from kenzy.dns import DnsProvider, DnsRecord
from kenzy.errors import KenzyError

__all__ = ["DIRECTORIES", "AcmeIssuer", "Certificate", "CertificateError"]

DIRECTORIES = {
    "production": "https://acme-v02.api.letsencrypt.org/directory",
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
}


class CertificateError(KenzyError):
    """The ACME server refused or could not verify; the site was left as it was."""


@dataclass(frozen=True)
class Certificate:
    """An issued certificate: PEM chain and key, and when it expires."""

    fullchain_pem: bytes
    key_pem: bytes
    not_after: datetime.datetime


def _new_key() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def not_after(fullchain_pem: bytes) -> datetime.datetime:
    """Expiry of the first certificate in a PEM chain."""
    from cryptography import x509

    return x509.load_pem_x509_certificate(fullchain_pem).not_valid_after_utc


class AcmeIssuer:
    """Issues certificates from one ACME directory, proving control through DNS-01."""

    def __init__(self, directory_url: str, state_dir: Path, *, email: str | None = None,
                 ca_bundle: Path | None = None, timeout: float = 90) -> None:
        self.directory_url = directory_url
        digest = hashlib.sha256(directory_url.encode()).hexdigest()[:12]
        self._account_key_path = state_dir / digest / "account.pem"
        self._email = email
        self._ca_bundle = ca_bundle
        self._timeout = timeout

    def _account_key(self) -> bytes:
        path = self._account_key_path
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(path.parent, 0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_new_key())
        return path.read_bytes()

    def _client(self) -> Any:
        import josepy
        from acme import client, errors, messages
        from cryptography.hazmat.primitives import serialization

        key = josepy.JWKRSA(key=serialization.load_pem_private_key(self._account_key(), password=None))
        net = client.ClientNetwork(key, user_agent="kenzy", verify_ssl=True)
        if self._ca_bundle is not None:
            # requests takes a CA bundle path wherever it takes verify=True.
            net.verify_ssl = str(self._ca_bundle)  # type: ignore[assignment]
        try:
            directory = client.ClientV2.get_directory(self.directory_url, net)
        except Exception as exc:  # requests/acme errors: the server is unreachable or not ACME
            raise CertificateError(f"cannot reach the ACME server at {self.directory_url}: {type(exc).__name__}") from None
        acme = client.ClientV2(directory, net)
        registration = messages.NewRegistration.from_data(email=self._email, terms_of_service_agreed=True)
        try:
            acme.new_account(registration)
        except errors.ConflictError as exists:  # the key already has an account: sign as it
            net.account = messages.RegistrationResource(uri=exists.location, body=messages.Registration())
        return acme

    async def issue(
        self, domains: list[str], dns: DnsProvider | None = None, *, webroot: Path | None = None
    ) -> Certificate:
        """A certificate for ``domains`` (the first is the subject).

        Proves control with DNS-01 records at ``dns`` or, with ``webroot``, HTTP-01 files the
        site's vhost serves under ``/.well-known/acme-challenge/``.

        Raises:
            CertificateError: the server refused the order or could not verify a challenge.
        """
        from acme import challenges, crypto_util, errors

        kind = challenges.HTTP01 if webroot is not None else challenges.DNS01
        key_pem = _new_key()
        csr = crypto_util.make_csr(key_pem, domains)
        acme = await anyio.to_thread.run_sync(self._client)
        try:
            order = await anyio.to_thread.run_sync(acme.new_order, csr)
        except errors.Error as exc:
            raise CertificateError(f"the ACME server refused the order for {', '.join(domains)}: {exc}") from None
        txt: dict[str, list[str]] = {}
        files: list[Path] = []
        where: dict[str, str] = {}
        pending: list[tuple[Any, Any]] = []
        try:
            for authz in order.authorizations:
                domain = authz.body.identifier.value
                challenge = next((c for c in authz.body.challenges if isinstance(c.chall, kind)), None)
                if challenge is None:
                    raise CertificateError(f"the ACME server offers no {kind.typ} challenge for {domain}")
                response, validation = challenge.response_and_validation(acme.net.key)
                if webroot is not None:
                    path = webroot / challenge.chall.path.lstrip("/")
                    await anyio.to_thread.run_sync(_write_public, path, validation)
                    files.append(path)
                    where[domain] = f"the URL http://{domain}{challenge.chall.path}"
                else:
                    assert dns is not None
                    record = f"_acme-challenge.{domain}"
                    txt.setdefault(record, []).append(validation)
                    await dns.replace(record, "TXT", [DnsRecord(name=record, type="TXT", content=v, ttl=60)
                                                       for v in txt[record]])
                    where[domain] = f"the TXT record {record}"
                pending.append((challenge, response))
            for challenge, response in pending:
                await anyio.to_thread.run_sync(acme.answer_challenge, challenge, response)
            deadline = datetime.datetime.now() + datetime.timedelta(seconds=self._timeout)
            try:
                final = await anyio.to_thread.run_sync(acme.poll_and_finalize, order, deadline)
            except errors.ValidationError as exc:
                failed = [a.body.identifier.value for a in exc.failed_authzrs]
                details = "; ".join(str(c.error) for a in exc.failed_authzrs for c in a.body.challenges if c.error)
                raise CertificateError(
                    "the ACME server could not verify " + ", ".join(where.get(d, d) for d in failed) + f": {details}"
                ) from None
            except errors.Error as exc:
                raise CertificateError(f"the ACME order failed: {exc}") from None
        finally:
            with anyio.CancelScope(shield=True):
                for record in txt:
                    assert dns is not None
                    await dns.delete(record, "TXT")
                for path in files:
                    path.unlink(missing_ok=True)
        chain = final.fullchain_pem.encode()
        return Certificate(chain, key_pem, not_after(chain))


def _write_public(path: Path, content: str) -> None:
    """A challenge file nginx can read (the webroot is kenzy's own, outside every site)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        os.chmod(folder, 0o755)
    path.write_text(content)
    os.chmod(path, 0o644)
