"""Replace several files of the data folder as one transaction: afterwards all are new or all are old,
also when the process is killed (``kill -9``, a closed terminal, a power cut) half-way.

1. Every new file is written and synced into the staging folder ``data/.import-ny/``.
2. The journal ``KLAR`` (the list of files) is written there and renamed into place: the commit point.
3. Each file is renamed over its old version, the journal removed, the staging folder removed.

Whoever next touches the data folder (:func:`recover`, called by every reader in ``io.data`` and by
the importer) finishes a committed transaction (roll forward) or throws away an uncommitted one (roll
back). The data folder's lock keeps readers out while a transaction runs.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from servicenamnden.io.lock import locked

STAGING = ".import-ny"
JOURNAL = "KLAR"


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, content: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def pending(folder: Path) -> bool:
    """Whether a transaction was left behind in ``folder`` (cheap: one ``stat``)."""
    return (Path(folder) / STAGING).exists()


def _roll_forward(folder: Path, staging: Path, names: list[str]) -> None:
    for name in names:
        staged = staging / name
        if staged.exists():  # absent: already moved before an interruption
            os.replace(staged, folder / name)
    _sync_folder(folder)
    (staging / JOURNAL).unlink(missing_ok=True)


def _finish(folder: Path) -> None:
    """Roll the transaction in ``folder`` forward if it was committed, else back; then tidy up."""
    staging = folder / STAGING
    journal = staging / JOURNAL
    if journal.exists():
        names = json.loads(journal.read_text(encoding="utf-8"))["filer"]
        _roll_forward(folder, staging, names)
    shutil.rmtree(staging, ignore_errors=True)
    _sync_folder(folder)


def recover(folder: Path) -> bool:
    """Finish or undo a transaction an interrupted process left in ``folder``; whether there was one."""
    folder = Path(folder)
    if not pending(folder):
        return False
    with locked(folder):
        if pending(folder):
            _finish(folder)
    return True


def replace_files(folder: Path, contents: dict[str, bytes]) -> None:
    """Write ``contents`` (file name → bytes) into ``folder`` as one transaction."""
    folder = Path(folder)
    if not contents:
        return
    with locked(folder):
        if pending(folder):
            _finish(folder)
        staging = folder / STAGING
        staging.mkdir()
        names = sorted(contents)
        try:
            for name, content in contents.items():
                _write_synced(staging / name, content)
            _write_synced(staging / f"{JOURNAL}.tmp", json.dumps({"filer": names}).encode("utf-8"))
        except OSError:  # a full disk before the commit point: nothing was replaced, leave no staging
            shutil.rmtree(staging, ignore_errors=True)
            raise
        os.replace(staging / f"{JOURNAL}.tmp", staging / JOURNAL)  # the commit point
        _sync_folder(staging)
        _roll_forward(folder, staging, names)
        shutil.rmtree(staging, ignore_errors=True)
        _sync_folder(folder)
