"""The progress line shown while a job is waited on: items done and failed, time elapsed,
rewritten in place (carriage return); shown only when standard output is a terminal,
unless asked for."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from ._types import BatchStatus

ProgressSetting = bool | Callable[[BatchStatus], object] | None
"""``None``: a line when stdout is a terminal; ``True``/``False``: always/never; a function:
called with each poll's status instead."""


def clock(seconds: float) -> str:
    """``1:02:03`` or ``02:03``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def line(status: BatchStatus, elapsed: float) -> str:
    """One status as the progress line says it."""
    return (
        f"{status.provider} batch {status.job_id}: {status.state}, "
        f"{status.done}/{status.total} done, {status.failed} failed, {clock(elapsed)} elapsed"
    )


class Progress:
    """Shows each poll's status as the setting says."""

    __slots__ = ("callback", "shown", "stream", "width")

    def __init__(self, setting: ProgressSetting, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.callback = setting if callable(setting) else None
        self.shown = setting is True or (setting is None and _is_terminal(self.stream))
        self.width = 0

    def update(self, status: BatchStatus, elapsed: float) -> None:
        if self.callback is not None:
            self.callback(status)
        if self.shown:
            text = line(status, elapsed)
            # pad over what the previous, longer line left
            self.stream.write("\r" + text.ljust(self.width))
            self.stream.flush()
            self.width = len(text)

    def close(self) -> None:
        if self.shown and self.width:
            self.stream.write("\n")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False
