"""The article's values: computed once by the pre-render step into ``_build/artikelvarden.json``, read by
Quarto's shortcodes (``assets/varden.lua``) and by the harness and preview (``render/artikelvarden.py``),
and never read when made from other data, code, text or year.

The Lua side runs here under plain pandoc (the one the environment ships with pypandoc), with a small
stand-in for the few ``quarto.*`` functions it calls; the real render is tested in test_quarto_site.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from servicenamnden.render import artikelvarden
from servicenamnden.render.quarto_exec import ExecutionError

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "assets" / "varden.lua"
ARTICLE = """---
title: Prov
---

Resultatet blev {{< v resultat.resultat >}} år {{< v ar >}}; {{< fil tabeller.xlsx "alla tabeller" >}}.

{{< notera resultat >}}

Igen {{< v resultat.resultat >}}.

{{< notera resultat >}}
"""
# Stands in for Quarto's Lua API: the project folder, the input file, and Markdown read into the AST.
DRIVER = """
quarto = {
  project = { directory = os.getenv("PROV_ROT") },
  doc = { input_file = os.getenv("PROV_ARTIKEL") },
  utils = {
    string_to_blocks = function(s) return pandoc.read(s, "markdown").blocks end,
    string_to_inlines = function(s) return pandoc.utils.blocks_to_inlines(pandoc.read(s, "markdown").blocks) end,
  },
}
local handlers = dofile(os.getenv("PROV_LUA"))
function Pandoc(doc)
  local out = pandoc.Blocks({})
  for _, code in ipairs(doc.meta.prov) do
    local name = pandoc.utils.stringify(code[1])
    local args = {}
    for i = 2, #code do table.insert(args, pandoc.utils.stringify(code[i])) end
    local context = name == "notera" and "block" or "inline"
    local result = handlers[name](args, {}, doc.meta, nil, context)
    if context == "block" then out:extend(result) else out:insert(pandoc.Para(result)) end
  end
  return pandoc.Pandoc(out, doc.meta)
end
"""
CALLS = [
    ["v", "resultat.resultat"],
    ["v", "ar"],
    ["fil", "tabeller.xlsx", "alla tabeller"],
    ["notera", "resultat"],
]


def pandoc_binary() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


PANDOC = pandoc_binary()
pytestmark = pytest.mark.slow  # each module run computes the year's values and avstämningar once (about 10 s)


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    """A project folder with a small article and its values written, from the real data."""
    root = tmp_path_factory.mktemp("artikel")
    (root / "report.qmd").write_text(ARTICLE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SN_PROJECT", str(root))
        patch.setenv("SN_DATA", str(ROOT / "data"))
        artikelvarden.write_values(root, root / "report.qmd", 2023)
    return root


def run_lua(root: Path, year: str = "2023", data: Path | None = None) -> subprocess.CompletedProcess:
    driver = root / "driver.lua"
    driver.write_text(DRIVER, encoding="utf-8")
    meta = {"rapport": {"ar": year}, "prov": CALLS}
    source = "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n"
    env = {
        "PATH": "/usr/bin:/bin",
        "PROV_ROT": str(root),
        "PROV_ARTIKEL": str(root / "report.qmd"),
        "PROV_LUA": str(LUA),
        "SN_DATA": str(data or ROOT / "data"),
    }
    return subprocess.run(
        [PANDOC, "--from", "markdown", "--to", "html", "--lua-filter", str(driver)],
        input=source,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_each_use_of_a_key_gets_its_value_in_order_and_a_note_stands_once(small_project):
    stored = json.loads((small_project / artikelvarden.FILE).read_text(encoding="utf-8"))
    values = stored["varden"]
    assert values["v resultat.resultat"][0] == values["v resultat.resultat"][1]
    assert '{.hv data-v="resultat.resultat"}' in values["v resultat.resultat"][0]
    assert values["v ar"] == ["2023"]
    assert values["fil tabeller.xlsx alla tabeller"] == ["alla tabeller (XLSX)"]  # no workbook in this folder
    first, second = values["notera resultat"]
    assert second == ""  # a note stands once, where the first use is
    assert stored["ar"] == 2023 and "artikel/report.qmd" in stored["filer"]
    assert any(name.startswith("data/") for name in stored["filer"])
    assert any(name.startswith("kod/render/") for name in stored["filer"])


def test_the_harness_fills_in_the_same_values_from_the_same_file(small_project, monkeypatch):
    monkeypatch.setenv("SN_DATA", str(ROOT / "data"))
    document = artikelvarden.resolve_article(small_project / "report.qmd", 2023)
    text = document.markdown()
    assert "{{<" not in text and "Resultatet blev [" in text
    assert [key for key, _ in document.inline_values][:3] == [
        "v resultat.resultat",
        "v ar",
        "fil tabeller.xlsx alla tabeller",
    ]


def test_the_harness_never_reads_values_made_from_other_data_text_or_year(
    small_project, tmp_path, monkeypatch
):
    monkeypatch.setenv("SN_DATA", str(ROOT / "data"))
    with pytest.raises(
        ExecutionError, match=r"^Fel i _build/artikelvarden.json: .*räknade för 2023, inte för 2024"
    ):
        artikelvarden.read_values(small_project, small_project / "report.qmd", 2024)
    other = tmp_path / "data"
    shutil.copytree(ROOT / "data", other)
    (other / "fakta.csv").write_text(
        (other / "fakta.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    monkeypatch.setenv("SN_DATA", str(other))
    with pytest.raises(ExecutionError, match=r"data/fakta.csv har ändrats sedan de räknades"):
        artikelvarden.read_values(small_project, small_project / "report.qmd", 2023)
    with pytest.raises(ExecutionError, match=r"saknas eller går inte att läsa"):
        artikelvarden.read_values(tmp_path, small_project / "report.qmd", 2023)


@pytest.mark.skipif(PANDOC is None, reason="pandoc finns inte: Lua-sidan prövas där pandoc finns")
def test_quartos_shortcodes_read_the_values_as_markdown(small_project):
    ran = run_lua(small_project)
    assert ran.returncode == 0, ran.stderr
    html = ran.stdout
    assert '<span class="hv" data-v="resultat.resultat">' in html  # the traced figure's span, as Markdown
    assert "<p>2023</p>" in html and "alla tabeller (XLSX)" in html


@pytest.mark.skipif(PANDOC is None, reason="pandoc finns inte: Lua-sidan prövas där pandoc finns")
def test_quartos_shortcodes_stop_on_values_from_another_year_data_or_text(small_project, tmp_path):
    ran = run_lua(small_project, year="2024")
    assert ran.returncode == 1 and ran.stdout == ""
    assert ran.stderr.strip().splitlines() == [
        "Fel i _build/artikelvarden.json: artikelns värden är inaktuella (de är räknade för 2023, inte för 2024); "
        "kör make report eller quarto render igen. Inget har renderats."
    ]
    other = tmp_path / "data"
    shutil.copytree(ROOT / "data", other)
    (other / "ny.csv").write_text("a\n1\n", encoding="utf-8")
    ran = run_lua(small_project, data=other)
    assert ran.returncode == 1 and "(data/ny.csv har tillkommit sedan de räknades)" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(PANDOC is None, reason="pandoc finns inte: Lua-sidan prövas där pandoc finns")
def test_quartos_shortcodes_stop_when_the_article_changed_or_the_file_is_missing(small_project, tmp_path):
    changed = tmp_path / "projekt"
    shutil.copytree(small_project, changed)
    (changed / "report.qmd").write_text(ARTICLE + "\nEn ny mening.\n", encoding="utf-8")
    ran = run_lua(changed)
    assert ran.returncode == 1 and "(artikel/report.qmd har ändrats sedan de räknades)" in ran.stderr
    (changed / artikelvarden.FILE).unlink()
    ran = run_lua(changed)
    assert ran.returncode == 1
    assert ran.stderr.startswith(
        "Fel i _build/artikelvarden.json: artikelns värden saknas; pre-render-steget"
    )
