"""The preview pages and PDF contain the computed values, correctly formatted."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess

import pytest

NB = "\u00a0"


def page_text(path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", text, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", text))


def test_preview_writes_article_notebooks_and_pdf(preview, project):
    assert (preview / "index.html").exists()
    assert (preview / "report.pdf").stat().st_size > 10_000
    for nb_path, _ in project.notebooks:
        assert (preview / "notebooks" / f"{nb_path.stem}.html").exists()


def test_article_shows_computed_values(preview):
    text = page_text(preview / "index.html")
    # Checked by hand against the source: MS ÄO 2023 total 103 941 tkr; categories of 2019 sum to 101 386 tkr.
    assert f"103{NB}941" in text
    assert f"101{NB}386" in text
    # Sick leave table 2023 vs 2022.
    assert f"6,1{NB}%" in text and f"7,0{NB}%" in text
    # Heldygn fee 2019 and 2024, change 2023→2024 +8,0 %.
    assert f"3{NB}649" in text and f"4{NB}524" in text and f"+8,0{NB}%" in text
    assert "Förhandsvisning" in text


def test_tables_and_figures_are_numbered_and_captioned(preview):
    page = (preview / "index.html").read_text(encoding="utf-8")
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    assert captions and captions[0].startswith("Tabell 1:")
    assert re.search(r"<figcaption>Figur 1:", page)
    for alt in re.findall(r'<img [^>]*alt="([^"]*)"', page):
        assert len(alt) > 40 and "No description" not in alt


def test_no_external_requests_in_pages(preview):
    for page in preview.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name
        assert "@import" not in text and "googleapis" not in text, page.name


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) saknas")
def test_pdf_text_has_swedish_letters_and_minus(preview):
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(preview / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Måltidsservice" in text or "måltidsservice" in text
    assert "\u2212" in text
    assert "Sjukfrånvaro" in text
