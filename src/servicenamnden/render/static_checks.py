"""Checks of what Quarto would refuse, made without Quarto: embeds, cross-references, files, labels."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from servicenamnden.render.project import Project
from servicenamnden.render.quarto_exec import ExecutedDocument, options, read_document

EMBED = re.compile(r"\{\{<\s*embed\s+([^#\s>]+)#([\w-]+)\s*>\}\}")
# A reference as Pandoc reads it; ``\@tbl-x`` (escaped data text) is the characters, not a reference.
CROSSREF = re.compile(r"(?<![\w@\\])@((?:tbl|fig|sec)-[\w-]+)")
SECTION_ID = re.compile(r"\{#(sec-[\w-]+)[^}]*\}")
DOWNLOAD_LINK = re.compile(r"""(?:\]\(|href=")(?:\.\./)*downloads/([^)"\s]+)""")


def embeds(text: str) -> list[tuple[str, str]]:
    """(notebook path, label) for every ``{{< embed >}}`` in ``text``."""
    return EMBED.findall(text)


def crossrefs(text: str) -> list[str]:
    """Every ``@tbl-``, ``@fig-`` and ``@sec-`` reference in ``text``, code cells excluded."""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    return CROSSREF.findall(prose)


def cell_labels(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """Label → code cell, from the cells' ``#| label`` options."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            label = options(cell).get("label")
            if label:
                found[str(label)] = cell
    return found


def check_config(project: Project) -> list[str]:
    """Every file ``_quarto.yml`` names exists."""
    problems = []
    named = [project.article, *(nb for nb, _ in project.notebooks)]
    if project.environment:
        named.append(project.environment)
    for path in named:
        if not path.exists():
            problems.append(f"_quarto.yml nämner {path.relative_to(project.root)}, som inte finns")
    for kind, name in _format_files(project.config):
        if not (project.root / name).exists():
            problems.append(f"_quarto.yml nämner {kind} {name}, som inte finns")
    return problems


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def _format_files(config: dict) -> list[tuple[str, str]]:
    """The files the formats name: stylesheets, theme files, includes and template partials."""
    formats = config.get("format", {})
    html = formats.get("html", {}) or {}
    typst = formats.get("typst", {}) or {}
    theme = html.get("theme", {})
    themes = theme.get("light", []) if isinstance(theme, dict) else theme
    named = [("stilmallen", c) for c in _as_list(html.get("css"))]
    named += [("temat", t) for t in _as_list(themes) if t.endswith(".scss")]
    named += [("filen", f) for f in _as_list(html.get("include-in-header"))]
    named += [("mallen", p) for p in _as_list(typst.get("template-partials"))]
    return named


# Quarto adds require.js and jQuery from a CDN to a page whose notebook has an output of these types
# (its Jupyter widget detection); the pre-render step writes tables as text/markdown instead.
WIDGET_TRIGGERS = ("text/html", "application/javascript")


def check_quarto_behaviour(project: Project) -> list[str]:
    """What real Quarto would do wrong with the project as it stands: execute the notebooks a second
    time, let the article's front matter hide the title with the year or the language, or load CDN
    scripts for a notebook output."""
    problems = []
    if (project.config.get("execute") or {}).get("enabled") is True:
        problems.append("_quarto.yml har execute: enabled: true, så Quarto kör notebookarna en gång till")
    _nb, front = read_document(project.article)
    if "title" in front:
        problems.append(f"{project.article.name}: title i front matter döljer titeln med rapportåret")
    if front.get("lang", project.config.get("lang")) != project.config.get("lang"):
        problems.append(f"{project.article.name}: lang {front['lang']} skiljer sig från _quarto.yml")
    for nb_path, _ in project.notebooks:
        if nb_path.suffix != ".ipynb" or not nb_path.exists():
            continue
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                found = set(output.get("data", {})) & set(WIDGET_TRIGGERS)
                if found:
                    problems.append(
                        f"{nb_path.name}: en utdata av typen {sorted(found)[0]} får Quarto att hämta "
                        "require.js och jQuery från ett CDN"
                    )
                    break
    return problems


def check_captions(name: str, labels: dict[str, nbformat.NotebookNode]) -> list[str]:
    """Tables have ``tbl-cap``; figures have ``fig-cap`` and ``fig-alt``."""
    problems = []
    for label, cell in labels.items():
        opts = options(cell)
        if label.startswith("tbl-") and not opts.get("tbl-cap"):
            problems.append(f"{name}: tabellen {label} saknar tbl-cap")
        if label.startswith("fig-"):
            for key in ("fig-cap", "fig-alt"):
                if not opts.get(key):
                    problems.append(f"{name}: figuren {label} saknar {key}")
    return problems


def check_project(project: Project, executed: dict[Path, ExecutedDocument] | None = None) -> list[str]:
    """All static checks; returns the problems found (empty when all hold)."""
    problems = check_config(project)
    if problems:
        return problems
    problems.extend(check_quarto_behaviour(project))
    article_text = project.article.read_text(encoding="utf-8")
    listed = {nb.resolve() for nb, _ in project.notebooks}
    all_labels: dict[str, str] = {}

    def register(name: str, labels: dict) -> None:
        for label in labels:
            if label in all_labels:
                problems.append(f"etiketten {label} finns både i {all_labels[label]} och i {name}")
            all_labels[label] = name

    for nb_path, _ in project.notebooks:
        nb, _front = read_document(nb_path)
        labels = cell_labels(nb)
        register(nb_path.name, labels)
        problems.extend(check_captions(nb_path.name, labels))
    article_nb, _ = read_document(project.article)
    article_labels = cell_labels(article_nb)
    register(project.article.name, article_labels)
    problems.extend(check_captions(project.article.name, article_labels))

    embedded: set[str] = set()
    for target, label in embeds(article_text):
        path = (project.root / target).resolve()
        if not path.exists():
            problems.append(
                f"{project.article.name}: inbäddningen {target}#{label} pekar på en fil som saknas"
            )
            continue
        if path not in listed:
            problems.append(
                f"{project.article.name}: {target} bäddas in men står inte bland notebooks i _quarto.yml"
            )
        nb, _ = read_document(path)
        labels = cell_labels(nb)
        if label not in labels:
            problems.append(f"{project.article.name}: {target} har ingen cell med etiketten {label}")
            continue
        embedded.add(label)
        if executed is not None and path in executed:
            cell = cell_labels(executed[path].notebook).get(label)
            if cell is None or not cell.get("outputs"):
                problems.append(f"{project.article.name}: cellen {target}#{label} gav ingen utdata")

    sections = set(SECTION_ID.findall(article_text))
    targets = sections | embedded | set(article_labels)
    for ref in crossrefs(article_text):
        if ref not in targets:
            problems.append(f"{project.article.name}: hänvisningen @{ref} har inget mål")
    for sec in sections:
        if sec in all_labels:
            problems.append(f"etiketten {sec} används både som avsnitt och som cell")
    return problems


def article_markdown(document: ExecutedDocument) -> list[str]:
    """The executed article's Markdown in order: its prose (values filled in) and its blocks' outputs."""
    parts = []
    for cell in document.notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(str(output.get("data", {}).get("text/markdown", "")))
    return parts


def check_download_links(project: Project, executed: dict[Path, ExecutedDocument], folder: Path) -> list[str]:
    """Every link of the executed article to a file in ``downloads/`` leads to a file the run wrote there."""
    article = executed.get(project.article)
    if article is None:
        return []
    problems = []
    for text in article_markdown(article):
        for name in DOWNLOAD_LINK.findall(text):
            if not (folder / name).exists():
                problems.append(
                    f"{project.article.name}: länken till downloads/{name} pekar på en fil som inte skrevs"
                )
    return problems
