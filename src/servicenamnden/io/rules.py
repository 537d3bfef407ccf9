"""Rules of a data dictionary beyond one cell's type: a year's complete set (``komplett_per_ar``),
relations between a row's columns (``relationer``), closed lists with a hint for a near miss, and the
form a text column's values have (``form``, ``monster``).

A form is what a reader relies on to tell two texts of a row apart: a note is a sentence, a label is
not; a code is lower case; a committee's name ends in "nämnden". Two text columns swapped by mistake
(the measure where the goal should be) then break the form of at least one of them.

Each check returns the Swedish rule it finds broken (or ``None``), so :mod:`servicenamnden.io.schema`
raises it as one line with file, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicenamnden.errors import DataError, quoted
from servicenamnden.io.text import nearest


def shown_key(value: object) -> str:
    """A key value as the controller wrote it (2022, not 2022.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Complete:
    """A column whose values form a set that every year in the file must have in full
    (``komplett_per_ar``): the six cost categories of ms_ao_kostnader, the groups of sick leave.

    ``members`` is the set (default: the column's allowed values); ``within`` names columns whose every
    combination with the year must be complete (driftredovisning: each ``typ``); ``when`` limits the
    rule to rows with these values (sjukfranvaro: ``period = jan-dec``).
    """

    column: str
    members: tuple[str, ...]
    within: tuple[str, ...] = ()
    when: tuple[tuple[str, str], ...] = ()


CAPITAL = "A-ZÅÄÖÉÜ"
MONTH = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
# The named forms a dictionary may give a text column (``form: mening``), each a whole-value pattern and
# what it means in words for the message.
FORMS = {
    "kod": (r"[a-z0-9][a-z0-9_]*", "en kod med små bokstäver, siffror och _"),
    "mening": (
        rf"[{CAPITAL}0-9(].*[.!?]\)?",
        "en eller flera hela meningar: stor bokstav först och punkt sist",
    ),
    "benamning": (
        rf"[{CAPITAL}0-9].*[^.]|[{CAPITAL}0-9]",
        "en benämning: stor bokstav först och ingen punkt sist",
    ),
    "datum": (r"\d{4}-\d{2}-\d{2}", "ett datum ÅÅÅÅ-MM-DD"),
    "namn": (
        rf"[{CAPITAL}][^\s,;.]*(?:[ -][{CAPITAL}][^\s,;.]*)+",
        "ett namn: förnamn och efternamn med stor bokstav",
    ),
    "period": (
        rf"(?:{MONTH})(?: \d{{4}})? – (?:{MONTH}) \d{{4}}|(?:{MONTH}) \d{{4}}|\d{{4}}",
        "en period med månad och år, till exempel 'maj 2023' eller 'november 2022 – april 2023', eller ett år",
    ),
    "artal": (r"\d{4}", "ett årtal med fyra siffror"),
    "manad": (rf"(?:{MONTH})", "en månad, till exempel 'augusti'"),
}


@dataclass(frozen=True)
class Form:
    """A whole-value pattern a text column's values follow, and what it means in words."""

    pattern: re.Pattern[str]
    text: str

    def rule(self, value: str, scope: str = "kolumnens form") -> str | None:
        """Why ``value`` does not have this form, in Swedish; ``None`` if it has it."""
        if self.pattern.fullmatch(value):
            return None
        return f"{quoted(value)} har inte {scope} ({self.text}); har två kolumner bytt plats?"


def parse_forms(col: dict, label: str, name: str) -> tuple[Form, ...]:
    """A column's ``form: NAMN`` (see :data:`FORMS`) and ``monster: REGEX`` with ``monster_text: …``."""
    found = []
    for form in listed(col.get("form")):
        if form not in FORMS:
            raise DataError(label, f"okänd form {quoted(form)} (tillåtna: {', '.join(FORMS)})", column=name)
        found.append(Form(re.compile(FORMS[form][0], re.S), FORMS[form][1]))
    if col.get("monster") is not None:
        if not col.get("monster_text"):
            raise DataError(label, "monster behöver monster_text (vad mönstret betyder i ord)", column=name)
        try:
            found.append(Form(re.compile(str(col["monster"]), re.S), str(col["monster_text"])))
        except re.error:
            raise DataError(
                label, f"monster {quoted(col['monster'])} är inget giltigt mönster", column=name
            ) from None
    return tuple(found)


def parse_forms_by(col: dict, names: set[str], label: str, name: str) -> tuple[str, dict[str, Form]] | None:
    """A column's ``form_efter: {kolumn: typ, former: {ar: artal, …}}``: the form follows another column."""
    spec = col.get("form_efter")
    if spec is None:
        return None
    if (
        not isinstance(spec, dict)
        or spec.get("kolumn") not in names
        or not isinstance(spec.get("former"), dict)
    ):
        raise DataError(
            label, "form_efter ska ange en kolumn och dess former (kolumn: …, former: {…})", column=name
        )
    forms = {}
    for value, form in spec["former"].items():
        if form not in FORMS:
            raise DataError(label, f"okänd form {quoted(form)} (tillåtna: {', '.join(FORMS)})", column=name)
        forms[str(value)] = Form(re.compile(FORMS[form][0], re.S), FORMS[form][1])
    return str(spec["kolumn"]), forms


def form_by_rule(record: dict[str, object], name: str, spec: tuple[str, dict[str, Form]]) -> str | None:
    """Why a row's ``name`` breaks the form its other column (``form_efter``) gives it; ``None`` if not."""
    other, forms = spec
    form, value = forms.get(str(record[other])), record[name]
    if form is None or value in (None, ""):
        return None
    return form.rule(str(value), f"formen för {other} = {record[other]}")


def form_rule(value: str, forms: tuple[Form, ...]) -> str | None:
    """The first form ``value`` breaks, in Swedish; ``None`` if it has them all (or is empty)."""
    if not value:
        return None
    return next((broken for form in forms if (broken := form.rule(value))), None)


OPERATORS = {"<": "mindre än", "<=": "högst", ">": "större än", ">=": "minst"}


@dataclass(frozen=True)
class Relation:
    """A rule between two columns of a row (``relationer``): ``jamforelse_ar < ar``."""

    left: str
    operator: str
    right: str
    text: str = ""

    def holds(self, left: float, right: float) -> bool:
        """Whether the relation holds for these values."""
        return {
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[self.operator]


def listed(value: object) -> list:
    """A dictionary key that may hold one rule or a list of them."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_complete(spec: object, allowed: dict[str, tuple[str, ...] | None], label: str) -> Complete:
    """One ``komplett_per_ar`` rule: ``{kolumn: kategori}`` plus optional ``mangd``, ``inom``, ``nar``.

    ``allowed`` maps every column of the file to its allowed values (``None``: any).
    """
    spec = {"kolumn": spec} if isinstance(spec, str) else spec
    if not isinstance(spec, dict) or "kolumn" not in spec:
        raise DataError(label, "komplett_per_ar ska ange en kolumn (kolumn: NAMN)")
    name = str(spec["kolumn"])
    within = tuple(str(c) for c in spec.get("inom") or ())
    when = tuple((str(k), str(v)) for k, v in (spec.get("nar") or {}).items())
    for used in (name, "ar", *within, *(k for k, _ in when)):
        if used not in allowed:
            raise DataError(label, f"komplett_per_ar nämner kolumnen '{used}', som inte finns", column=name)
    members = spec.get("mangd") or allowed[name]
    if not members:
        raise DataError(label, "komplett_per_ar behöver en mängd (mangd: [...]) eller tillatna", column=name)
    return Complete(name, tuple(str(m) for m in members), within, when)


def parse_relation(spec: object, names: set[str], label: str) -> Relation:
    """One ``relationer`` rule: ``"jamforelse_ar < ar"`` or ``{villkor: "…", text: "…"}``."""
    spec = {"villkor": spec} if isinstance(spec, str) else spec
    parts = str((spec or {}).get("villkor", "")).split() if isinstance(spec, dict) else []
    if len(parts) != 3 or parts[1] not in OPERATORS or parts[0] not in names or parts[2] not in names:
        raise DataError(
            label, f"relationen {quoted(' '.join(parts))} ska skrivas 'kolumn < kolumn' (<, <=, >, >=)"
        )
    return Relation(parts[0], parts[1], parts[2], str(spec.get("text", "")))


SHOWN_ALLOWED = 8  # a longer list of allowed values is not printed in a message
SHOWN_ALLOWED_CHARS = 120  # nor a list of long texts (the risks of a plan): the line stays readable


def allowed_rule(value: str, allowed: tuple[str, ...]) -> str:
    """Why ``value`` is refused from a closed list: the list when short, the nearest value when close."""
    near = nearest(value, allowed)
    listed = (
        f"tillåtna: {', '.join(allowed)}"
        if len(allowed) <= SHOWN_ALLOWED and len(", ".join(allowed)) <= SHOWN_ALLOWED_CHARS
        else f"dataordlistan listar de {len(allowed)} tillåtna"
    )
    hint = f"; menar du {quoted(near)}?" if near else ""
    return f"{quoted(value)} är inte ett tillåtet värde ({listed}){hint}"


def relation_rule(relation: Relation, left: float, right: float) -> str:
    """Why a row breaks a relation between its columns, in Swedish."""
    what = f"{relation.left} ({shown_key(left)}) ska vara {OPERATORS[relation.operator]} {relation.right} ({shown_key(right)})"
    return f"{what}: {relation.text}" if relation.text else what


def incomplete_year(
    records: list[dict[str, object]], lines: list[int], rules: tuple[Complete, ...]
) -> tuple[int, str, str] | None:
    """The first year (and ``inom`` values) lacking part of a ``komplett_per_ar`` set: (line, column,
    rule), the line being that year's last row; ``None`` when every year has its whole set."""
    for rule in rules:
        groups: dict[tuple, tuple[set[str], int]] = {}
        for record, line in zip(records, lines, strict=True):
            if any(str(record[k]) != v for k, v in rule.when):
                continue
            group = (record["ar"], *(record[c] for c in rule.within))
            found, _ = groups.get(group, (set(), line))
            found.add(str(record[rule.column]))
            groups[group] = (found, line)
        for group, (found, line) in groups.items():
            missing = [m for m in rule.members if m not in found]
            if missing:
                return line, rule.column, _gap_rule(rule, group, missing)
    return None


def _gap_rule(rule: Complete, group: tuple, missing: list[str]) -> str:
    """``år 2018 saknar kategori 'lokal_el', … (ett år i filen ska ha alla 6)``."""
    scope = "".join(f", {c} = {shown_key(v)}" for c, v in zip(rule.within, group[1:], strict=True))
    scope += "".join(f", {k} = {v}" for k, v in rule.when)
    shown = ", ".join(quoted(m) for m in missing[:3]) + (
        f" och {len(missing) - 3} till" if len(missing) > 3 else ""
    )
    return (
        f"år {shown_key(group[0])}{scope} saknar {rule.column} {shown}; ett år som finns i filen ska ha alla "
        f"{len(rule.members)} ({', '.join(rule.members[:6])}{', …' if len(rule.members) > 6 else ''}) – "
        "har en rad fått fel år?"
    )
