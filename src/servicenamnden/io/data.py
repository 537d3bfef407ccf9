"""Load the data files: read-only, each validated against its data dictionary on the way in."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from servicenamnden.errors import DataError
from servicenamnden.io.schema import Schema, read_schema, validate_text
from servicenamnden.paths import data_dir


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


# --- Optional data files ---------------------------------------------------------------------------
# A file the report can do without (e.g. the statutory sick-leave hours) keeps its data dictionary in
# the package, so data/ holds no dictionary without data (validate_all refuses orphans). Once the file
# exists in data/, a dictionary next to it wins; the importer puts a copy there when it creates one.

SCHEMA_DIR = Path(__file__).with_name("schemas")


def optional_files() -> list[str]:
    """Names of the optional data files whose dictionaries ship with the package, sorted."""
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.yml"))


def schema_path(name: str, folder: Path | None = None) -> Path:
    """Where ``NAME``'s data dictionary is: next to the data file, else the package's copy."""
    local = Path(folder or data_dir()) / f"{name}.yml"
    packaged = SCHEMA_DIR / f"{name}.yml"
    return packaged if not local.exists() and packaged.exists() else local


def load_optional(name: str, folder: Path | None = None) -> pd.DataFrame | None:
    """``data/NAME.csv`` validated like :func:`load`, or ``None`` when the file is absent."""
    folder = Path(folder or data_dir())
    path = folder / f"{name}.csv"
    if not path.exists():
        return None
    if (folder / f"{name}.yml").exists():
        return load(name, folder)
    return validate_text(path.read_bytes(), read_schema(schema_path(name, folder)), f"data/{path.name}")
