"""A run's outputs are all new or all as they were: nothing half-written stays after a refused run.

``make check``, ``make report`` and Quarto's pre-render step write into ``_rapport.yml``, ``notebooks/``
(the executed outputs), ``_build/``, ``downloads/`` and ``_preview/``. Before a run those are copied
aside into ``.utdata-fore-korning/``; if the run stops (a data error, a dead kernel, a full disk, a
read-only folder), every output is put back from the copy, and the copy is removed either way. A copy
that cannot be made (the disk is already full, the project folder is read-only) stops the run before
anything is written.

A run killed outright (SIGKILL, a closed window) cannot put anything back; its copy stays. The copy is
marked complete (``COMPLETE``) only once every output is in it, and unmarked before it is removed, so the
next run knows: a marked copy holds the last good outputs and is put back first; an unmarked one was
being made or removed while the outputs were whole, and is dropped.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OUTPUTS = ("_rapport.yml", "notebooks", "_build", "downloads", "_preview")
BACKUP = ".utdata-fore-korning"
COMPLETE = ".kopian-ar-hel"  # inside BACKUP: every output was copied before the run wrote anything
RESTORED = (
    f"Förra körningen avbröts innan den var klar; utdata från körningen före den är återställda ur {BACKUP}/."
)


def _files(folder: Path) -> set[Path]:
    """Every file under ``folder``, relative to it."""
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def _remove(path: Path) -> None:
    """Remove a file or folder that the run created, as far as the file system lets us."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        pass


def _put_back(saved: Path, target: Path) -> None:
    """A copy of ``saved`` over ``target`` (renamed into place, or written over it where the folder refuses
    new entries); ``saved`` stays, so a restore that is itself killed can be done again."""
    fresh = target.with_name(f".{target.name}.aterstalls")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(saved, fresh, follow_symlinks=False)
        os.replace(fresh, target)
    except OSError:
        _remove(fresh)
        try:
            shutil.copyfile(saved, target)
        except OSError:
            pass  # left as the failed run found it: a file it could not write is unchanged too


def restore(root: Path, backup: Path, names: tuple[str, ...]) -> None:
    """Every output named in ``names`` as the copy in ``backup`` has it (absent if it was absent)."""
    for name in names:
        target, saved = root / name, backup / name
        if not saved.exists():
            if target.exists():
                _remove(target)
            continue
        if saved.is_file():
            _put_back(saved, target)
            continue
        kept = _files(saved)
        for extra in (_files(target) if target.is_dir() else set()) - kept:
            _remove(target / extra)
        for rel in sorted(kept):
            _put_back(saved / rel, target / rel)


def _drop(backup: Path) -> None:
    """Remove the copy: unmarked first, so a removal that is killed half-way is never restored from."""
    (backup / COMPLETE).unlink(missing_ok=True)
    shutil.rmtree(backup, ignore_errors=True)


def recover(root: Path, names: tuple[str, ...] = OUTPUTS) -> bool:
    """Put back the outputs a killed run left half-written, from its complete copy; drop any copy left.

    Returns whether outputs were put back. An ``OSError`` (a read-only folder) stops the run with the copy
    kept, so nothing of the last good outputs is lost."""
    backup = Path(root) / BACKUP
    if not backup.exists():
        return False
    whole = (backup / COMPLETE).exists()
    if whole:
        restore(Path(root), backup, names)
    _drop(backup)
    return whole


@contextmanager
def preserved(root: Path, names: tuple[str, ...] = OUTPUTS) -> Iterator[None]:
    """Run the block; if it raises, every output in ``names`` under ``root`` is as it was before."""
    root = Path(root)
    backup = root / BACKUP
    if recover(root, names):
        print(RESTORED, file=sys.stderr)
    try:
        backup.mkdir()
        for name in names:
            source = root / name
            if source.is_dir():
                shutil.copytree(source, backup / name, symlinks=True)
            elif source.exists():
                shutil.copy2(source, backup / name)
        (backup / COMPLETE).touch()
    except OSError:
        _drop(backup)
        raise
    try:
        yield
    except BaseException:
        restore(root, backup, names)
        raise
    finally:
        _drop(backup)
