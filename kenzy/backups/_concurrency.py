"""Running many transfers at once, at most N at a time, failing like one call would."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

import anyio

__all__ = ["run_all"]


def _first(group: BaseExceptionGroup) -> BaseException:  # type: ignore[type-arg]
    """The first failure in ``group`` (nested groups flattened)."""
    leaf: BaseException = group
    while isinstance(leaf, BaseExceptionGroup):
        leaf = leaf.exceptions[0]
    return leaf


async def run_all(jobs: Iterable[Callable[[], Awaitable[object]]], limiter: anyio.CapacityLimiter) -> None:
    """Run every job, at most ``limiter``'s capacity at once. The first failure cancels the
    rest and is raised as itself (not wrapped in an exception group)."""

    async def limited(job: Callable[[], Awaitable[object]]) -> None:
        async with limiter:
            await job()

    try:
        async with anyio.create_task_group() as tg:
            for job in jobs:
                tg.start_soon(limited, job)
    except BaseExceptionGroup as group:
        raise _first(group) from None
