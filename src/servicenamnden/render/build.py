"""Execute documents of the project in parallel, notebooks sharing kernels in turn; copies go to ``_build/``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from servicenamnden.domain.years import resolve_year
from servicenamnden.present.opendata import DOWNLOADS_DIR
from servicenamnden.reconcile.checks import Check
from servicenamnden.render import datafiler, harledning  # issue 20
from servicenamnden.render.artikelvarden import execute_article, has_code, write_values
from servicenamnden.render.downloads import write_downloads
from servicenamnden.render.project import Project
from servicenamnden.render.quarto_exec import ExecutedDocument, execute, shared_kernel

BUILD_DIR = "_build"


def build_path(project: Project, document: Path) -> Path:
    """Where the executed copy of ``document`` is written."""
    rel = document.relative_to(project.root)
    return project.root / BUILD_DIR / rel.with_suffix(".ipynb")


def kernel_groups(documents: Iterable[Path], jobs: int) -> list[list[Path]]:
    """Which documents share a kernel: an article (``.qmd``) gets its own, as in Quarto; the notebooks,
    which the pre-render step executes, are dealt in turn into ``jobs`` groups that each share one.

    Articles come first, so the longest document starts first.

    >>> docs = [Path(n) for n in ("a.ipynb", "b.ipynb", "c.ipynb", "report.qmd")]
    >>> [[p.name for p in g] for g in kernel_groups(docs, 2)]
    [['report.qmd'], ['a.ipynb', 'c.ipynb'], ['b.ipynb']]
    """
    documents = list(documents)
    notebooks = [d for d in documents if d.suffix == ".ipynb"]
    articles = [[d] for d in documents if d.suffix != ".ipynb"]
    shared = [notebooks[i :: max(1, jobs)] for i in range(max(1, jobs))]
    return articles + [g for g in shared if g]


def _run_group(args: tuple[list[Path], dict]) -> list[ExecutedDocument]:
    paths, params = args
    if len(paths) == 1 and paths[0].suffix != ".ipynb":
        if not has_code(paths[0]):  # the article: no code, its values come from the pre-render step
            return [execute_article(paths[0], params)]
        return [execute(paths[0], params)]
    with shared_kernel() as run:
        return [run(path, params) for path in paths]


def default_jobs() -> int:
    """One worker per core plus one: a kernel waits on start-up and messages part of the time, and the
    extra worker keeps the cores busy meanwhile."""
    return max(2, min(5, (os.cpu_count() or 1) + 1))


def execute_documents(
    documents: Iterable[Path],
    params: dict | None = None,
    jobs: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> dict[Path, ExecutedDocument]:
    """Run ``documents``, ``jobs`` kernels at a time (see :func:`kernel_groups`); returns them in the
    given order. ``meanwhile`` runs in this process while the kernels work (after, with one job)."""
    documents = list(documents)
    params = params or {}
    jobs = min(jobs or default_jobs(), max(1, len(documents)))
    groups = kernel_groups(documents, jobs)
    if jobs == 1:
        ran = [_run_group((group, params)) for group in groups]
        if meanwhile:
            meanwhile()
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pending = pool.map(_run_group, [(group, params) for group in groups])  # workers started
            if meanwhile:
                meanwhile()
            ran = list(pending)
    by_path = {result.path: result for results in ran for result in results}
    return {d: by_path[Path(d).resolve()] for d in documents}


def write_build_copies(project: Project, executed: dict[Path, ExecutedDocument]) -> None:
    """Write the executed copies to ``_build/`` (sources untouched)."""
    for document, result in executed.items():
        target = build_path(project, document)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(result.notebook, target)


def execute_all(
    project: Project,
    params: dict | None = None,
    jobs: int | None = None,
    with_article: bool = True,
    ran: list[Check] | None = None,
) -> dict[Path, ExecutedDocument]:
    """Run the notebooks, ``jobs`` at a time, write each table's CSV to ``downloads/`` (from the registry,
    no kernel needed; ``ran``: the year's avstämningar if already run), then compute the article's values
    (and, ``with_article``, fill them in, as Quarto's shortcodes do after the pre-render step): the article
    links only the files this run wrote. The executed copies go to ``_build/``."""
    notebooks = [nb for nb, _ in project.notebooks]
    year = resolve_year((params or {}).get("ar"))

    def downloads() -> None:  # each table's CSV, linked beside it; written while the kernels run
        write_downloads(notebooks, project.root / DOWNLOADS_DIR, year, ran)
        datafiler.write_bodies(project.root)  # the data files' pages, so the post-render step loads no data

    executed = execute_documents(notebooks, params, jobs, meanwhile=downloads)
    # issue 20: the figures' provenance (downloads/harledning.csv, _build/harledning.json), linked by the
    # article; after the tables' files, since writing those empties downloads/ first
    harledning.year_records(project.root, project.article, year, project.root / DOWNLOADS_DIR)
    if with_article:  # the article's values computed into _build/artikelvarden.json and read back from it
        executed = {**executed, **execute_documents([project.article], params, 1)}
    else:  # Quarto renders the article next: its shortcodes read the values from that file
        write_values(project.root, project.article, year)
    write_build_copies(project, executed)
    return executed
