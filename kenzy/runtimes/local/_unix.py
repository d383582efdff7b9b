"""Unix users: one per site when kenzy runs as root, plus the stack's own user."""

from __future__ import annotations

import pwd

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


async def ensure_site_user(name: str, layout: Layout) -> None:
    """Create a site's user (own group, no login, no home directory) unless it exists.

    ``useradd`` locks ``/etc/passwd``; concurrent calls are serialised by a kenzy lock.
    """
    async with _proc.file_lock(layout.locks / "users.lock"):
        if user_exists(name):
            return
        await _proc.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", "--comment", "kenzy site", name],
            what="useradd",
        )


async def delete_user(name: str, layout: Layout) -> None:
    """Remove a site's user and its group; nothing to do when it is gone."""
    async with _proc.file_lock(layout.locks / "users.lock"):
        if user_exists(name):
            await _proc.run(["userdel", name], what="userdel")
        result = await _proc.run(["getent", "group", name], check=False)
        if result.returncode == 0:
            await _proc.run(["groupdel", name], what="groupdel")
