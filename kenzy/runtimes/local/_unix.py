"""Unix users: one per site when kenzy runs as root, plus the stack's own user.

User names are global to the machine but sites belong to one ``KENZY_HOME``: each site user
carries its home's tag in its comment, and a home never adopts or deletes another's user.
"""

from __future__ import annotations

import hashlib
import pwd

from kenzy.errors import StackError
from kenzy.runtimes.local import _proc
from kenzy.runtimes.local._layout import Layout

__all__ = ["delete_user", "ensure_site_user", "ensure_system_user", "user_exists"]


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


async def ensure_system_user(name: str) -> None:
    """Create the stack's system user (no login, no home) unless it exists."""
    if user_exists(name):
        return
    await _proc.run(
        ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", "/usr/sbin/nologin", name],
        what="useradd",
    )


def _comment(layout: Layout) -> str:
    return "kenzy site " + hashlib.sha256(str(layout.home).encode()).hexdigest()[:12]


def _ours(name: str, layout: Layout) -> bool:
    return pwd.getpwnam(name).pw_gecos == _comment(layout)


async def ensure_site_user(name: str, layout: Layout) -> None:
    """Create a site's user (own group, no login, no home directory) unless this home has it.

    ``useradd`` locks ``/etc/passwd``; concurrent calls are serialised by a kenzy lock.

    Raises:
        StackError: a user of that name exists but is not this home's (another kenzy home's
            site, or an unrelated account): adopting it would share or break it.
    """
    async with _proc.file_lock(layout.locks / "users.lock"):
        if user_exists(name):
            if _ours(name, layout):
                return
            raise StackError(
                f"unix user {name!r} already exists and does not belong to this kenzy home ({layout.home}); "
                "choose another subdomain, or remove that user if it is left over"
            )
        await _proc.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", "--comment", _comment(layout), name],
            what="useradd",
        )


async def delete_user(name: str, layout: Layout) -> None:
    """Remove a site's user and its group; nothing to do when it is gone or is not this home's."""
    async with _proc.file_lock(layout.locks / "users.lock"):
        if user_exists(name):
            if not _ours(name, layout):
                return
            await _proc.run(["userdel", name], what="userdel")
        result = await _proc.run(["getent", "group", name], check=False)
        if result.returncode == 0:
            await _proc.run(["groupdel", name], what="groupdel")
