"""The typst partials in assets/ compile with typst (the PyPI package, the compiler Quarto uses):
title page alone with the year and the committee's facts, contents, footers "Sida x (y)", sv-SE,
and a table longer than a page that breaks across pages with its header repeated."""

from __future__ import annotations

import io
import re

import pytest

typst = pytest.importorskip("typst")
pypdf = pytest.importorskip("pypdf")

from servicenamnden.render.metadata import report_metadata  # noqa: E402

IF_BLOCK = re.compile(r"\$if\(([\w.-]+)\)\$\n?(.*?)\$endif\$\n?", re.S)
VARIABLE = re.compile(r"\$([\w-]+(?:\.[\w-]+)*)\$")


def _lookup(variables: dict, name: str) -> object:
    value: object = variables
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def fill_template(template: str, variables: dict) -> str:
    """The subset of Pandoc's template language the partials use: ``$if(x)$…$endif$`` and ``$x.y$``."""
    text = IF_BLOCK.sub(lambda m: m.group(2) if _lookup(variables, m.group(1)) else "", template)
    text = VARIABLE.sub(
        lambda m: (
            str(_lookup(variables, m.group(1))).lower()
            if isinstance(_lookup(variables, m.group(1)), bool)
            else str(_lookup(variables, m.group(1)))
        ),
        text,
    )
    assert "$" not in text.replace("$$", ""), "a template variable was left unfilled"
    return text


def quarto_table(rows: int, label: str = "tbl-lang") -> str:
    """A captioned table as Quarto's typst output has it: a figure of kind quarto-float-tbl."""
    body = "\n".join(f"  [Rad {i}], [{i * 7}], [{i * 3}]," for i in range(1, rows + 1))
    return (
        "#figure([\n#table(\n  columns: (50%, 25%, 25%),\n  align: (left, right, right),\n"
        "  table.header([Kolumnrubrik A], [Kolumnrubrik B], [Kolumnrubrik C]),\n  table.hline(),\n"
        f"{body}\n)\n], caption: figure.caption(position: top, [En lång tabell]), "
        f'kind: "quarto-float-tbl", supplement: "Tabell")\n<{label}>\n'
    )


def compile_report(root, metadata: dict, body: str) -> pypdf.PdfReader:
    variables = {
        **metadata,
        "lang": "sv",
        "region": "SE",
        "papersize": "a4",
        "margin": {"x": "2cm", "y": "2cm"},
        "section-numbering": "1.1",
        "toc": True,
        "toc-title": "Innehåll",
        "toc-depth": 2,
        "subtitle": "Servicenämnden, Eskilstuna kommun",
    }
    parts = [
        (root / "assets" / "typst-template.typ").read_text(encoding="utf-8"),
        fill_template((root / "assets" / "typst-show.typ").read_text(encoding="utf-8"), variables),
        body,
    ]
    pdf = typst.compile("\n".join(parts).encode("utf-8"), format="pdf")
    return pypdf.PdfReader(io.BytesIO(pdf))


BODY = "= Sammanfattning\nText om året.\n\n= Ekonomi\nMer text.\n\n" + quarto_table(240)


@pytest.fixture(scope="module")
def pdf_2023(root):
    from servicenamnden.io import data

    return compile_report(root, report_metadata(2023, data.load("rapport", root / "data")), BODY)


def _pages(reader) -> list[str]:
    """Each page's text with whitespace runs made single spaces."""
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_title_page_stands_alone_with_year_and_committee(pdf_2023):
    pages = _pages(pdf_2023)
    title = pages[0]
    assert "verksamhetsberättelse och slutrapport för intern kontroll 2023" in title
    assert "Servicenämnden" in title and "Eskilstuna kommun" in title
    assert "Beslutas av" in title and "Jörgen Axelsson, förvaltningschef" in title
    assert "Rapportperiod 2023-01-01 – 2023-12-31" in title
    # 2023 has no meeting date or diarienummer in data/rapport.csv: no empty labels.
    assert "Diarienummer" not in title and "Sammanträde" not in title
    assert "Sida" not in title and "Sammanfattning" not in title  # alone: no footer, no text


def test_contents_follow_the_title_page_with_page_numbers(pdf_2023):
    contents = _pages(pdf_2023)[1]
    assert contents.lstrip().startswith("Innehåll")
    assert re.search(r"1 Sammanfattning[ .]*3\b", contents)  # the text starts on page 3
    assert "Text om året" not in contents  # the text starts on a page of its own


def test_every_page_after_the_title_has_the_footer(pdf_2023):
    pages = _pages(pdf_2023)
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"Sida {number} ({total})" in text, number
        assert "Verksamhetsberättelse 2023" in text, number


def test_long_table_breaks_across_pages_with_its_header_repeated(pdf_2023):
    pages = _pages(pdf_2023)
    with_rows = [p for p in pages if re.search(r"Rad \d+", p)]
    assert len(with_rows) >= 4  # 240 rows do not fit one page
    assert all("Kolumnrubrik A" in p for p in with_rows)
    assert "Rad 240" in pages[-1] and re.search(r"Rad 1 7 3\b", with_rows[0])


def test_the_pdf_language_is_swedish_as_spoken_in_sweden(pdf_2023):
    assert pdf_2023.trailer["/Root"].get("/Lang") == "sv-SE"


def test_title_page_follows_the_year_and_shows_the_facts_given(root):
    from servicenamnden.io import data

    rapport = data.load("rapport", root / "tests" / "fixtures" / "data_2024")
    reader = compile_report(root, report_metadata(2024, rapport), "= Text\nNågot.\n")
    title = _pages(reader)[0]
    assert "intern kontroll 2024" in title
    assert "2025-02-20" in title and "SN-2025/0042" in title
    assert "Diarienummer" in title and "Sammanträde" in title
    assert "Verksamhetsberättelse 2024" in _pages(reader)[1]
