"""The article's values, computed once by the pre-render step and read by the article's shortcodes.

``report.qmd`` holds no executable code: a Quarto manuscript whose article has code makes a notebook view
of it (two extra pandoc runs) and executes it once per format (HTML and PDF). Instead the article names
its values with shortcodes, which ``assets/varden.lua`` resolves under Quarto and :func:`resolve_article`
resolves for the harness and the preview, both from the same file, ``_build/artikelvarden.json``:

- ``{{< v resultat.resultat >}}``: a value of the year (``v.<grupp>.<namn>``, ``ar``, ``fg_ar``,
  ``nasta_ar``) or of the avstämningar (``kontroll.<namn>``), inline;
- ``{{< notera resultat justering >}}``: the notes on figures those groups lack, a block (may be nothing);
- ``{{< lank tbl-x >}}``: the links under a table to its files, a block (web page only);
- ``{{< fil tabeller.xlsx "text" >}}``: the text of a link to a file in ``downloads/``, with format and size.

Each value is the same Markdown the values layer gives (``[…]{.hv data-v=…}``, notes, link blocks). The
file is keyed by the digest of every data file, of the package's code and of the article, and the year:
a file made from other data, code, text or year is never read (one Swedish line stops the render).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jupytext
import yaml

from servicenamnden.domain.years import resolve_year
from servicenamnden.paths import data_dir
from servicenamnden.render.quarto_exec import ExecutedDocument, ExecutionError

FILE = Path("_build") / "artikelvarden.json"
NAMES = ("v", "notera", "lank", "fil")
SHORTCODE = re.compile(r"\{\{<\s*(" + "|".join(NAMES) + r")\s+(.*?)\s*>\}\}")
BLOCKS = ("notera", "lank")  # shortcodes that stand as a paragraph of their own (may give nothing)
CODE_HINT = re.compile(r"`+\{[^.]+.*\}")
PACKAGE = Path(__file__).resolve().parents[1]


def shortcode_key(name: str, args: list[str]) -> str:
    """The key of a shortcode in the values file: its name and its arguments, one space apart.

    >>> shortcode_key("fil", ["tabeller.xlsx", "alla tabeller"])
    'fil tabeller.xlsx alla tabeller'
    """
    return " ".join([name, *args])


@dataclass(frozen=True)
class Shortcode:
    """One value shortcode of the article: where it stands, its name and arguments, and whether it is a
    paragraph of its own (a block, which may give nothing) or stands in a sentence (never empty)."""

    line: int
    name: str
    args: tuple[str, ...]
    block: bool

    @property
    def key(self) -> str:
        return shortcode_key(self.name, list(self.args))

    @property
    def code(self) -> str:
        return "{{< " + self.key + " >}}"


def shortcodes(qmd: str) -> list[Shortcode]:
    """Every value shortcode in ``qmd``, in order."""
    found = []
    for number, line in enumerate(qmd.splitlines(), start=1):
        for match in SHORTCODE.finditer(line):
            try:
                args = tuple(shlex.split(match.group(2)))
            except ValueError:
                raise ExecutionError(
                    f"report.qmd, rad {number}: {match.group(0)} har ett citattecken för lite"
                ) from None
            found.append(Shortcode(number, match.group(1), args, line.strip() == match.group(0)))
    return found


def has_code(document: Path) -> bool:
    """Whether a ``.qmd`` has executable code, as Quarto's manuscript decides it (a line with backticks
    before a brace not followed by a dot, ``src/project/types/manuscript/manuscript-config.ts``): then
    Quarto executes it and makes a notebook view of it."""
    return any(CODE_HINT.search(line) for line in document.read_text(encoding="utf-8").splitlines())


def value_names(qmd: str) -> list[tuple[int, str]]:
    """(line number, name) of every ``{{< v NAME >}}`` in ``qmd``: ``resultat.resultat``, ``ar``, …"""
    return [(s.line, s.args[0]) for s in shortcodes(qmd) if s.name == "v" and s.args]


def as_markdown(value: object) -> str:
    """A value as Quarto showed an inline expression's result: its Markdown, else its text; nothing for None."""
    if value is None:
        return ""
    shown = getattr(value, "_repr_markdown_", None)
    return str(shown()) if callable(shown) else str(value)


class ArticleValues:
    """The year's values under the group names the article uses: the values layer's groups, and
    ``kontroll``, the counts of the avstämningar (computed by reconcile, a stage above the values layer).
    Its provenance is both's."""

    def __init__(self, values: object, kontroll: object) -> None:
        self.values, self.kontroll = values, kontroll

    def __getattr__(self, name: str) -> object:
        return getattr(self.values, name)

    def harledning(self) -> dict:
        """Every traced figure by ``group.key``: the values layer's, then the counts of the avstämningar."""
        return {**self.values.harledning(), **getattr(self.kontroll, "harledning", {})}  # type: ignore[attr-defined]


def article_values(ar: int) -> ArticleValues:
    """The values of report year ``ar`` as the article names them."""
    from servicenamnden.present.values import arets_varden
    from servicenamnden.reconcile.checks import checks_values, run_all

    return ArticleValues(arets_varden(ar), checks_values(run_all(ar=ar)))


def evaluator(ar: int) -> Callable[[str, tuple[str, ...]], object]:
    """``evaluate(name, args)`` for report year ``ar``: the values layer's object for a shortcode."""
    from servicenamnden.present.values import notera

    v = article_values(ar)

    def evaluate(name: str, args: tuple[str, ...]) -> object:
        if name == "notera":
            return notera(*(getattr(v, group) for group in args))
        if name == "lank":
            return v.lank(*args)
        if name == "fil":
            return v.fillank(*args)
        head, *rest = args[0].split(".")
        found = getattr(v, head)
        for part in rest:
            found = getattr(found, part)
        return found

    return evaluate


def evaluate_article(qmd: str, ar: int, where: str = "report.qmd") -> dict[str, list[str]]:
    """Every shortcode's Markdown, in the article's order (a note stands once, so a second ``notera`` of
    the same groups may give nothing): key → its values, one per use. An unknown name, or an empty value
    inside a sentence, stops with one Swedish line naming the line of the article."""
    evaluate = evaluator(ar)
    values: dict[str, list[str]] = defaultdict(list)
    for code in shortcodes(qmd):
        try:
            shown = as_markdown(evaluate(code.name, code.args))
        except (AttributeError, TypeError, ValueError, IndexError) as exc:
            raise ExecutionError(
                f"{where}, rad {code.line}: {code.code} går inte att räkna fram: {exc}"
            ) from None
        if not shown and not code.block:
            raise ExecutionError(
                f"{where}, rad {code.line}: {code.code} gav inget värde (ett värde i en mening får aldrig vara tomt)"
            )
        values[code.key].append(shown)
    return dict(values)


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def digests(root: Path, article: Path) -> dict[str, str]:
    """What the values are made from, each file's SHA-1: every data file (``data/NAME``, from the folder
    ``SN_DATA`` names), the package's code (``kod/PATH``) and the article (``artikel/NAME``).
    ``assets/varden.lua`` computes the same map under Quarto."""
    found = {}
    for path in sorted(data_dir(root).iterdir()):
        if path.is_file() and path.suffix in (".csv", ".yml"):
            found[f"data/{path.name}"] = _sha1(path)
    for path in sorted(PACKAGE.rglob("*.py")):
        found[f"kod/{path.relative_to(PACKAGE).as_posix()}"] = _sha1(path)
    found[f"artikel/{article.name}"] = _sha1(article)
    return found


def values_path(root: Path) -> Path:
    """Where the pre-render step leaves the article's values."""
    return root / FILE


def write_values(root: Path, article: Path, ar: int | None = None) -> Path:
    """Compute every value the article names, for report year ``ar``, and write them with their key
    (whole or not at all: a reader never sees half a file)."""
    year = resolve_year(ar)
    values = evaluate_article(article.read_text(encoding="utf-8"), year, article.name)
    stored = {"ar": year, "kod": str(PACKAGE), "filer": digests(root, article), "varden": values}
    path = values_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(stored, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)
    return path


def stale_reason(stored: dict, root: Path, article: Path, ar: int) -> str | None:
    """Why the stored values do not belong to this render (another year, a changed, added or removed
    file), or ``None`` when they do."""
    if stored.get("ar") != ar:
        return f"de är räknade för {stored.get('ar')}, inte för {ar}"
    now, then = digests(root, article), stored.get("filer", {})
    for name in sorted(set(now) | set(then)):
        if now.get(name) != then.get(name):
            change = (
                "har tillkommit"
                if name not in then
                else "har tagits bort"
                if name not in now
                else "har ändrats"
            )
            return f"{name} {change} sedan de räknades"
    return None


def read_values(root: Path, article: Path, ar: int | None = None) -> dict[str, list[str]]:
    """The article's values for report year ``ar``, as the pre-render step wrote them; a missing file, or
    one made from other data, code, text or year, stops with one Swedish line."""
    path = values_path(root)
    year = resolve_year(ar)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ExecutionError(
            f"Fel i {FILE.as_posix()}: artikelns värden saknas eller går inte att läsa; pre-render-steget "
            "skriver dem (kör make report eller quarto render). Inget har renderats."
        ) from None
    reason = stale_reason(stored, root, article, year)
    if reason:
        raise ExecutionError(
            f"Fel i {FILE.as_posix()}: artikelns värden är inaktuella ({reason}); kör make report eller "
            "quarto render igen. Inget har renderats."
        )
    return stored["varden"]


def fill_in(
    qmd: str, values: dict[str, list[str]], where: str = "report.qmd"
) -> tuple[str, list[tuple[str, str]]]:
    """``qmd`` with each shortcode replaced by its value (the n-th use of a key by its n-th value), and the
    (key, value) pairs in order: what Quarto's reader gets once ``assets/varden.lua`` has run."""
    used: dict[str, int] = defaultdict(int)
    pairs: list[tuple[str, str]] = []
    lines = qmd.splitlines(keepends=True)

    def replace(number: int, match: re.Match) -> str:
        key = shortcode_key(match.group(1), shlex.split(match.group(2)))
        index = used[key]
        used[key] += 1
        found = values.get(key, [])
        if index >= len(found):
            raise ExecutionError(
                f"{where}, rad {number}: {{{{< {key} >}}}} saknas bland artikelns värden i {FILE.as_posix()}"
            )
        pairs.append((key, found[index]))
        return found[index]

    out = [SHORTCODE.sub(lambda m, n=n: replace(n, m), line) for n, line in enumerate(lines, start=1)]
    return "".join(out), pairs


def resolve_article(article: Path, ar: int | None = None) -> ExecutedDocument:
    """The article as the harness and the preview read it: its values from the pre-render step's file."""
    article = Path(article).resolve()
    root = article.parent
    text, pairs = fill_in(article.read_text(encoding="utf-8"), read_values(root, article, ar), article.name)
    notebook = jupytext.reads(text, fmt="Rmd")
    front = yaml.safe_load(text.split("---", 2)[1]) or {} if text.startswith("---") else {}
    return ExecutedDocument(path=article, notebook=notebook, front_matter=front, inline_values=pairs)


def execute_article(article: Path, params: dict | None = None) -> ExecutedDocument:
    """What the harness does for the article instead of a kernel: compute its values into the file the
    render reads, then read them back from it (so the harness tests the file Quarto gets)."""
    article = Path(article).resolve()
    ar = (params or {}).get("ar")
    write_values(article.parent, article, ar)
    return resolve_article(article, ar)
