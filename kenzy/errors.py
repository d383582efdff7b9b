"""Every exception kenzy raises on purpose.

    KenzyError                  root: a message that says what to do next
    ├── UsageError              bad input or configuration; nothing was changed
    │   ├── InvalidInput        a value failed validation (names, subdomains, industries)
    │   ├── SiteConflict        the subdomain exists with a different plan
    │   └── ZoneNotManaged      the DNS provider has no zone for the name
    ├── NotConfigured           a capability needs a setting that is not set
    ├── StackError              the private stack is missing, down or misbehaving
    │   └── MissingPackages     system packages are not installed (names them)
    ├── SiteNotFound            no site with that subdomain
    ├── ProvisionError          a step failed; what was created has been rolled back
    └── ProviderError           an outside service (an image generator, ...) refused or failed
"""

from __future__ import annotations

__all__ = [
    "InvalidInput",
    "KenzyError",
    "MissingPackages",
    "NotConfigured",
    "ProviderError",
    "ProvisionError",
    "SiteConflict",
    "SiteNotFound",
    "StackError",
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
