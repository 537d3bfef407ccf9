"""Quarto's ``pre-render`` step: validate the data, write the year's metadata, execute the notebooks once.

``_quarto.yml`` runs ``python -m servicenamnden.render.prerender`` before every render, so plain
``quarto render`` stops with one Swedish line (and a non-zero exit, so Quarto renders nothing) when a
data file is wrong. The notebooks are executed here, in parallel, and their outputs written into
``notebooks/*.ipynb``, where Quarto renders them without executing them again (``.ipynb`` files are
executed only when ``execute: enabled`` is set); ``report.qmd`` is executed by Quarto as usual.

Outputs are written the way Quarto should see them: an HTML output (a great-tables table) becomes
``text/markdown`` holding a raw ```` ```{=html} ```` block. Quarto still turns the table into a typst
table, but no page counts as having a Jupyter widget, so Quarto adds no require.js or jQuery from a CDN.
A chart (HTML ``<picture>`` plus SVG) gets two raw blocks: the ``<picture>`` for HTML and a
```` ```{=typst} ```` block drawing the SVG with its alt text, because Quarto prefers ``text/markdown``
to ``image/svg+xml`` for every format and typst drops raw HTML. In a ``fig-`` cell Quarto puts a
markdown output in a div with the figure's id and caption, so it stays a cross-referenced figure.
The harness (``make check``) runs the same step, so its tests cover the path Quarto takes.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import time
from pathlib import Path

import nbformat

from servicenamnden.domain.years import YEAR_VARIABLE, requested_year, resolve_year
from servicenamnden.errors import (
    CheckDefinitionError,
    DataError,
    TextError,
    one_line,
    os_error_line,
    sentence,
)
from servicenamnden.io import data
from servicenamnden.present.opendata import DOWNLOADS_DIR
from servicenamnden.reconcile import checks
from servicenamnden.render import typst_table
from servicenamnden.render.build import execute_all
from servicenamnden.render.metadata import write_metadata
from servicenamnden.render.outputs import preserved
from servicenamnden.render.project import Project, load_project
from servicenamnden.render.quarto_exec import ExecutedDocument, ExecutionError
from servicenamnden.render.static_checks import check_project
from servicenamnden.render.yeartext import check_article, report_lines

DROPPED_MIMETYPES = ("text/html", "application/javascript", "application/vnd.jupyter.widget-view+json")
# A great-tables table: Quarto would parse its HTML for the PDF (one juice run per table); it gets the
# typst table ready-made instead (render/typst_table.py) and leaves the HTML as it is.
GT_TABLE = re.compile(r'<table\b[^>]*class="gt_table"')
# Quarto's switch for a raw HTML block it must not turn into a table (src/resources/filters/modules/
# patterns.lua, html_disable_table_processing_comment): checked before juice and pandoc run. The table's
# attribute data-quarto-disable-processing is read only after both have run, so it saves no time.
NO_TABLE_PROCESSING = "<!--| quarto-html-table-processing: none -->"
TYPST_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def raw_block(text: str, target: str) -> str:
    """``text`` as a Pandoc raw block for ``target`` (html, typst), fenced with more backticks than it
    holds in a row, so nothing inside can close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{={target}}}\n{text.strip()}\n{fence}"


def raw_html_block(html: str) -> str:
    """``html`` as a Pandoc raw HTML block."""
    return raw_block(html, "html")


def typst_string(text: str) -> str:
    """``text`` as a typst string literal: backslash, quote and control characters escaped."""
    escaped = []
    for char in text:
        if char in TYPST_ESCAPES:
            escaped.append(TYPST_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{{{ord(char):x}}}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def typst_svg_image(svg: str, alt: str) -> str:
    """Typst code drawing ``svg`` (its text) at the column's width with ``alt`` as its alt text.

    Typst 0.13 replaced ``image.decode`` by ``image(bytes(...))`` (later versions drop ``decode``);
    ``sys.version`` picks the call, and the branch not taken is never evaluated.
    """
    return (
        "#{\n"
        f"  let svg = {typst_string(svg)}\n"
        f"  let alt = {typst_string(alt)}\n"
        "  if sys.version >= version(0, 13, 0) {\n"
        '    image(bytes(svg), format: "svg", alt: alt, width: 100%)\n'
        "  } else {\n"
        '    image.decode(svg, format: "svg", alt: alt, width: 100%)\n'
        "  }\n"
        "}"
    )


def chart_alt(output: nbformat.NotebookNode) -> str:
    """The alt text a chart gave its SVG (``metadata["image/svg+xml"]["alt"]``), else empty."""
    meta = (output.get("metadata") or {}).get("image/svg+xml") or {}
    return str(meta.get("alt") or "")


def chart_markdown(html: str, svg: str, alt: str) -> str:
    """A chart for every format: its HTML (phone and desktop drawings) and a typst block with the SVG."""
    return raw_block(html, "html") + "\n\n" + raw_block(typst_svg_image(svg, alt), "typst")


def table_markdown(html: str) -> str:
    """A table for every format: its HTML, which Quarto leaves as it is (:data:`NO_TABLE_PROCESSING`), for
    the web page, and the same table as typst for the PDF (Quarto drops raw HTML there)."""
    html_block = raw_block(f"{NO_TABLE_PROCESSING}\n{html.strip()}", "html")
    return html_block + "\n\n" + raw_block(typst_table.to_typst(html), "typst")


def output_for_quarto(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """An output as Quarto should get it: HTML as a raw block in ``text/markdown``, no scripts; a
    chart's markdown also draws its SVG for typst."""
    result = copy.deepcopy(output)
    bundle = result.get("data")
    if not bundle:
        return result
    if "text/html" in bundle and "text/markdown" not in bundle:
        html = str(bundle["text/html"])
        if "image/svg+xml" in bundle:
            bundle["text/markdown"] = chart_markdown(html, str(bundle["image/svg+xml"]), chart_alt(result))
        elif GT_TABLE.search(html):
            bundle["text/markdown"] = table_markdown(html)
        else:
            bundle["text/markdown"] = raw_html_block(html)
    for mime in DROPPED_MIMETYPES:
        bundle.pop(mime, None)
    return result


def notebook_for_quarto(source: Path, executed: ExecutedDocument) -> nbformat.NotebookNode:
    """The source notebook with the executed outputs filled in; nothing else of it changes.

    Cells, their sources and metadata stay as committed (an injected parameters cell is not kept), so
    stripping the outputs gives back the committed file exactly.
    """
    notebook = nbformat.read(source, as_version=4)
    ran = [
        c
        for c in executed.notebook.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if len(ran) != len(code):
        raise ExecutionError(f"{source.name}: de körda cellerna stämmer inte med notebookens celler")
    for cell, result in zip(code, ran, strict=True):
        cell.outputs = [output_for_quarto(o) for o in result.get("outputs", [])]
        cell.execution_count = result.get("execution_count")
    return notebook


def write_for_quarto(project: Project, executed: dict[Path, ExecutedDocument]) -> list[Path]:
    """Write every executed notebook's outputs into its source file, where Quarto renders it."""
    written = []
    for path, _title in project.notebooks:
        if path in executed and path.suffix == ".ipynb":
            nbformat.write(notebook_for_quarto(path, executed[path]), path)
            written.append(path)
    return written


def prepare(project: Project, ar: int | None = None) -> tuple[int, list[checks.Check], list[str]]:
    """Validate every data file, the avstämningar and the year's text, then write the year's metadata.
    Returns the report year, the checks and the lines on text not yet written for the year. Raises
    :class:`DataError` or :class:`TextError` (Swedish lines) before anything is written."""
    data.validate_all()
    year = resolve_year(ar)
    avstamningar = checks.run_all(ar=year)
    stale, warnings = check_article(project.article, year, data.load)
    write_metadata(project.root, year)
    return year, avstamningar, report_lines(stale, warnings, year)


# What stops a run with one Swedish line and exit code 1 (no traceback), here and in the CLI. An
# OSError is an output that could not be written (a full disk, a read-only folder).
STOPS = (DataError, CheckDefinitionError, ExecutionError, TextError, OSError)
DEBUG_VARIABLE = "SN_FELSOK"  # set to 1 to see a failed cell's whole traceback after the line


def stop_line(exc: Exception) -> str:
    """The one line a controller reads when a run stops: the data error as it is, else what stopped,
    ending in exactly one full stop."""
    if isinstance(exc, DataError):
        return str(exc)
    if isinstance(exc, OSError):
        return os_error_line(exc)
    if isinstance(exc, CheckDefinitionError):
        return one_line(sentence(f"Avstämningen kan inte göras: {exc}") + " Inget har ändrats.")
    if isinstance(exc, TextError):  # one line per sentence that the year's data contradict
        return "\n".join(f"Texten stämmer inte med årets data: {line}" for line in str(exc).splitlines())
    if isinstance(exc, ExecutionError) and str(exc).startswith("Fel i "):
        return one_line(str(exc))  # a data error raised inside a document: its own line
    return one_line(sentence(f"Körningen stoppade: {exc}") + " Inget har ändrats.")


def report_stop(exc: Exception) -> int:
    """Print the stop line on stderr (and, when debugging, the traceback kept with it); exit code 1."""
    print(stop_line(exc), file=sys.stderr)
    detail = getattr(exc, "detail", "")
    if detail and os.environ.get(DEBUG_VARIABLE):
        print(detail, file=sys.stderr)
    return 1


def year_params(ar: int | None) -> dict:
    """Parameters for the documents: the year when one was asked for, else none (each resolves it)."""
    return {"ar": int(ar)} if ar is not None else {}


def execute_for_render(
    project: Project, params: dict | None = None, with_article: bool = True, jobs: int | None = None
) -> dict[Path, ExecutedDocument]:
    """Execute the notebooks and write each table's CSV, then, for the harness, the article (as Quarto
    runs it after this step, so its links see the files this run wrote; :func:`execute_all`); write the
    notebooks' outputs where Quarto renders them and the list of checks beside the CSVs."""
    executed = execute_all(project, params, jobs, with_article)
    write_for_quarto(project, executed)
    write_checks_csv(project, (params or {}).get("ar"))
    return executed


def write_checks_csv(project: Project, ar: int | None) -> Path:
    """The complete list of avstämningar for the year as CSV beside the tables' CSVs (numbers as numbers)."""
    return checks.write_csv(checks.run_all(ar=ar), project.root / DOWNLOADS_DIR / checks.CHECKS_CSV)


def main(argv: list[str] | None = None) -> int:
    """Run the pre-render step; print one Swedish line and exit 1 when the data are wrong."""
    parser = argparse.ArgumentParser(description="Quartos pre-render-steg för verksamhetsberättelsen")
    parser.add_argument("--ar", type=int, default=None, help=f"rapportåret (annars {YEAR_VARIABLE})")
    args = parser.parse_args(argv)
    try:
        ar = requested_year(args.ar)
        project = load_project()
        with preserved(project.root):  # a stopped step leaves every output as it was
            year, _, text_lines = prepare(project, ar)
            started = time.perf_counter()
            executed = execute_for_render(project, year_params(ar), with_article=False)
        problems = check_project(project, executed)
    except STOPS as exc:
        return report_stop(exc)
    for problem in problems:
        print(f"Kontroll: {problem}", file=sys.stderr)
    if problems:
        return 1
    for line in text_lines:
        print(line, flush=True)
    print(
        f"Pre-render: data validerade, rapportår {year}, {len(executed)} notebooks körda "
        f"({time.perf_counter() - started:.1f} s); Quarto kör nu report.qmd.",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
