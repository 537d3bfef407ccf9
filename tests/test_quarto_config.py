"""_quarto.yml and its files as real Quarto reads them: sv-SE, one execution per render, no external
requests from the site (theme without web font, favicon), Quarto's layout left alone, Swedish words,
and the report year in the title through metadata the pre-render step writes."""

from __future__ import annotations

import re
import shlex
from importlib.util import find_spec

import pytest
import yaml

from servicenamnden.io import data
from servicenamnden.render import metadata

EXTERNAL = re.compile(r"@import|url\(\s*['\"]?(https?:)?//|https?://", re.I)


@pytest.fixture(scope="module")
def config(root):
    return yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article_front(root):
    text = (root / "report.qmd").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def test_language_is_swedish_as_in_sweden_everywhere(config, article_front):
    assert config["lang"] == "sv-SE"
    # The article's own front matter would override the project's.
    assert article_front.get("lang", "sv-SE") == "sv-SE"


def test_pre_render_runs_the_package_step(config):
    command = shlex.split(config["project"]["pre-render"])
    assert command[:2] == ["python", "-m"] and find_spec(command[2]) is not None
    assert command[2] == "servicenamnden.render.prerender"


def test_notebooks_are_not_executed_again_by_quarto(config, root):
    """``.ipynb`` files run only with ``execute: enabled``; the pre-render step has run them."""
    assert "enabled" not in config["execute"]
    assert config["execute"]["freeze"] is False
    listed = [nb["notebook"] for nb in config["manuscript"]["notebooks"]]
    pages = [name for name in listed if not name.endswith(".ipynb")]
    # A listed .qmd is a page without code (the accessibility statement): nothing for a kernel to run.
    assert pages == ["tillganglighet.qmd"]
    assert "```{python}" not in (root / pages[0]).read_text(encoding="utf-8")


def test_the_title_comes_from_the_metadata_file(config, article_front):
    assert config["metadata-files"] == [metadata.METADATA_FILE]
    assert "title" not in article_front  # the document's title would win over the project's


def test_title_follows_the_report_year(root):
    rapport_2023 = data.load("rapport", root / "data")
    assert metadata.report_metadata(2023, rapport_2023)["title"] == (
        "Servicenämndens verksamhetsberättelse och slutrapport för intern kontroll 2023"
    )
    fixture = root / "tests" / "fixtures" / "data_2024"
    meta_2024 = metadata.report_metadata(2024, data.load("rapport", fixture))
    assert meta_2024["title"].endswith("intern kontroll 2024")
    assert meta_2024["rapport"]["kort-titel"] == "Verksamhetsberättelse 2024"
    assert meta_2024["rapport"]["diarienummer"] == "SN-2025/0042"


def test_absent_title_page_facts_are_left_out(root):
    block = metadata.report_metadata(2023, data.load("rapport", root / "data"))["rapport"]
    assert "sammantradesdatum" not in block and "diarienummer" not in block
    assert block["ansvarig-rad"] == "Jörgen Axelsson, förvaltningschef"
    # A year without a row of its own keeps the committee, but no date or official of another year.
    later = metadata.report_metadata(2030, data.load("rapport", root / "data"))["rapport"]
    assert later["namnd"] == "Servicenämnden" and "ansvarig-rad" not in later


def test_the_title_block_dates_the_report_by_its_period(root):
    """A report always has its date: the period it reports on (the calendar year, as the source's
    "Rapportperiod" says), for every year, whether or not the meeting date is known yet."""
    rapport = data.load("rapport", root / "data")
    assert metadata.report_metadata(2023, rapport)["rapport"]["rapportperiod"] == "2023-01-01 – 2023-12-31"
    assert metadata.report_metadata(2030, rapport)["rapport"]["rapportperiod"] == "2030-01-01 – 2030-12-31"


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_metadata_file_follows_the_data_year(root, tmp_path, monkeypatch):
    """Written by the pre-render step for the default year of the data in use: 2024 for the invented set."""
    from servicenamnden.render.prerender import prepare
    from servicenamnden.render.project import load_project

    shutil_copy = __import__("shutil").copy
    for name in ("_quarto.yml", "report.qmd"):  # the step also checks the article's year-written text
        shutil_copy(root / name, tmp_path / name)
    monkeypatch.setenv("SN_DATA", str(root / "tests" / "fixtures" / "data_2024"))
    monkeypatch.delenv("SN_AR", raising=False)
    data.clear_cache()
    try:
        year, _, _ = prepare(load_project(tmp_path))
    finally:
        data.clear_cache()
    written = yaml.safe_load((tmp_path / metadata.METADATA_FILE).read_text(encoding="utf-8"))
    assert year == 2024 and written["title"].endswith(" 2024")


def test_theme_is_not_cosmo_and_loads_nothing_from_outside(config, root):
    theme = config["format"]["html"]["theme"]
    assert "cosmo" not in theme and theme[0] == "default"
    for name in theme[1:]:
        scss = (root / name).read_text(encoding="utf-8")
        assert "$web-font-path: false" in scss
        assert not EXTERNAL.search(re.sub(r"//.*", "", scss)), name


def test_the_site_asks_for_no_favicon_from_the_server(config, root):
    header = (root / config["format"]["html"]["include-in-header"]).read_text(encoding="utf-8")
    assert '<link rel="icon" href="data:,">' in header


def test_project_stylesheet_leaves_quartos_layout_alone(config, root):
    """Rules for the preview's page (body width, html font, banner) live in preview.css only."""
    css_files = config["format"]["html"]["css"]
    for name in [css_files] if isinstance(css_files, str) else css_files:
        css = re.sub(r"/\*.*?\*/", "", (root / name).read_text(encoding="utf-8"), flags=re.S)
        selectors = re.findall(r"([^{}]+)\{", css)
        for selector in selectors:
            for part in selector.split(","):
                assert part.strip().split(" ")[0] not in {"html", "body", "main", "header", "nav"}, part
        assert "max-width: 52rem" not in css and not EXTERNAL.search(css)
    assert "preview.css" not in str(css_files)


def test_pdf_link_is_called_pdf_and_the_sidebar_speaks_swedish(config):
    # "html" (a plain format name that is never an other format) keeps Quarto from adding "Typst" too.
    links = config["format"]["html"]["format-links"]
    assert links == [{"format": "typst", "text": "PDF"}, "html"]
    language = config["language"]
    assert language["related-notebooks-title"] != "Notebooks"
    assert language["notebook-preview-back"] == "Tillbaka till rapporten"


def test_typst_uses_the_project_partials(config):
    assert config["format"]["typst"]["template-partials"] == [
        "assets/typst-template.typ",
        "assets/typst-show.typ",
    ]


def test_preview_title_carries_the_year(project, executed):
    """The preview reads the same metadata as Quarto: its <title> and heading carry the year."""
    from servicenamnden.render.metadata import write_metadata
    from servicenamnden.render.preview import build_pages

    write_metadata(project.root, 2023)
    page = build_pages(project, executed)["index.html"]
    assert (
        "<title>Servicenämndens verksamhetsberättelse och slutrapport för intern kontroll 2023</title>"
        in page
    )
    assert "<h1>Servicenämndens verksamhetsberättelse och slutrapport för intern kontroll 2023</h1>" in page


def _project_with(root, tmp_path, config_edit=None, front_edit=None):
    """A copy of the project's configuration and article, edited, for the static checks."""
    import shutil

    from servicenamnden.render.project import load_project

    shutil.copytree(root / "notebooks", tmp_path / "notebooks")
    config = (root / "_quarto.yml").read_text(encoding="utf-8")
    article = (root / "report.qmd").read_text(encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(config_edit(config) if config_edit else config, encoding="utf-8")
    (tmp_path / "report.qmd").write_text(front_edit(article) if front_edit else article, encoding="utf-8")
    return load_project(tmp_path)


def test_static_checks_fail_where_quarto_would_go_wrong(root, tmp_path):
    import nbformat

    from servicenamnden.render.static_checks import check_quarto_behaviour

    assert check_quarto_behaviour(_project_with(root, tmp_path / "ok")) == []
    twice = _project_with(
        root, tmp_path / "a", lambda c: c.replace("  freeze: false", "  enabled: true\n  freeze: false")
    )
    assert any("en gång till" in p for p in check_quarto_behaviour(twice))
    titled = _project_with(
        root, tmp_path / "b", front_edit=lambda a: a.replace("---\n", '---\ntitle: "X"\n', 1)
    )
    assert any("titeln med rapportåret" in p for p in check_quarto_behaviour(titled))
    html = _project_with(root, tmp_path / "c")
    path = html.root / "notebooks" / "ms_ao.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<table></table>"})]
    nbformat.write(nb, path)
    assert any("require.js" in p for p in check_quarto_behaviour(html))


def test_charts_text_and_tables_share_one_font_stack(root):
    """Issue 11: one typeface family; the charts name the page's font stack (theme and preview alike)."""
    from servicenamnden.present.svg import FONT_STACK

    assert f"$font-family-sans-serif: {FONT_STACK};" in (root / "assets" / "theme.scss").read_text("utf-8")
    assert f"font-family: {FONT_STACK};" in (root / "assets" / "preview.css").read_text("utf-8")


def test_theme_text_colours_meet_aa_on_white_and_on_the_title_block(root, contrast_ratio):
    """Issue 9, point 8: every text colour the theme sets reads at 4,5:1 or more on white and on the
    title block's light grey (#f8f9fa). Quarto draws captions and section numbers in $body-secondary
    (its mixin body-secondary; without it, a dimmed body colour), so the theme sets it too."""
    theme = (root / "assets" / "theme.scss").read_text("utf-8")
    colours = dict(re.findall(r"^\$([\w-]+):\s*(#[0-9a-fA-F]{6});", theme, flags=re.M))
    text = ("body-color", "link-color", "text-muted", "secondary", "toc-color", "body-secondary")
    assert set(text) <= set(colours), set(text) - set(colours)
    for name in text:
        for background in ("#ffffff", "#f8f9fa"):
            ratio = contrast_ratio(colours[name], background)
            assert ratio >= 4.5, f"${name} {colours[name]} on {background}: {ratio:.2f}:1"


def test_white_on_primary_reads_and_the_title_block_stays_light(root, contrast_ratio):
    """Issue 18: Quarto's notebook pages draw their header bar, back link and download button in $primary
    with white text (3,97:1 with Bootstrap's blue). Setting $primary also colours the title banner, so
    the theme keeps that light grey with dark text."""
    theme = (root / "assets" / "theme.scss").read_text("utf-8")
    colours = dict(re.findall(r"^\$([\w-]+):\s*(#[0-9a-fA-F]{6});", theme, flags=re.M))
    assert contrast_ratio(colours["primary"], "#ffffff") >= 4.5
    assert colours["title-banner-bg"].lower() == "#f8f9fa"
    assert contrast_ratio(colours["title-banner-color"], colours["title-banner-bg"]) >= 4.5


def test_no_english_anchor_labels_and_no_unused_scripts(config):
    html = config["format"]["html"]
    assert html["anchor-sections"] is False  # anchor.js labels every heading "Anchor"
    assert html["code-copy"] is False and html["crossrefs-hover"] is False


def test_every_notebook_opens_with_a_sentence_and_folds_its_code(root, committed):
    """Issue 18: a reader who follows a table to its notebook page reads first what the page computes."""
    import json

    for path in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(committed(path))["cells"]
        front = yaml.safe_load("".join(cells[0]["source"]).strip("-\n"))
        assert front["code-fold"] is True and front["code-summary"] == "Visa koden", path.name
        first = "".join(cells[1]["source"]).split("\n\n")[0]
        assert cells[1]["cell_type"] == "markdown" and first.startswith("Här ") and first.endswith("."), (
            path.name
        )
        assert "`" not in first, f"{path.name}: ingen kod i första meningen"


def test_the_sites_resources_are_only_the_projects_own_downloads(config):
    """Quarto matches a resource glob without a leading ``/`` in every folder of the project: with
    ``downloads/*.csv`` a preview built earlier (``_preview/downloads/``) went into the published site."""
    resources = config["manuscript"]["resources"]
    assert resources and all(glob.startswith("/downloads/") for glob in resources), resources
