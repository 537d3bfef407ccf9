"""Charts under real Quarto: the HTML page gets the <picture> (phone and desktop drawings), the typst PDF
the SVG with the chart's alt text, and no notebook output makes Quarto load CDN scripts.

Quarto prefers ``text/markdown`` to ``image/svg+xml`` for every format (quarto-cli
src/core/jupyter/display-data.ts), and the pre-render step turns a chart's ``text/html`` into markdown,
so that markdown must carry a raw block for each format: typst drops raw HTML. A ``fig-`` cell whose
single output is markdown becomes a div with the figure's id and its caption last
(src/core/jupyter/jupyter.ts, labels.ts), which Quarto parses as a figure: compiled here as Quarto's
typst writer shapes it (a ``figure`` of kind ``quarto-float-fig``) with the PyPI ``typst`` package.
"""

from __future__ import annotations

import html
import io
import json
import re

import nbformat
import pypdf
import pytest

from servicenamnden.io import data
from servicenamnden.present import figures
from servicenamnden.render import prerender
from servicenamnden.render.build import execute_documents
from servicenamnden.render.quarto_exec import cell_options
from servicenamnden.render.static_checks import WIDGET_TRIGGERS

typst = pytest.importorskip("typst")

RAW_BLOCK = re.compile(r"^(`{3,})\{=(\w+)\}\n(.*?)\n\1$", re.S | re.M)


@pytest.fixture(scope="module")
def chart():
    data.clear_cache()
    return figures.ms_ao_index_chart(data.load("ms_ao_kostnader"), data.load("ms_ao_index"), 2023)


def chart_output(chart) -> nbformat.NotebookNode:
    """The output Jupyter records for a chart displayed in a cell."""
    bundle, metadata = chart._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)


def raw_blocks(markdown: str) -> dict[str, str]:
    """The raw blocks of a markdown text by target format (html, typst)."""
    blocks = {target: body for _fence, target, body in RAW_BLOCK.findall(markdown)}
    assert len(blocks) == len(RAW_BLOCK.findall(markdown)), "a format has two raw blocks"
    return blocks


def quarto_figure(body: str, label: str, caption: str) -> str:
    """A figure as Quarto's typst output has it, holding ``body`` (a raw typst block's content)."""
    return (
        f"#figure([\n{body}\n], caption: figure.caption(position: bottom, [{caption}]), "
        f'kind: "quarto-float-fig", supplement: "Figur")\n<{label}>\n'
    )


def compile_pdf(document: str) -> pypdf.PdfReader:
    """Compile ``document``; typst must give no warning for it."""
    pdf, warnings = typst.compile_with_warnings(document.encode("utf-8"), format="pdf")
    assert not warnings, warnings
    return pypdf.PdfReader(io.BytesIO(pdf))


def figure_alts(reader: pypdf.PdfReader) -> list[str]:
    """The alt texts of the tagged PDF's Figure structure elements, in document order."""
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return alts


def pdf_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_chart_reaches_quarto_as_markdown_with_an_html_and_a_typst_block(chart):
    output = chart_output(chart)
    result = prerender.output_for_quarto(output)
    assert not set(result["data"]) & set(WIDGET_TRIGGERS)
    blocks = raw_blocks(result["data"]["text/markdown"])
    assert set(blocks) == {"html", "typst"}
    assert blocks["html"] == chart.html()  # the <picture> as the chart made it
    assert '<source media="' in blocks["html"] and f'alt="{html.escape(chart.alt)}"' in blocks["html"]
    assert "sys.version" in blocks["typst"] and "image.decode(" in blocks["typst"]
    assert output["data"]["text/html"] == chart.html()  # the executed output itself is left as it was


def quarto_mime(bundle: dict, html_output: bool) -> str | None:
    """The output type Quarto renders, by its priority (display-data.ts, for a markdown-based format)."""
    priority = ["text/markdown", "image/svg+xml", "image/png", "image/jpeg"]
    if html_output:
        scripts = ["application/vnd.jupyter.widget-state+json", "application/vnd.jupyter.widget-view+json"]
        priority = [*scripts, "application/javascript", "text/html", *priority]
    return next((mime for mime in [*priority, "text/plain"] if mime in bundle), None)


@pytest.mark.parametrize(
    ("html_output", "target", "drawing"), [(True, "html", "<picture"), (False, "typst", "image(")]
)
def test_each_format_finds_the_chart_in_what_quarto_picks(chart, html_output, target, drawing):
    """Quarto picks the markdown for HTML and typst alike; Pandoc keeps only the raw block of the format
    it writes, so each format must find its own drawing there (typst drops raw HTML)."""
    bundle = prerender.output_for_quarto(chart_output(chart))["data"]
    assert quarto_mime(bundle, html_output) == "text/markdown"
    kept = raw_blocks(bundle["text/markdown"]).get(target, "")
    assert drawing in kept


def test_a_typst_string_holds_any_text_exactly():
    tricky = 'a "quoted" \\ back\\slash\nnew line\r\ttab\x1b ] } # $ */ // <svg x="1"> å – −'
    document = f"#metadata({prerender.typst_string(tricky)}) <value>"
    values = json.loads(typst.query(document.encode("utf-8"), "<value>", field="value"))
    assert values == [tricky]


def test_the_typst_block_draws_the_chart_in_a_quarto_figure_with_the_charts_alt_text(chart):
    blocks = raw_blocks(prerender.output_for_quarto(chart_output(chart))["data"]["text/markdown"])
    document = "Som @fig-ms-ao-index visar.\n\n" + quarto_figure(
        blocks["typst"], "fig-ms-ao-index", "Kostnad och index"
    )
    reader = compile_pdf(document)
    text = pdf_text(reader)
    assert (
        "Som Figur\u00a01 visar" in text and "Figur\u00a01: Kostnad" in text
    )  # the cross-reference and the caption resolve
    assert "Index, 2019 = 100" in text and "Storköksindex" in text  # the SVG's own text is drawn
    assert figure_alts(reader) == [chart.alt]


@pytest.fixture(scope="module")
def executed_for_quarto(project):
    """Every notebook executed as the pre-render step does it, and the notebook Quarto then gets."""
    paths = [nb for nb, _ in project.notebooks]
    executed = execute_documents(paths)
    return {
        path: (executed[path].notebook, prerender.notebook_for_quarto(path, executed[path])) for path in paths
    }


def figure_cells(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    labelled = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            label = str(cell_options(cell.source).get("label", ""))
            if label.startswith("fig-"):
                labelled[label] = cell
    return labelled


def test_the_notebooks_quarto_gets_have_no_html_or_script_output(executed_for_quarto):
    for path, (_ran, for_quarto) in executed_for_quarto.items():
        for cell in for_quarto.cells:
            for output in cell.get("outputs", []):
                assert not set(output.get("data", {})) & set(WIDGET_TRIGGERS), (
                    path.name,
                    list(output["data"]),
                )


def test_every_chart_reaches_html_and_the_typst_pdf_as_a_figure_with_its_alt_text(executed_for_quarto):
    body, alts = [], []
    for path, (ran, for_quarto) in executed_for_quarto.items():
        ran_cells = figure_cells(ran)
        for label, cell in figure_cells(for_quarto).items():
            # One output, so Quarto gives the output div the figure's id and puts the caption last.
            assert len(cell.outputs) == 1 and cell.outputs[0].output_type in (
                "display_data",
                "execute_result",
            )
            original = [o for o in ran_cells[label].outputs if "image/svg+xml" in o.get("data", {})]
            assert len(original) == 1, (path.name, label)
            alt = original[0]["metadata"]["image/svg+xml"]["alt"]
            assert len(alt) > 40, (label, alt)
            blocks = raw_blocks(cell.outputs[0]["data"]["text/markdown"])
            assert set(blocks) == {"html", "typst"}, (path.name, label)
            assert blocks["html"] == original[0]["data"]["text/html"]
            assert re.match(
                r'<picture class="chart"(?: style="--sn-share-[^"]+")?><source media=', blocks["html"]
            )
            assert f'alt="{html.escape(alt)}"' in blocks["html"]
            body.append(quarto_figure(blocks["typst"], label, options_caption(cell)))
            alts.append(alt)
    assert len(alts) >= 7
    references = ", ".join(f"@{re.search(r'<(fig-[^>]+)>', b).group(1)}" for b in body)
    reader = compile_pdf(f"Se {references}.\n\n" + "\n".join(body))
    text = pdf_text(reader)
    assert f"Figur\u00a0{len(alts)}" in text
    assert figure_alts(reader) == alts


def options_caption(cell: nbformat.NotebookNode) -> str:
    """The cell's fig-cap as plain typst content (brackets escaped)."""
    caption = str(cell_options(cell.source)["fig-cap"])
    return caption.replace("[", "\\[").replace("]", "\\]").replace("#", "\\#")
