"""Load the data files: read-only, each validated against its data dictionary on the way in."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from .errors import DataError
from .paths import data_dir
from .schema import Schema, read_schema, validate_text


def data_files(folder: Path | None = None) -> list[str]:
    """Names of all data files (CSV with a data dictionary), sorted."""
    folder = folder or data_dir()
    return sorted(p.stem for p in folder.glob("*.csv"))


def schema_of(name: str, folder: Path | None = None) -> Schema:
    """The schema of ``data/NAME.csv``."""
    return read_schema((folder or data_dir()) / f"{name}.yml")


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """``data/NAME.csv`` validated and typed; raises :class:`DataError` in Swedish if it is wrong."""
    folder = Path(folder or data_dir())
    return _load_cached(name, str(folder.resolve())).copy()


@cache
def _load_cached(name: str, folder: str) -> pd.DataFrame:
    path = Path(folder) / f"{name}.csv"
    label = f"data/{path.name}"
    if not path.exists():
        raise DataError(label, "filen saknas")
    schema = read_schema(path.with_suffix(".yml"))
    return validate_text(path.read_bytes(), schema, label)


def clear_cache() -> None:
    """Forget loaded files (tests and the harness change ``SN_DATA`` between runs)."""
    _load_cached.cache_clear()


def validate_all(folder: Path | None = None) -> dict[str, int]:
    """Validate every data file; return row counts, or raise the first :class:`DataError`."""
    folder = Path(folder or data_dir())
    counts = {}
    for name in data_files(folder):
        counts[name] = len(load(name, folder))
    orphans = sorted(p.stem for p in folder.glob("*.yml") if not p.with_suffix(".csv").exists())
    if orphans:
        raise DataError(f"data/{orphans[0]}.yml", "dataordlistan har ingen datafil (.csv) bredvid sig")
    return counts
