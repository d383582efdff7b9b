"""Per-site Redis ACL users in the private Redis, each confined to its own key prefix."""

from __future__ import annotations

from pathlib import Path

from kenzy.errors import StackError

__all__ = ["RedisAdmin", "SITE_RULES"]

# Everything on its own keys, except commands that reach beyond them: SCAN/KEYS/RANDOMKEY
# list other sites' key names, and @dangerous/@admin/@scripting/@pubsub touch the server.
SITE_RULES = (
    "+@all", "-@dangerous", "-@admin", "-@scripting", "-@pubsub",
    "-scan", "-keys", "-randomkey", "-select", "-swapdb", "-move", "-flushdb", "-flushall",
)


class RedisAdmin:
    """Creates and removes site users through the ``kenzy-admin`` ACL user."""

    def __init__(self, socket: Path, password: str) -> None:
        self._socket = socket
        self._password = password

    def __repr__(self) -> str:
        return f"RedisAdmin(socket={self._socket})"

    def _client(self):  # type: ignore[no-untyped-def]
        import redis.asyncio as aredis

        return aredis.Redis(
            unix_socket_path=str(self._socket), username="kenzy-admin", password=self._password,
            socket_timeout=10,
        )

    async def _call(self, *args: str) -> object:
        import redis.exceptions

        client = self._client()
        try:
            return await client.execute_command(*args)
        except redis.exceptions.RedisError as exc:
            raise StackError(f"Redis refused {args[0]} {args[1] if len(args) > 1 else ''}: "
                             f"{type(exc).__name__}; run `kenzy stack up`") from None
        finally:
            await client.aclose()

    async def ensure(self, user: str, password: str) -> None:
        """Create or reset ``user`` with rights on keys ``<user>:*`` only, and save the ACL file."""
        await self._call("ACL", "SETUSER", user, "reset", "on", f">{password}", f"~{user}:*",
                         "resetchannels", *SITE_RULES)
        await self._call("ACL", "SAVE")

    async def drop(self, user: str) -> None:
        """Delete the user's keys and the user; nothing to do when it is gone."""
        client = self._client()
        try:
            batch: list[bytes] = []
            async for key in client.scan_iter(match=f"{user}:*", count=500):
                batch.append(key)
                if len(batch) >= 500:
                    await client.unlink(*batch)
                    batch = []
            if batch:
                await client.unlink(*batch)
        finally:
            await client.aclose()
        await self._call("ACL", "DELUSER", user)
        await self._call("ACL", "SAVE")

    async def exists(self, user: str) -> bool:
        users = await self._call("ACL", "USERS")
        return user.encode() in users  # type: ignore[operator]
