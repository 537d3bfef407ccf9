"""A lock on a folder, so that two runs in one clone (two ``make report``, an import and a check) wait
for each other instead of writing over each other's files.

The lock is ``flock`` on the folder itself: no lock file is left behind, and the kernel releases it
when the process ends, also after ``kill -9``. A process that holds a folder's lock may take it again
(nested use is a no-op). Where ``fcntl`` does not exist (Windows) the lock does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; the runs are then not serialised
    fcntl = None  # type: ignore[assignment]

WAITING = "Väntar på att en annan körning i {folder} blir klar …"

_held: dict[tuple[int, int], int] = {}  # (device, inode) → mode held by this process


def _identity(folder: Path) -> tuple[int, int]:
    info = os.stat(folder)
    return info.st_dev, info.st_ino


@contextmanager
def locked(folder: Path, shared: bool = False, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``folder``'s lock (exclusive, or ``shared`` for readers); wait, saying so once, if it is taken."""
    folder = Path(folder)
    if fcntl is None or not folder.is_dir():
        yield
        return
    ident = _identity(folder)
    if ident in _held:
        yield
        return
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if say is not None:
                say(WAITING.format(folder=folder))
            fcntl.flock(fd, mode)
        _held[ident] = mode
        try:
            yield
        finally:
            del _held[ident]
    finally:
        os.close(fd)  # closing the descriptor releases the lock
