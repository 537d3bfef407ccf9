"""Prose values on staff and customers: sick leave, work injuries, the employee survey, customer dialogues."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pandas as pd

from servicenamnden.domain import sjukfranvaro as sick
from servicenamnden.domain.periods import rolling_period_words
from servicenamnden.domain.provenance import Traced, select
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Varden, collect, direction, known, need, shown


def sjukfranvaro_values(frame: pd.DataFrame, ar: int) -> Varden:
    """Sick leave: the year against the year before for the whole year and the rolling twelve months."""
    full = frame[frame["period"] == sick.FULL_YEAR]
    rolling = frame[frame["period"] == sick.ROLLING]
    what, what_rolling = "sjukfrånvaron för helår", "den rullande sjukfrånvaron"

    def year(group: str, y: int) -> Traced:
        need(full, y, what)
        known(sick.value(frame, y, group), f"sjukfrånvaron för {sick.GROUP_LABELS[group].lower()}", y)
        return sick.traced_value(frame, y, group)

    def roll(y: int) -> Traced:
        need(rolling, y, what_rolling)
        known(sick.value(frame, y, "totalt", sick.ROLLING), what_rolling, y)
        return sick.traced_value(frame, y, "totalt", sick.ROLLING)

    def change(now: Traced, before: Traced) -> Traced:
        return (now - before).in_unit("procentenheter")

    return collect(
        "sjukfranvaro",
        {
            "totalt": lambda: shown(year("totalt", ar), fmt.percent),
            "totalt_fg": lambda: shown(year("totalt", ar - 1), fmt.percent),
            "forandring": lambda: shown(change(year("totalt", ar), year("totalt", ar - 1)), fmt.pp),
            "riktning": lambda: direction(
                year("totalt", ar).value - year("totalt", ar - 1).value, "minskade", "ökade", "var oförändrad"
            ),
            "kvinnor": lambda: shown(year("kvinnor", ar), fmt.percent),
            "kvinnor_fg": lambda: shown(year("kvinnor", ar - 1), fmt.percent),
            "man": lambda: shown(year("man", ar), fmt.percent),
            "man_fg": lambda: shown(year("man", ar - 1), fmt.percent),
            "rullande": lambda: shown(roll(ar), fmt.percent),
            "rullande_fg": lambda: shown(roll(ar - 1), fmt.percent),
            "rullande_forandring": lambda: shown(change(roll(ar), roll(ar - 1)), fmt.pp),
            "rullande_riktning": lambda: direction(
                roll(ar).value - roll(ar - 1).value, "minskade", "ökade", "var oförändrad"
            ),
            "rullande_period": lambda: rolling_period_words(sick.ROLLING, ar),
        },
    )


def pairs(frame: pd.DataFrame, key: str, value: str, what: str) -> Callable[[str, int], float]:
    """A lookup ``(name, year) → value`` that raises the note when the year is missing."""

    @cache
    def get(name: str, y: int) -> float:
        need(frame, y, what)
        part = frame[(frame[key] == name) & (frame["ar"] == y)][value]
        return known(float(part.iloc[0]) if len(part) else float("nan"), what, y)

    return get


def traced_pairs(frame: pd.DataFrame, key: str, value: str, what: str) -> Callable[[str, int], Traced]:
    """Like :func:`pairs`, the value with the data cell it is read from."""
    get = pairs(frame, key, value, what)

    def traced(name: str, y: int) -> Traced:
        get(name, y)
        return select(frame, value, **{key: name}, ar=y)

    return traced


def size(value: float) -> str:
    """A count's size without its sign (the sentence says whether it rose or fell)."""
    return fmt.count(abs(value))


def arbetsskador_values(injuries: pd.DataFrame, ar: int) -> Varden:
    """Work injuries and incidents reported, the year against the year before."""
    get = pairs(injuries, "handelse", "antal", "arbetsskador och tillbud")
    traced = traced_pairs(injuries, "handelse", "antal", "arbetsskador och tillbud")
    names = {"utan_franvaro": "arbetsskada_utan_franvaro", "med_franvaro": "arbetsskada_med_franvaro"}
    names["tillbud"] = "tillbud"
    values: dict = {}
    for short, name in names.items():
        values[short] = lambda n=name: shown(traced(n, ar), fmt.count)
        values[f"{short}_fg"] = lambda n=name: shown(traced(n, ar - 1), fmt.count)
    values["utan_franvaro_forandring"] = lambda: shown(
        traced(names["utan_franvaro"], ar) - traced(names["utan_franvaro"], ar - 1), size
    )
    values["utan_franvaro_riktning"] = lambda: direction(
        get(names["utan_franvaro"], ar) - get(names["utan_franvaro"], ar - 1),
        "minskade",
        "ökade",
        "var oförändrade",
    )
    return collect("arbetsskador", values)


def medarbetarenkat_values(survey: pd.DataFrame, ar: int) -> Varden:
    """The employee survey's indices and the number of units with red and yellow results."""
    get = traced_pairs(survey, "matt", "varde", "medarbetarenkätens resultat")
    values: dict = {}
    for name in ("hme_totalt", "motivation", "ledarskap", "styrning", "roda_enheter", "gula_enheter"):
        values[name] = lambda n=name: shown(get(n, ar), fmt.count)
        values[f"{name}_fg"] = lambda n=name: shown(get(n, ar - 1), fmt.count)
    return collect("medarbetarenkat", values)


def kunddialog_values(dialogue: pd.DataFrame, ar: int) -> Varden:
    """Customer-dialogue scores on a ten-point scale, the year against the year before."""
    get = pairs(dialogue, "matt", "betyg", "kunddialogernas betyg")
    traced = traced_pairs(dialogue, "matt", "betyg", "kunddialogernas betyg")
    values: dict = {}
    for name in ("samlad_bedomning", "aterkoppling", "motsvarad_forvantan", "bemotande"):
        values[name] = lambda n=name: shown(traced(n, ar), fmt.number, 2)
        values[f"{name}_fg"] = lambda n=name: shown(traced(n, ar - 1), fmt.number, 2)
    values["samlad_bedomning_riktning"] = lambda: direction(
        get("samlad_bedomning", ar) - get("samlad_bedomning", ar - 1), "sjönk", "steg", "var oförändrad"
    )
    return collect("kunddialog", values)
