"""What the Quarto project consists of, read from ``_quarto.yml``, and the command that renders it."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from servicenamnden.paths import project_root


@dataclass(frozen=True)
class Project:
    """The article, the notebooks in order (with titles), the site's other pages and the environment file.

    A ``.qmd`` listed among the manuscript's notebooks without code (the accessibility statement) is a
    page: Quarto renders it and lists it on every page, but it is no analysis to execute.
    """

    root: Path
    config: dict
    article: Path
    notebooks: tuple[tuple[Path, str], ...]
    environment: Path | None
    pages: tuple[tuple[Path, str], ...] = ()

    @property
    def documents(self) -> list[Path]:
        """Every executed document: the notebooks first, the article last (as Quarto renders them)."""
        return [nb for nb, _ in self.notebooks] + [self.article]


def load_project(root: Path | None = None) -> Project:
    root = root or project_root()
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
    manuscript = config.get("manuscript", {})
    listed = []
    for entry in manuscript.get("notebooks", []):
        if isinstance(entry, str):
            listed.append((root / entry, Path(entry).stem))
        else:
            listed.append((root / entry["notebook"], entry.get("title", Path(entry["notebook"]).stem)))
    notebooks = [(path, title) for path, title in listed if path.suffix == ".ipynb"]
    pages = [(path, title) for path, title in listed if path.suffix != ".ipynb"]
    env = manuscript.get("environment")
    return Project(
        root=root,
        config=config,
        article=root / manuscript.get("article", "index.qmd"),
        notebooks=tuple(notebooks),
        environment=root / env if env else None,
        pages=tuple(pages),
    )


def quarto_command(quarto: str, ar: int | None) -> tuple[list[str], dict[str, str]]:
    """The ``quarto render`` command and its environment.

    The year goes to the pre-render step and the kernels (``SN_AR``) and to the article (``-P ar:``).
    The environment's own ``bin`` comes first on PATH, so the pre-render's ``python`` is this one.
    """
    from servicenamnden.domain.years import YEAR_VARIABLE  # the data's layer: not for the post-render step

    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    command = [quarto, "render"]
    if ar is not None:
        env[YEAR_VARIABLE] = str(ar)
        command += ["-P", f"ar:{ar}"]
    return command, env
