"""How kenzy reaches a cluster: explicit host and token, in-cluster service account, or kubeconfig.

`KubeConnection` is the value object (built from `Settings`); `load_configuration` turns it into
a kubernetes-asyncio ``Configuration`` without touching the library's global default.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, SecretStr

from kenzy.errors import KubeConfigError

if TYPE_CHECKING:
    from kubernetes_asyncio.client import Configuration

    from kenzy.settings import Settings

__all__ = ["KubeConnection", "load_configuration"]


class KubeConnection(BaseModel):
    """Which cluster to talk to, and as whom. Precedence: ``host``, then ``in_cluster``, then kubeconfig."""

    model_config = ConfigDict(frozen=True)

    host: str | None = None
    """API server URL for an explicit connection (needs ``token``)."""
    token: SecretStr | None = None
    """Bearer token for ``host``."""
    ca_file: Path | None = None
    """CA bundle for ``host``'s certificate."""
    insecure: bool = False
    """Skip TLS verification of ``host`` (test clusters only)."""
    in_cluster: bool = False
    """Use the pod's service account token and CA."""
    kubeconfig: Path | None = None
    """Kubeconfig file(s); None: ``$KUBECONFIG`` or ``~/.kube/config``."""
    context: str | None = None
    """Kubeconfig context; None: the file's ``current-context``."""

    @classmethod
    def from_settings(cls, settings: Settings) -> KubeConnection:
        return cls(host=settings.kube_host, token=settings.kube_token, ca_file=settings.kube_ca_file,
                   insecure=settings.kube_insecure, in_cluster=settings.kube_in_cluster,
                   kubeconfig=settings.kube_config, context=settings.kube_context)

    def describe(self) -> str:
        """Where this connection points, for messages (never the token)."""
        if self.host:
            return self.host
        if self.in_cluster:
            return "the in-cluster service account"
        where = str(self.kubeconfig) if self.kubeconfig else "the default kubeconfig"
        return f"context {self.context!r} of {where}" if self.context else f"the current context of {where}"


async def load_configuration(connection: KubeConnection) -> Configuration:
    """A fresh ``Configuration`` for ``connection``.

    Raises:
        KubeConfigError: no token for an explicit host, a missing kubeconfig or context, or not in a pod.
    """
    from kubernetes_asyncio import config
    from kubernetes_asyncio.client import Configuration

    if connection.host:
        if connection.token is None:
            raise KubeConfigError("KENZY_KUBE_HOST is set but KENZY_KUBE_TOKEN is not")
        # kubernetes-asyncio reads the header from these two keys; other spellings send none.
        configuration = Configuration(host=connection.host.rstrip("/"),
                                      api_key={"BearerToken": connection.token.get_secret_value()},
                                      api_key_prefix={"BearerToken": "Bearer"})
        configuration.ssl_ca_cert = str(connection.ca_file) if connection.ca_file else None
        configuration.verify_ssl = not connection.insecure
        return configuration
    configuration = Configuration()
    if connection.in_cluster:
        try:
            config.load_incluster_config(client_configuration=configuration)
        except config.ConfigException as exc:
            raise KubeConfigError(f"not running inside a Kubernetes pod ({exc}); set KENZY_KUBE_CONFIG "
                                  "or KENZY_KUBE_HOST instead") from exc
        return configuration
    files = str(connection.kubeconfig) if connection.kubeconfig else None
    try:
        # persist_config=False: kenzy never rewrites the user's kubeconfig (refreshed tokens stay in memory).
        await config.load_kube_config(config_file=files, context=connection.context,
                                      client_configuration=configuration, persist_config=False)
    except (config.ConfigException, AssertionError, KeyError, OSError) as exc:
        raise KubeConfigError(_kubeconfig_problem(connection, files, exc)) from exc
    return configuration


def _kubeconfig_problem(connection: KubeConnection, files: str | None, exc: BaseException) -> str:
    """Say what is wrong with the kubeconfig; list its contexts when the file itself is readable."""
    from kubernetes_asyncio import config

    try:
        contexts, _ = config.list_kube_config_contexts(config_file=files)
    except Exception:  # noqa: BLE001 - the file itself is unusable; report the first problem
        return (f"cannot use {connection.describe()}: {exc or type(exc).__name__}; set KENZY_KUBE_CONFIG "
                "to a kubeconfig file, or KENZY_KUBE_HOST and KENZY_KUBE_TOKEN")
    names = ", ".join(context["name"] for context in contexts) or "none"
    return f"cannot use {connection.describe()}: {exc or 'context not found'}; its contexts are: {names}"
