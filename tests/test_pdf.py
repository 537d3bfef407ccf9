"""The preview's PDF as a PDF reader sees it: text, metadata, fonts, tags and nothing cut at the edge."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

POPPLER = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) saknas; .ci/run installerar paketet",
)
WHITE = 250  # grey level counted as paper
EDGE_TOLERANCE_PT = 1.0


@pytest.fixture(scope="module")
def pdf(preview: Path) -> Path:
    return preview / "report.pdf"


@pytest.fixture(scope="module")
def reader(pdf: Path) -> PdfReader:
    return PdfReader(pdf)


@pytest.fixture(scope="module")
def text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) saknas; .ci/run installerar paketet")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def struct_elements(node: object) -> Iterator[DictionaryObject]:
    """Every element of a PDF structure tree, depth first."""
    node = node.get_object()  # type: ignore[attr-defined]
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        yield node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []:
        yield from struct_elements(kid)


def fonts(resources: DictionaryObject, seen: set[int] | None = None) -> Iterator[tuple[str, bool]]:
    """(font name, embedded?) for every font in a resource dictionary and its form XObjects."""
    seen = set() if seen is None else seen
    for font in resources.get("/Font", DictionaryObject()).values():
        font = font.get_object()
        for part in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
            descriptor = part.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            yield str(font.get("/BaseFont")), embedded or font.get("/Subtype") == "/Type3"
    for xobject in resources.get("/XObject", DictionaryObject()).values():
        inner = xobject.get_object().get("/Resources")
        if inner is not None and id(inner.get_object()) not in seen:
            seen.add(id(inner.get_object()))
            yield from fonts(inner.get_object(), seen)


def test_text_has_swedish_letters_and_real_minus_signs(text: str) -> None:
    for letters in ("å", "ä", "ö", "Ö"):
        assert letters in text, f"{letters!r} saknas i PDF:ens text"
    assert "Förslag till beslut" in text and "Sjukfrånvaro" in text
    assert "\ufffd" not in text and "(cid:" not in text, "tecken som inte går att läsa ut"
    # Checked by hand against the source: sick leave changed by −0,9 procentenheter.
    assert "\u22120,9" in text
    hyphen_numbers = re.findall(r"(?<![\w\-])-\d[\d\s,]*", text)
    assert hyphen_numbers == [], f"bindestreck i stället för minustecken: {hyphen_numbers[:5]}"


def test_title_and_language_in_metadata(reader: PdfReader, project) -> None:
    from servicenamnden.render.metadata import read_metadata

    title = read_metadata(project.root)["title"]  # the title with the year, as the pre-render writes it
    assert reader.metadata is not None and reader.metadata.title == title
    catalog = reader.trailer["/Root"]
    assert str(catalog.get("/Lang", "")).lower().startswith("sv")
    assert bool(catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle"))
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert title in xmp


def test_fonts_are_embedded(reader: PdfReader) -> None:
    found = {
        name: embedded for page in reader.pages for name, embedded in fonts(page["/Resources"].get_object())
    }
    assert found, "inga typsnitt hittades"
    assert [name for name, embedded in found.items() if not embedded] == []


def test_pdf_is_tagged_for_accessibility(reader: PdfReader, preview: Path) -> None:
    catalog = reader.trailer["/Root"]
    assert bool(catalog.get("/MarkInfo", {}).get("/Marked"))
    assert "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp, "PDF/UA-1 anges inte i XMP-metadata"
    roles: dict[str, int] = {}
    figures_alt = []
    for element in struct_elements(catalog["/StructTreeRoot"]):
        role = str(element["/S"])
        roles[role] = roles.get(role, 0) + 1
        if role == "/Figure":
            figures_alt.append(str(element.get("/Alt", "")).strip())
    html = (preview / "index.html").read_text(encoding="utf-8")
    # A table broken across pages is tagged once per page, so there may be more Table elements than tables.
    assert roles.get("/Table", 0) >= html.count("<table"), "varje tabell ska vara taggad som Table"
    assert roles.get("/TH", 0) >= html.count("<table") and roles.get("/Caption", 0) >= html.count("<caption")
    assert figures_alt and all(len(alt) > 20 for alt in figures_alt), "figurer utan alt-text i PDF:en"


def words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, x min, x max, word) for every word, from pdftotext's bounding boxes."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    xml = xml[xml.index("<doc>") : xml.index("</doc>") + len("</doc>")]
    found = []
    for number, page in enumerate(ET.fromstring(xml).iter("page"), start=1):
        for word in page.iter("word"):
            found.append((number, float(word.get("xMin")), float(word.get("xMax")), word.text or ""))
    return found


@POPPLER
def test_nothing_is_cut_at_the_right_edge(reader: PdfReader, pdf: Path, tmp_path: Path) -> None:
    """No word and no ink lies right of the text area: the margins are symmetric, so its right edge
    is the page width less the left edge of the text."""
    width = float(reader.pages[0].mediabox.width)
    placed = words(pdf)
    left = min(x_min for _, x_min, _, _ in placed)
    right = width - left
    assert 30 < left < 80, f"oväntad vänstermarginal {left:.1f} pt"
    outside = [
        (page, round(x_max, 1), word) for page, _, x_max, word in placed if x_max > right + EDGE_TOLERANCE_PT
    ]
    assert outside == [], f"text utanför satsytan (högerkant {right:.1f} pt): {outside[:10]}"
    resolution = 36  # dots per inch: half a pixel per point
    subprocess.run(
        ["pdftoppm", "-r", str(resolution), "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(reader.pages)
    for png in pages:
        image = Image.open(png).convert("L")
        start = int((right + 3) * resolution / 72) + 1
        margin = image.crop((start, 0, image.width, image.height))
        assert margin.getextrema()[0] >= WHITE, f"{png.name}: något sticker ut i högermarginalen"
