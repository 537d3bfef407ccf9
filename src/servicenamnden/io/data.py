"""Load the data files: read-only, each validated against its data dictionary on the way in."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from servicenamnden.errors import DataError
from servicenamnden.io import references, transaction
from servicenamnden.io.lock import locked
from servicenamnden.io.schema import Schema, read_schema, validate_lines
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
    recover(folder)
    return _load_cached(name, str(folder.resolve())).copy()


@cache
def _load_cached(name: str, folder: str) -> pd.DataFrame:
    path = Path(folder) / f"{name}.csv"
    label = f"data/{path.name}"
    if not path.exists():
        raise DataError(label, "filen saknas")
    schema = read_schema(path.with_suffix(".yml"))
    frame = validate_lines(path.read_bytes(), schema, label)[0]
    # Provenance (domain/provenance.py): a selection from the frame names its file, row key and unit.
    frame.attrs.update(fil=name, nyckel=list(schema.key), enhet=schema.unit)
    return frame


def recover(folder: Path) -> None:
    """Finish (or undo) an import that was killed half-way, before anything is read from ``folder``."""
    if transaction.recover(folder):
        clear_cache()


def clear_cache() -> None:
    """Forget loaded files (tests and the harness change ``SN_DATA`` between runs)."""
    _load_cached.cache_clear()


def validate_all(folder: Path | None = None) -> dict[str, int]:
    """Validate every data file and the references between them; return row counts, or raise the first
    :class:`DataError`."""
    folder = Path(folder or data_dir())
    recover(folder)
    with locked(folder, shared=True):  # an import running now finishes first: all files old or all new
        counts = {}
        for name in data_files(folder):
            counts[name] = len(load(name, folder))
        orphans = sorted(
            p.stem
            for p in folder.glob("*.yml")
            if not p.with_suffix(".csv").exists() and not read_schema(p).optional
        )
        if orphans:
            raise DataError(f"data/{orphans[0]}.yml", "dataordlistan har ingen datafil (.csv) bredvid sig")
        for name in data_files(folder):
            schema = schema_of(name, folder)
            if references.declared(schema):
                path = folder / f"{name}.csv"
                frame, lines = validate_lines(path.read_bytes(), schema, f"data/{path.name}")
                references.check(
                    frame, lines, schema, f"data/{path.name}", lambda n: load_optional(n, folder)
                )
    return counts


# --- Optional data files ---------------------------------------------------------------------------
# A file the report can do without (e.g. the statutory sick-leave hours) has its data dictionary in
# data/ like every other file, marked ``frivillig: true``; the data file itself may be absent.


def optional_files(folder: Path | None = None) -> list[str]:
    """Names of the data files whose dictionaries say they may be absent (``frivillig: true``), sorted."""
    folder = Path(folder or data_dir())
    return sorted(p.stem for p in folder.glob("*.yml") if read_schema(p).optional)


def schema_path(name: str, folder: Path | None = None) -> Path:
    """Where ``NAME``'s data dictionary is: next to the data file."""
    return Path(folder or data_dir()) / f"{name}.yml"


def load_optional(name: str, folder: Path | None = None) -> pd.DataFrame | None:
    """``data/NAME.csv`` validated like :func:`load`, or ``None`` when the file is absent."""
    folder = Path(folder or data_dir())
    recover(folder)
    if not (folder / f"{name}.csv").exists():
        return None
    return load(name, folder)


def latest_complete_year(folder: Path | None = None) -> int:
    """The latest year the data hold completely: both MS ÄO actuals and a full-year sick-leave figure.

    The default report year (:func:`servicenamnden.domain.years.resolve_year`); the template's default
    is the year after."""
    costs = load("ms_ao_kostnader", folder)
    sick = load("sjukfranvaro", folder)
    actual_years = set(costs.loc[costs["typ"] == "utfall", "ar"].astype(int))
    sick_years = set(sick.loc[sick["period"] == "jan-dec", "ar"].astype(int))
    common = actual_years & sick_years
    if not common:
        raise DataError(
            "data/ms_ao_kostnader.csv och data/sjukfranvaro.csv",
            "inget år har både utfall för MS ÄO och sjukfrånvaro för helår",
        )
    return max(common)
