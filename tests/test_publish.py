"""make publicera: the checks before anything is packed, the archive and its checksum, and the Git host's
publishing workflow (parsed as YAML, so it stays valid)."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest
import yaml

from servicenamnden.render import publish

PAGE = """<!DOCTYPE html><html><head>
<link href="site_libs/a.css" rel="stylesheet"><script src="site_libs/a.js"></script>
</head><body><main id="text">
<a href="#text">upp</a> <a href="notebooks/x.html#tbl-a">tabell</a> <a href="report.pdf">PDF</a>
<a href="https://www.digg.se/">digg.se</a>
<picture><source srcset="data:image/svg+xml,%3Csvg%3E, a" media="(max-width: 10px)"><img src="data:image/svg+xml,x" alt="x"></picture>
<a href="downloads/tbl-a.xlsx">Excel</a> <a href="downloads/tbl-a.csv">CSV</a>
</main></body></html>"""


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    root = tmp_path / "_manuscript"
    for rel, text in {
        "index.html": PAGE,
        "notebooks/x.html": '<html><body><div id="tbl-a"></div><a href="../index.html">Tillbaka</a></body></html>',
        "site_libs/a.css": "body { background: url(b.png); }",
        "site_libs/b.png": "png",
        "site_libs/a.js": "",
        "report.pdf": "%PDF",
        "downloads/tbl-a.csv": "a\n1\n",
        "downloads/tbl-a.xlsx": "x",
        "downloads/tabeller.xlsx": "x",
        "downloads/avstamningar.csv": "x",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_good_site_passes_and_lists_its_links_to_other_sites(site):
    found = publish.check_site(site)
    assert found.problems == [] and found.pages == 2
    assert found.outside_links == {"https://www.digg.se/"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: (s / "report.pdf").unlink(), "PDF:en report.pdf saknas"),
        (lambda s: (s / "downloads/tbl-a.xlsx").unlink(), "tbl-a.xlsx saknas"),
        (lambda s: (s / "site_libs/b.png").unlink(), "site_libs/a.css: laddar b.png finns inte"),
        (
            lambda s: (s / "notebooks/x.html").write_text("<html><body></body></html>", encoding="utf-8"),
            "index.html: länken notebooks/x.html#tbl-a: sidan har inget id 'tbl-a'",
        ),
        (
            lambda s: (s / "index.html").write_text(
                PAGE.replace("</head>", '<script src="https://cdn.example/x.js"></script></head>'),
                encoding="utf-8",
            ),
            "index.html: hämtar https://cdn.example/x.js utifrån",
        ),
        (
            lambda s: (s / "site_libs/a.css").write_text(
                "@import 'https://fonts.example/f.css';", encoding="utf-8"
            ),
            "site_libs/a.css: hämtar https://fonts.example/f.css utifrån",
        ),
    ],
)
def test_a_fault_stops_the_publishing(site, change, expected):
    change(site)
    problems = publish.check_site(site).problems
    assert any(expected in p for p in problems), problems


def test_the_archive_is_the_site_and_the_same_site_gives_the_same_archive(site, tmp_path):
    first, digest = publish.pack(site, tmp_path / "ut" / "verksamhetsberattelse-2023.tar.gz")
    assert digest == hashlib.sha256(first.read_bytes()).hexdigest()
    assert (first.parent / (first.name + ".sha256")).read_text() == f"{digest}  {first.name}\n"
    with tarfile.open(first) as tar:
        names = tar.getnames()
        assert "verksamhetsberattelse-2023/index.html" in names
        assert all(m.mtime == 0 and m.uid == 0 for m in tar.getmembers())
    (site / "index.html").touch()  # a new time on disk, the same content
    _, again = publish.pack(site, tmp_path / "ut2" / "verksamhetsberattelse-2023.tar.gz")
    assert again == digest


def test_the_publishing_workflow_is_valid_and_runs_the_checked_build(root):
    workflow = yaml.safe_load((root / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "workflow_dispatch" in triggers and triggers["push"]["branches"] == "main"
    steps = workflow["jobs"]["build-deploy"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:1] == ["actions/checkout"]
    assert "quarto-dev/quarto-actions/setup" in uses and "quarto-dev/quarto-actions/publish" in uses
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ["make publicera"]
    published = next(s for s in steps if s.get("uses", "").startswith("quarto-dev/quarto-actions/publish"))
    assert published["with"] == {"target": "gh-pages", "render": False}
    assert uses.index("quarto-dev/quarto-actions/setup") < [i for i, s in enumerate(steps) if "run" in s][0]


def test_make_publicera_is_documented(root):
    assert "make publicera" in (root / "README.md").read_text(encoding="utf-8")
    assert "publicera:" in (root / "Makefile").read_text(encoding="utf-8")
