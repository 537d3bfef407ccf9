"""A page per data file for the site: what the file is (from its data dictionary), then its rows, each
addressable by an id built from its key, so that a figure's provenance can link to the very row.

The pre-render step builds each page's body from the data (:func:`write_bodies`, ``_build/datafiler.json``);
the post-render step only wraps them in a page (:func:`write_standalone`) and loads no data (issue 18).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from servicenamnden.io.schema import Schema

BODIES_PATH = Path("_build") / "datafiler.json"

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;color:#111}"
    "table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #999;padding:.2rem .4rem;"
    "text-align:left;vertical-align:top}caption{text-align:left;font-weight:bold;margin-bottom:.3rem}"
    "tr:target{background:#ffe58a;outline:3px solid #7a5a00}.rull{overflow-x:auto}a{color:#0b4f8a}"
)


def cell_text(value: object) -> str:
    """A stored value as the page shows it: empty for a missing cell, a whole number without ``.0``."""
    from servicenamnden.domain.provenance import key_value

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return key_value(value)


def row_id(name: str, key: list[str], row: pd.Series) -> str:
    """The row's id, the same that a traced figure's cell links to."""
    from servicenamnden.domain.provenance import Cell, key_value

    return Cell(name, tuple((k, key_value(row[k])) for k in key), "").row_id


def body(name: str, frame: pd.DataFrame, schema: Schema) -> str:
    """What the page of ``data/NAME.csv`` says under its title: description, source, unit and key, rows."""
    key = list(schema.key)
    columns = [c for c in frame.columns if c in {col.name for col in schema.columns}]
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    rows = []
    for _, row in frame.iterrows():
        texts = [html.escape(cell_text(row[c])) for c in columns]
        cells = f'<th scope="row">{texts[0]}</th>' + "".join(f"<td>{t}</td>" for t in texts[1:])
        rows.append(f'<tr id="{row_id(name, key, row)}">{cells}</tr>')
    facts = [
        ("Källa", schema.source),
        ("Enhet", schema.unit or "–"),
        ("Nyckel (raden pekas ut av)", ", ".join(key)),
    ]
    listing = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in facts)
    return (
        f"<p>{html.escape(schema.description)}</p><dl>{listing}</dl>"
        f'<h2>Raderna</h2><div class="rull"><table><caption>data/{name}.csv: {len(frame)} rader</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def page(name: str, title: str, content: str, article: str) -> str:
    """The standalone HTML page of ``data/NAME.csv`` (the site Quarto built): ``title``, then ``content``
    (its :func:`body`)."""
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} – data/{name}.csv</title><style>{STYLE}</style></head><body>"
        f'<main><p><a href="{article}">Tillbaka till rapporten</a></p>'
        f"<h1>{html.escape(title)}</h1>{content}</main></body></html>\n"
    )


def bodies(names: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """Data file name → (title, :func:`body`) for every data file (or ``names``)."""
    from servicenamnden.io import data

    out = {}
    for name in names or data.data_files():
        schema = data.schema_of(name)
        out[name] = (schema.title, body(name, data.load(name), schema))
    return out


def write_bodies(root: Path) -> dict[str, tuple[str, str]]:
    """Build every data file's page body and write them to ``_build/datafiler.json`` for the post-render
    step, which then needs no data (the pre-render step and the harness); returns them."""
    found = bodies()
    (root / BODIES_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / BODIES_PATH).write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return found


def read_bodies(root: Path) -> dict[str, tuple[str, str]]:
    """The bodies the pre-render step wrote (:func:`write_bodies`); none when it has not run."""
    path = root / BODIES_PATH
    if not path.exists():
        return {}
    return {name: (title, content) for name, (title, content) in json.loads(path.read_text("utf-8")).items()}


def write_standalone(
    folder: Path, pages: Mapping[str, tuple[str, str]], article: str = "../index.html"
) -> list[Path]:
    """Write each (title, body) of ``pages`` as the standalone page of its data file into ``folder`` (the
    site's ``datafiler/``); returns the pages."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (title, content) in pages.items():
        target = folder / f"{name}.html"
        target.write_text(page(name, title, content, article), encoding="utf-8")
        written.append(target)
    return written


def write_pages(folder: Path, article: str = "../index.html", names: list[str] | None = None) -> list[Path]:
    """Write a page per data file (or ``names``) into ``folder``, built from the data; returns the pages."""
    return write_standalone(folder, bodies(names), article)
