"""Where the project's files are: found from the working directory, so notebooks run anywhere inside it."""

from __future__ import annotations

import os
from pathlib import Path

MARKER = "_quarto.yml"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``_quarto.yml`` (``SN_PROJECT`` overrides)."""
    override = os.environ.get("SN_PROJECT")
    if override:
        return Path(override).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).exists():
            return folder
    raise FileNotFoundError(f"Hittar inte projektets {MARKER} i {here} eller någon mapp ovanför.")


def data_dir(root: Path | None = None) -> Path:
    """The folder of data files; ``SN_DATA`` points elsewhere (tests, another year's data set)."""
    override = os.environ.get("SN_DATA")
    if override:
        path = Path(override)
        # A relative SN_DATA means relative to the project, wherever a kernel's working directory is.
        return path.resolve() if path.is_absolute() else ((root or project_root()) / path).resolve()
    return (root or project_root()) / "data"
