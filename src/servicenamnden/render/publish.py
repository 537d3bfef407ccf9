"""``make publicera``: check the site Quarto rendered and pack exactly what the web server gets.

The site folder (``_manuscript/``) is checked first, and nothing is packed when a check fails:

- every link and every file a page loads inside the site resolves: the file exists and, for a link
  with ``#id``, the page has that id;
- no page or stylesheet loads anything from outside the site (a script, a stylesheet, a font, an image,
  a frame); links to other websites that a reader may follow (``<a href="https://…">``) are allowed and
  listed;
- the PDF is there, and every table's CSV has its workbook for Excel beside it, as does the list of all
  avstämningar.

Then the folder is packed as ``publicera/verksamhetsberattelse-ÅR.tar.gz`` (files in name order, fixed
times and owners, so the same site gives the same archive) with its SHA-256 beside it in the format
``sha256sum -c`` reads. The archive is what the web server gets; the checksum is how it is recognised.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
import tarfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from servicenamnden.present.opendata import DOWNLOADS_DIR
from servicenamnden.reconcile.checks import CHECKS_CSV
from servicenamnden.render.metadata import read_metadata
from servicenamnden.render.project import load_project

OUT_DIR = "publicera"
ARCHIVE_STEM = "verksamhetsberattelse"
PDF_NAME = "report.pdf"
# Attributes that make the browser fetch something (a request), and those a reader follows (a link).
LOADS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("object", "data"),
}
FOLLOWS = {("a", "href"), ("area", "href")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class _Page(HTMLParser):
    """The ids of a page, and the URLs it loads and links to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name == "style":
                self.styles.append(value)
            if (tag, name) in LOADS:
                if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload"} & set(
                    (dict(attrs).get("rel") or "").split()
                ):
                    continue
                if name == "srcset" and "data:" in value:  # a data URI holds commas of its own
                    continue
                urls = (
                    [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                )
                self.loads.extend(u for u in urls if u)
            elif (tag, name) in FOLLOWS:
                self.links.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _outside(url: str) -> bool:
    return url.startswith("//") or (bool(_SCHEME.match(url)) and not url.startswith(("data:", "blob:")))


def _ignored(url: str) -> bool:
    return url.startswith(("data:", "blob:", "mailto:", "tel:", "javascript:")) or url in ("", "#")


def _css_urls(text: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(text)]


@dataclass
class SiteCheck:
    """What the check found: problems (nothing is packed while there are any) and links to other sites."""

    problems: list[str] = field(default_factory=list)
    outside_links: set[str] = field(default_factory=set)
    pages: int = 0


def check_site(site: Path) -> SiteCheck:
    """Check every page and stylesheet of ``site`` (see the module's docstring)."""
    result = SiteCheck()
    parsed: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in parsed:
            parser = _Page()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parsed[path] = parser
        return parsed[path]

    def resolve(source: Path, url: str, what: str) -> None:
        parts = urlsplit(url)
        rel = source.relative_to(site)
        if len(url) > 1000:
            result.problems.append(f"{rel}: {what} en adress som inte går att läsa ({url[:60]}…)")
            return
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source.resolve()
        if not target.is_relative_to(site.resolve()):
            result.problems.append(f"{rel}: {what} {url} pekar utanför webbplatsen")
        elif not target.exists():
            result.problems.append(f"{rel}: {what} {url} finns inte")
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in page(target).ids:
            result.problems.append(f"{rel}: {what} {url}: sidan har inget id '{parts.fragment}'")

    for path in sorted(site.rglob("*.html")):
        result.pages += 1
        found = page(path)
        for url in found.loads + [u for style in found.styles for u in _css_urls(style)]:
            if _ignored(url):
                continue
            if _outside(url):
                result.problems.append(f"{path.relative_to(site)}: hämtar {url} utifrån")
            else:
                resolve(path, url, "laddar")
        for url in found.links:
            if _ignored(url):
                continue
            if _outside(url):
                result.outside_links.add(url)
            else:
                resolve(path, url, "länken")
    for path in sorted(site.rglob("*.css")):
        for url in _css_urls(path.read_text(encoding="utf-8", errors="replace")):
            if _ignored(url):
                continue
            if _outside(url):
                result.problems.append(f"{path.relative_to(site)}: hämtar {url} utifrån")
            else:
                resolve(path, url, "laddar")
    result.problems.extend(missing_files(site))
    return result


def missing_files(site: Path) -> list[str]:
    """The PDF, and for every table's CSV its workbook for Excel; the list of all avstämningar."""
    problems = []
    if not (site / PDF_NAME).is_file():
        problems.append(f"PDF:en {PDF_NAME} saknas")
    downloads = site / DOWNLOADS_DIR
    tables = sorted(downloads.glob("tbl-*.csv"))
    if not tables:
        problems.append(f"inga tabeller i {DOWNLOADS_DIR}/")
    for csv_file in tables:
        if not csv_file.with_suffix(".xlsx").is_file():
            problems.append(
                f"{DOWNLOADS_DIR}/{csv_file.with_suffix('.xlsx').name} saknas (tabellen för Excel)"
            )
    for name in (CHECKS_CSV, "tabeller.xlsx"):
        if not (downloads / name).is_file():
            problems.append(f"{DOWNLOADS_DIR}/{name} saknas")
    return problems


def pack(site: Path, target: Path) -> tuple[Path, str]:
    """``site`` as a reproducible ``.tar.gz`` at ``target``: names in order, times 0, owner root, modes
    644/755, under one folder named like the archive. Returns the archive and its SHA-256 (hex)."""
    top = target.name.removesuffix(".tar.gz")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in [site, *sorted(site.rglob("*"))]:
            rel = path.relative_to(site)
            info = tarfile.TarInfo(f"{top}/{rel.as_posix()}" if rel.parts else top)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "root", "root"
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                data = path.read_bytes()
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    packed = gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0)
    target.write_bytes(packed)
    digest = hashlib.sha256(packed).hexdigest()
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    return target, digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kontrollera webbplatsen och packa den för webbservern")
    parser.add_argument("--site", type=Path, default=None, help="webbplatsens mapp (standard: _manuscript)")
    parser.add_argument("--ut", type=Path, default=None, help=f"mappen för arkivet (standard: {OUT_DIR})")
    args = parser.parse_args(argv)
    project = load_project()
    site = (args.site or project.root / project.config["project"].get("output-dir", "_manuscript")).resolve()
    if not (site / "index.html").is_file() or 'name="generator" content="quarto' not in (
        site / "index.html"
    ).read_text(encoding="utf-8", errors="replace"):
        print(
            f"Ingen webbplats från Quarto i {site.name}/: kör make publicera där Quarto finns.",
            file=sys.stderr,
        )
        return 1
    found = check_site(site)
    if found.problems:
        for problem in found.problems:
            print(f"Publicering: {problem}", file=sys.stderr)
        print(f"Publicering stoppad: {len(found.problems)} fel; inget arkiv skrivet.", file=sys.stderr)
        return 1
    year = read_metadata(project.root).get("rapport", {}).get("ar", "")
    target = (args.ut or project.root / OUT_DIR) / f"{ARCHIVE_STEM}-{year}.tar.gz"
    archive, digest = pack(site, target)
    print(
        f"Webbplatsen kontrollerad: {found.pages} sidor, alla länkar och filer inom webbplatsen finns, "
        f"inget hämtas utifrån, PDF och nedladdningar finns. Länkar till andra webbplatser: "
        f"{', '.join(sorted(found.outside_links)) or 'inga'}.",
        flush=True,
    )
    print(
        f"Till webbservern: {archive.relative_to(project.root) if archive.is_relative_to(project.root) else archive}"
    )
    print(f"SHA-256: {digest} (också i {archive.name}.sha256; kontrollera med sha256sum -c)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
