"""Matplotlib's SVG made small and self-explaining for the page: what a reader's browser does not need goes.

A chart is carried twice in the article (phone and desktop drawing), so its bytes count twice; matplotlib
writes a metadata block, an id on every group, a no-op rotation on every label, the font on every text
and coordinates to six decimals. :func:`compact` keeps the drawing and drops the rest, and names the font
once, as the page's own font stack (``FONT_STACK``), so the chart's text is set in the text's typeface.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# The page's typeface first (assets/theme.scss, assets/preview.css), then what a reader's system has.
FONT_STACK = '"DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif'

# A drawing inside the page: percent-encoded, never base64 (a third larger, and it does not compress).
DATA_URI_PREFIX = "data:image/svg+xml,"
DATA_URI = re.compile(r"data:image/svg\+xml,([^\s\"'<>&]+)")
_URI_SAFE = "/:=;,()+-.!*~_?@$"
_FONT_FAMILY = re.compile(r"font-family:[^;]*;?")
_NO_ROTATION = re.compile(r"rotate\(-?0(?:\.0+)? [^)]*\)")
_DECIMALS = re.compile(r"(\d+\.\d\d)\d+")
_SHORT_HEX = re.compile(r"#([0-9a-fA-F])\1([0-9a-fA-F])\2([0-9a-fA-F])\3\b")
_SPACES = re.compile(r"\s+")
_BESIDE_COMMAND = re.compile(r" (?=[A-Za-z])|(?<=[A-Za-z]) ")


def compact(svg: str) -> str:
    """The drawing of ``svg`` without metadata, unused ids, empty groups and per-text fonts.

    >>> out = compact('<svg xmlns="http://www.w3.org/2000/svg"><metadata>x</metadata><g id="a"><g>'
    ...     '<text style="font-size: 10px; font-family: \\'DejaVu Sans\\'" transform="rotate(-0 1 2)">'
    ...     'Män</text></g></g></svg>')
    >>> "metadata" in out, "<g" in out, "DejaVu Sans'" in out, "rotate" in out
    (False, False, False, False)
    >>> '<text style="font-size:10px">Män</text>' in out
    True
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(_DECIMALS.sub(r"\1", svg))
    referenced = set(re.findall(r"#([\w.-]+)", svg))
    _drop_metadata(root)
    _tidy(root, referenced)
    _unwrap_plain_groups(root)
    _name_the_font_once(root)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _drop_metadata(root: ET.Element) -> None:
    for child in [c for c in root if _tag(c) == "metadata"]:
        root.remove(child)


def _tidy(root: ET.Element, referenced: set[str]) -> None:
    """Per element: ids nobody points to, rotations by zero, spaces in styles and path data."""
    for element in root.iter():
        if element.get("id") is not None and element.get("id") not in referenced:
            del element.attrib["id"]
        transform = element.get("transform")
        if transform is not None and _NO_ROTATION.fullmatch(transform.strip()):
            del element.attrib["transform"]
        style = element.get("style")
        if style is not None:
            parts = (p.strip().replace(": ", ":") for p in style.split(";") if p.strip())
            element.set("style", _SHORT_HEX.sub(r"#\1\2\3", ";".join(parts)))
        if _tag(element) == "path" and element.get("d") is not None:
            element.set("d", _BESIDE_COMMAND.sub("", _SPACES.sub(" ", element.get("d")).strip()))
        if _tag(element) not in ("text", "tspan", "style", "title"):
            element.text = None
        element.tail = None


def _unwrap_plain_groups(parent: ET.Element) -> None:
    """A ``<g>`` without attributes groups nothing: its children take its place."""
    index = 0
    while index < len(parent):
        child = parent[index]
        _unwrap_plain_groups(child)
        if _tag(child) == "g" and not child.attrib:
            parent.remove(child)
            for offset, grandchild in enumerate(list(child)):
                parent.insert(index + offset, grandchild)
            index += len(child)
        else:
            index += 1


def _name_the_font_once(root: ET.Element) -> None:
    """Drop the font on every text; one rule in the drawing's stylesheet sets the page's font stack."""
    used = False
    for element in root.iter():
        style = element.get("style")
        if style is not None and "font-family" in style:
            used = True
            rest = _FONT_FAMILY.sub("", style).strip(";")
            if rest:
                element.set("style", rest)
            else:
                del element.attrib["style"]
    if not used:
        return
    rule = f"text{{font-family:{FONT_STACK}}}"
    sheet = next((e for e in root.iter() if _tag(e) == "style"), None)
    if sheet is None:
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        sheet = ET.SubElement(defs, f"{{{SVG_NS}}}style")
        root.insert(0, defs)
    sheet.text = (sheet.text or "") + rule


def data_uri(svg: str) -> str:
    """``svg`` as a data URI that stands in ``src`` and ``srcset`` alike: no space, quote, ``&`` or ``<``.

    >>> uri = data_uri('<svg a="1 & 2">Män</svg>')
    >>> uri
    'data:image/svg+xml,%3Csvg%20a=%221%20%26%202%22%3EM%C3%A4n%3C/svg%3E'
    >>> svg_of(uri)
    '<svg a="1 & 2">Män</svg>'
    """
    return DATA_URI_PREFIX + quote(svg, safe=_URI_SAFE)


def svg_of(uri: str) -> str:
    """The SVG text of a data URI written by :func:`data_uri`."""
    return unquote(uri.removeprefix(DATA_URI_PREFIX))
