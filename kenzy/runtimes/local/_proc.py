"""Running programs and watching daemons by PID file, off the event loop."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.to_thread

from kenzy.errors import StackError

__all__ = ["file_lock", "pid_alive", "read_pid", "run", "stop_pid", "which"]

_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"])


def which(program: str) -> str | None:
    """Full path of ``program``, looking in the sbin directories too (daemons live there)."""
    import shutil

    return shutil.which(program, path=_SEARCH_PATH)


async def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    input: bytes | None = None,
    user: str | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
    what: str | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` (never through a shell), optionally as ``user``.

    Raises:
        StackError: the program exited non-zero and ``check`` is set; the message holds the
            tail of its stderr. Secrets are never passed in argv, so none can show up here.
    """
    args = [str(c) for c in cmd]
    args[0] = which(args[0]) or args[0]
    kwargs: dict[str, object] = {}
    if user is not None and os.geteuid() == 0:
        kwargs = {"user": user, "group": user, "extra_groups": []}
    try:
        result = await anyio.run_process(
            args, input=input, check=False, env=env, start_new_session=True, **kwargs  # type: ignore[arg-type]
        )
    except FileNotFoundError as exc:
        raise StackError(f"{args[0]} is not installed") from exc
    if check and result.returncode != 0:
        tail = (result.stderr or result.stdout).decode(errors="replace").strip()[-800:]
        raise StackError(f"{what or Path(args[0]).name} failed (exit {result.returncode}): {tail}")
    return result


def read_pid(pid_file: Path) -> int | None:
    """The PID in ``pid_file``, or None when the file is missing or empty."""
    try:
        text = pid_file.read_text().strip()
    except (FileNotFoundError, PermissionError):
        return None
    return int(text) if text.isdigit() else None


def pid_alive(pid: int | None, comm: str) -> bool:
    """True when ``pid`` runs a program whose name starts with ``comm`` (no PID-reuse mistakes)."""
    if not pid:
        return False
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z" and (name.startswith(comm) or comm.startswith(name))


async def stop_pid(pid: int, comm: str, *, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Signal ``pid`` and wait until it is gone; SIGKILL after ``timeout`` seconds."""
    if not pid_alive(pid, comm):
        return
    os.kill(pid, sig)
    with anyio.move_on_after(timeout):
        while pid_alive(pid, comm):
            await anyio.sleep(0.05)
        return
    os.kill(pid, signal.SIGKILL)
    while pid_alive(pid, comm):
        await anyio.sleep(0.05)


@asynccontextmanager
async def file_lock(path: Path, *, wait: bool = True) -> AsyncIterator[None]:
    """An exclusive ``flock`` on ``path``: serialises work across tasks, threads and processes.

    Raises:
        BlockingIOError: ``wait`` is False and someone else holds the lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if wait:
            await anyio.to_thread.run_sync(fcntl.flock, fd, fcntl.LOCK_EX, abandon_on_cancel=False)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
