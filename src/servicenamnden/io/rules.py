"""Rules of a data dictionary beyond one cell's type: a year's complete set (``komplett_per_ar``),
relations between a row's columns (``relationer``) and closed lists with a hint for a near miss.

Each check returns the Swedish rule it finds broken (or ``None``), so :mod:`servicenamnden.io.schema`
raises it as one line with file, row and column.
"""

from __future__ import annotations

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


def allowed_rule(value: str, allowed: tuple[str, ...]) -> str:
    """Why ``value`` is refused from a closed list: the list when short, the nearest value when close."""
    near = nearest(value, allowed)
    listed = (
        f"tillåtna: {', '.join(allowed)}"
        if len(allowed) <= SHOWN_ALLOWED
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
