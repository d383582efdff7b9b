"""`S3Store`: backup objects in S3-compatible storage, through aioboto3.

Path-style addressing by default (SeaweedFS, MinIO and most self-hosted servers want it);
objects above ``multipart_threshold`` go up as a multipart upload whose parts are sent
concurrently (at most ``concurrency`` at once) and aborted on failure, so a half-sent
object never becomes visible. Connection failures, timeouts and refused credentials become
`StoreUnavailable`; a missing object is `KeyError`, as the `ObjectStore` port says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from functools import partial

import anyio

from kenzy.backups._concurrency import run_all
from kenzy.errors import StoreUnavailable

__all__ = ["S3Store"]

_MiB = 1024 * 1024
# A bucket that does not exist yet holds no objects (kenzy creates it on the first write).
_MISSING = {"NoSuchKey", "404", "NotFound", "NoSuchBucket"}


class S3Store:
    """Objects under ``s3://bucket/prefix`` on ``endpoint``. Use as ``async with``, or call
    `aclose` when done; the client is opened on first use."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint: str | None = None,
        region: str = "us-east-1",
        addressing: str = "path",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        concurrency: int = 8,
        multipart_threshold: int = 16 * _MiB,
        part_size: int = 8 * _MiB,
    ) -> None:
        if part_size < 5 * _MiB:
            raise ValueError("S3 parts must be at least 5 MiB")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self._credentials = (access_key_id, secret_access_key)
        self.concurrency = concurrency
        self.multipart_threshold = multipart_threshold
        self.part_size = part_size
        self._client: Any = None
        self._exit: AsyncExitStack | None = None
        self._lock = anyio.Lock()
        self._bucket_ready = False

    def __repr__(self) -> str:
        return f"S3Store({self.describe()})"

    def describe(self) -> str:
        """Where the store is, without credentials."""
        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        return f"{where} at {self.endpoint}" if self.endpoint else where

    async def __aenter__(self) -> S3Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._exit is not None:
            exit_stack, self._exit, self._client = self._exit, None, None
            await exit_stack.aclose()

    async def _get_client(self) -> Any:
        async with self._lock:
            if self._client is None:
                import aioboto3
                from botocore.config import Config

                config = Config(
                    s3={"addressing_style": self.addressing},
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=3, read_timeout=30,
                    max_pool_connections=max(10, self.concurrency * 2),
                    # SeaweedFS and other self-hosted servers answer plain PUTs; no trailing checksums.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                )
                key_id, secret = self._credentials
                session = aioboto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret,
                                           region_name=self.region)
                exit_stack = AsyncExitStack()
                self._client = await exit_stack.enter_async_context(
                    session.client("s3", endpoint_url=self.endpoint, config=config))
                self._exit = exit_stack
            return self._client

    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"invalid object key {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    @asynccontextmanager
    async def _call(self, what: str) -> AsyncIterator[Any]:
        """The client, with transport and permission failures turned into `StoreUnavailable`."""
        from aiohttp import ClientConnectionError
        from botocore.exceptions import BotoCoreError, ClientError

        client = await self._get_client()
        try:
            yield client
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise KeyError(what) from None
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in {"SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "403", "Forbidden"}:
                raise StoreUnavailable(self.describe(), f"{what}: refused the credentials ({code}); check "
                                       "KENZY_S3_ACCESS_KEY_ID / KENZY_S3_SECRET_ACCESS_KEY") from None
            raise StoreUnavailable(self.describe(), f"{what}: {code or 'error'} (HTTP {status})") from None
        except (BotoCoreError, OSError, TimeoutError, ClientConnectionError) as exc:
            # aiohttp's connection errors (a server killed mid-request) can reach us unwrapped.
            raise StoreUnavailable(self.describe(), f"{what}: {type(exc).__name__}: {exc}") from None

    async def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            async with self._call("head bucket") as client:
                await client.head_bucket(Bucket=self.bucket)
        except KeyError:
            async with self._call("create bucket") as client:
                await client.create_bucket(Bucket=self.bucket)
            # Some servers (SeaweedFS among them) make a new bucket visible a moment later.
            with anyio.fail_after(10):
                while True:
                    try:
                        async with self._call("head bucket") as client:
                            await client.head_bucket(Bucket=self.bucket)
                        break
                    except KeyError:
                        await anyio.sleep(0.05)
        self._bucket_ready = True

    async def put(self, key: str, data: bytes) -> None:
        full = self._key(key)
        await self._ensure_bucket()
        if len(data) <= self.multipart_threshold:
            async with self._call(f"put {key}") as client:
                await client.put_object(Bucket=self.bucket, Key=full, Body=data)
            return
        await self._put_multipart(key, full, data)

    async def _put_multipart(self, key: str, full: str, data: bytes) -> None:
        async with self._call(f"start upload of {key}") as client:
            upload_id = (await client.create_multipart_upload(Bucket=self.bucket, Key=full))["UploadId"]
        offsets = range(0, len(data), self.part_size)
        etags: dict[int, str] = {}

        async def send(number: int, start: int) -> None:
            async with self._call(f"part {number} of {key}") as client:
                answer = await client.upload_part(Bucket=self.bucket, Key=full, UploadId=upload_id, PartNumber=number,
                                                  Body=data[start:start + self.part_size])
            etags[number] = answer["ETag"]

        try:
            await run_all((partial(send, n, start) for n, start in enumerate(offsets, 1)),
                          anyio.CapacityLimiter(self.concurrency))
            parts = [{"PartNumber": n, "ETag": etags[n]} for n in sorted(etags)]
            async with self._call(f"complete upload of {key}") as client:
                await client.complete_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload_id,
                                                       MultipartUpload={"Parts": parts})
        except BaseException:
            with anyio.CancelScope(shield=True), anyio.move_on_after(5):
                try:
                    async with self._call(f"abort upload of {key}") as client:
                        await client.abort_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload_id)
                except (StoreUnavailable, KeyError):
                    pass  # the server is gone; it expires abandoned uploads itself
            raise

    async def get(self, key: str) -> bytes:
        async with self._call(f"get {key}") as client:
            answer = await client.get_object(Bucket=self.bucket, Key=self._key(key))
            async with answer["Body"] as body:
                return bytes(await body.read())

    async def exists(self, key: str) -> bool:
        try:
            async with self._call(f"head {key}") as client:
                await client.head_object(Bucket=self.bucket, Key=self._key(key))
        except KeyError:
            return False
        return True

    async def delete(self, key: str) -> None:
        async with self._call(f"delete {key}") as client:
            await client.delete_object(Bucket=self.bucket, Key=self._key(key))

    async def keys(self, prefix: str) -> list[str]:
        base = f"{self.prefix}/" if self.prefix else ""
        found: list[str] = []
        try:
            async with self._call(f"list {prefix}") as client:
                paginator = client.get_paginator("list_objects_v2")
                async for page in paginator.paginate(Bucket=self.bucket, Prefix=base + prefix):
                    found.extend(item["Key"][len(base):] for item in page.get("Contents", []))
        except KeyError:
            return []  # no bucket yet
        return sorted(found)
