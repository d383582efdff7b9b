"""Ordered, idempotent steps with rollback.

A step pairs ``do`` with an ``undo`` that converges to "absent" whatever state ``do`` left,
so rolling back after a crash half-way through a step is safe. `run_steps` runs the steps in
order; when one fails it undoes that step and every earlier one, in reverse, and raises
`ProvisionError`. `undo_steps` is the same teardown for ``destroy``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import anyio

from kenzy.errors import KenzyError, ProvisionError

__all__ = ["Journal", "Progress", "Step", "run_steps", "undo_steps"]

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step_name, index, total)`` before each step (index from 1)."""
Journal = Callable[[str, str, float | None, str | None], Awaitable[None]]
"""Records ``(step, state, seconds, detail)``; states: started, done, failed, undone, undo-failed."""
FaultHook = Callable[[str], None]
"""Called with each step's name after it completed; raising there simulates a crash (tests)."""


@dataclass(frozen=True)
class Step:
    """One named unit of work and how to take it back."""

    name: str
    do: Callable[[], Awaitable[None]]
    undo: Callable[[], Awaitable[None]] | None = None


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, KenzyError) else f"{type(exc).__name__}: {exc}"


async def run_steps(
    steps: Sequence[Step],
    *,
    journal: Journal,
    progress: Progress | None = None,
    fault: FaultHook | None = None,
) -> dict[str, float]:
    """Run ``steps`` in order and return the seconds each took.

    Raises:
        ProvisionError: a step failed; it and every earlier step were undone.
    """
    timings: dict[str, float] = {}
    for index, step in enumerate(steps):
        if progress is not None:
            progress(step.name, index + 1, len(steps))
        await journal(step.name, "started", None, None)
        started = time.perf_counter()
        try:
            await step.do()
            if fault is not None:
                fault(step.name)
        except BaseException as exc:
            detail = _describe(exc)
            with anyio.CancelScope(shield=True):  # a cancelled run still cleans up
                await journal(step.name, "failed", time.perf_counter() - started, detail)
                leftovers = await undo_steps(steps[: index + 1], journal=journal)
            if leftovers:
                detail += f"; rollback could not remove: {', '.join(leftovers)}"
            if not isinstance(exc, Exception):
                raise
            raise ProvisionError(step.name, detail) from exc
        timings[step.name] = time.perf_counter() - started
        await journal(step.name, "done", timings[step.name], None)
    return timings


async def undo_steps(steps: Sequence[Step], *, journal: Journal, progress: Progress | None = None) -> list[str]:
    """Undo ``steps`` in reverse, carrying on past failures; return the names that failed."""
    failed: list[str] = []
    todo = [step for step in reversed(steps) if step.undo is not None]
    for index, step in enumerate(todo):
        if progress is not None:
            progress(f"remove {step.name}", index + 1, len(todo))
        try:
            await step.undo()  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - reported to the caller, teardown goes on
            logger.warning("undo of %s failed: %s", step.name, _describe(exc))
            await journal(step.name, "undo-failed", None, _describe(exc))
            failed.append(step.name)
        else:
            await journal(step.name, "undone", None, None)
    return failed
