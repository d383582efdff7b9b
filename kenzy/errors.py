"""Every exception kenzy raises on purpose.

    KenzyError                  root: a message that says what to do next
    ├── UsageError              bad input or configuration; nothing was changed
    │   ├── InvalidInput        a value failed validation (names, subdomains, industries)
    │   ├── SiteConflict        the subdomain exists with a different plan
    │   ├── ZoneNotManaged      the DNS provider has no zone for the name
    │   ├── KubeConfigError     no usable Kubernetes connection (kubeconfig, context, in-cluster)
    │   └── ManifestInvalid     a rendered Kubernetes manifest failed validation (names object and field)
    ├── NotConfigured           a capability needs a setting that is not set
    ├── StackError              the private stack is missing, down or misbehaving
    │   └── MissingPackages     system packages are not installed (names them)
    ├── SiteNotFound            no site with that subdomain
    ├── ProvisionError          a step failed; what was created has been rolled back
    ├── ProviderError           an outside service (an image generator, ...) refused or failed
    │   ├── StoreUnavailable    a backup store cannot be reached or refused the credentials
    │   └── KubeError           the Kubernetes API refused or failed (names the object)
    │       ├── KubeAuthError   401/403: the credentials or their RBAC rights are wrong
    │       ├── KubeNotFound    404: the object, its namespace or its API is missing
    │       ├── KubeConflict    409: the object is being deleted or changed concurrently
    │       ├── KubeInvalid     400/422: the API rejected the manifest
    │       ├── KubeUnavailable unreachable, 429 or 5xx after every retry
    │       └── KubeTimeout     a rollout or a namespace deletion did not finish in time
    └── BackupError             a backup or restore could not be done; the site is unchanged
"""

from __future__ import annotations

__all__ = [
    "BackupError",
    "InvalidInput",
    "KenzyError",
    "KubeAuthError",
    "KubeConfigError",
    "KubeConflict",
    "KubeError",
    "KubeInvalid",
    "KubeNotFound",
    "KubeTimeout",
    "KubeUnavailable",
    "ManifestInvalid",
    "MissingPackages",
    "NotConfigured",
    "ProviderError",
    "ProvisionError",
    "SiteConflict",
    "SiteNotFound",
    "StackError",
    "StoreUnavailable",
    "UsageError",
    "ZoneNotManaged",
]


class KenzyError(Exception):
    """Root of kenzy's errors. ``str(err)`` is safe to show: it never holds a secret."""


class UsageError(KenzyError):
    """The caller asked for something kenzy cannot do as asked; nothing was changed."""


class InvalidInput(UsageError):
    """A value failed validation before anything was created."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"invalid {field}: {message}")


class SiteConflict(UsageError):
    """A site with this subdomain already exists with a different plan."""


class NotConfigured(KenzyError):
    """A capability is not configured; the message names the setting to set."""

    def __init__(self, what: str) -> None:
        super().__init__(f"not configured: {what}")


class StackError(KenzyError):
    """The private stack (MariaDB, Redis, PHP-FPM, nginx) failed or is not running."""


class MissingPackages(StackError):
    """System packages kenzy needs are not installed."""

    def __init__(self, packages: list[str]) -> None:
        self.packages = packages
        names = " ".join(packages)
        super().__init__(
            f"missing system packages: {names}. Install them with: "
            f"sudo apt-get install --no-install-recommends {names} apache2- libapache2-mod-php8.2-"
        )


class SiteNotFound(KenzyError):
    """No site has that subdomain."""

    def __init__(self, subdomain: str) -> None:
        self.subdomain = subdomain
        super().__init__(f"no site named {subdomain!r}; `kenzy sites` lists the existing ones")


class ProvisionError(KenzyError):
    """A provisioning step failed; everything created so far was rolled back."""

    def __init__(self, step: str, detail: str) -> None:
        self.step = step
        super().__init__(
            f"step {step!r} failed: {detail}. Everything created was rolled back; "
            "fix the cause and run the same command again"
        )


class ProviderError(KenzyError):
    """An outside service answered with an error; ``status`` is its HTTP status when it has one."""

    def __init__(self, provider: str, status: int | None, detail: str) -> None:
        self.provider = provider
        self.status = status
        where = f" (HTTP {status})" if status else ""
        super().__init__(f"{provider} provider failed{where}: {detail}")


class ZoneNotManaged(UsageError):
    """The DNS provider manages no zone that contains the name."""

    def __init__(self, provider: str, name: str) -> None:
        self.name = name
        super().__init__(
            f"{provider} manages no zone for {name!r}; create the zone there or set KENZY_BASE_DOMAIN to a managed zone"
        )


class StoreUnavailable(ProviderError):
    """A backup store cannot be reached, or refused kenzy's credentials."""

    def __init__(self, store: str, detail: str) -> None:
        super().__init__(f"backup store {store}", None, detail)


class BackupError(KenzyError):
    """A backup or restore could not be done: a missing or altered object, a wrong key, a
    failed store. A failed backup is recorded as failed; a refused restore changed nothing."""


class KubeConfigError(UsageError):
    """No usable Kubernetes connection: a missing kubeconfig or context, or not inside a cluster."""


class ManifestInvalid(UsageError):
    """Rendered Kubernetes manifests failed strict schema validation or kenzy's own checks;
    nothing was applied or written. ``problems`` holds ``(kind, name, path, message)`` for each."""

    def __init__(self, problems: list[tuple[str, str, str, str]]) -> None:
        self.problems = problems
        self.kind, self.name, self.path, _ = problems[0]
        lines = [f"{kind}/{name}: {path}: {message}" for kind, name, path, message in problems[:5]]
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"invalid manifest: {'; '.join(lines)}{more}. Fix the option or template that sets it")


class KubeError(ProviderError):
    """The Kubernetes API refused or failed a request. ``target`` names the object
    (``Deployment site-a/wordpress``); the message carries the API's own ``message``."""

    hint = "fix the cause and run the same command again"

    def __init__(self, status: int | None, detail: str, *, target: str | None = None) -> None:
        self.provider = "kubernetes"
        self.status = status
        self.target = target
        self.detail = detail
        where = f" (HTTP {status})" if status else ""
        about = f", {target}" if target else ""
        KenzyError.__init__(self, f"Kubernetes API{where}{about}: {detail.rstrip('. ')}. To fix: {self.hint}")


class KubeAuthError(KubeError):
    """HTTP 401 or 403: the token or certificate is not accepted, or lacks RBAC rights."""

    hint = ("check the credentials (KENZY_KUBE_TOKEN, or the user of the kubeconfig context) and that "
            "their RBAC role may create namespaces and the objects kenzy applies")


class KubeNotFound(KubeError):
    """HTTP 404: the object, its namespace or its API group/version does not exist."""

    hint = "check that the namespace exists and that the cluster serves this apiVersion"


class KubeConflict(KubeError):
    """HTTP 409: the object is being deleted (a terminating namespace) or changed concurrently."""

    hint = "wait until the namespace has been deleted or the other change is done, then run again"


class KubeInvalid(KubeError):
    """HTTP 400 or 422: the API rejected the manifest; nothing was changed for this object."""

    hint = "fix the field the message names and apply again"


class KubeUnavailable(KubeError):
    """The API could not be reached, or answered 429/5xx after every retry."""

    hint = "check that the cluster is up and reachable, then run again"


class KubeTimeout(KubeError):
    """A rollout or a namespace deletion did not finish in time; the message names what is pending."""

    hint = "inspect the pods and events (`kubectl -n <namespace> get events`) or raise the timeout"
