"""Prose values on the process goals, the key figures in the text, internal control and the data checks."""

from __future__ import annotations

from functools import cache

import pandas as pd

from servicenamnden.domain import internkontroll
from servicenamnden.domain.goals import process_goal_period
from servicenamnden.domain.miljo import key_figure, traced_key_figure
from servicenamnden.domain.provenance import Traced, antal, komplement, lista, produkt, select
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Shown, Varden, collect, known, need, shown

# Key figures the prose states (ovriga_nyckeltal.csv, column nyckeltal), and what each is, for a note.
KEY_FIGURES = {
    "arbetsmarknadsatgarder": "antalet medarbetare i arbetsmarknadsåtgärder",
    "feriearbetare": "antalet feriearbetare",
    "timvikariat_efter_praktik": "antalet timvikariat efter praktik",
    "svenskt_naringsliv_upphandling": "upphandlingens poäng i Svenskt Näringslivs ranking",
    "leverantorsregistret_foretag": "antalet lokala företag i leverantörsregistret",
    "nui_placering_riket": "kommunens placering i SKR:s mätning",
    "forskningsprojekt_enheter": "antalet enheter i forskningsprojektet",
    "it_bilar_fore": "IT:s bilar före bytet",
    "it_bilar_efter": "IT:s bilar efter bytet",
    "samhallsviktiga_utan_krisparm": "antalet samhällsviktiga verksamheter utan krispärm",
    "skyddsmaterial_lager": "lagret av skyddsmaterial",
    "lagringsyta_valnamnden": "valnämndens lagringsyta",
    "kok_nedlagda_aldreomsorg": "antalet nedlagda kök",
    "kok_nedlagda_medarbetare": "antalet medarbetare i de nedlagda köken",
    "kemikalier_sakerhetsdatablad_sidor": "sidorna i ett säkerhetsdatablad",
    "kemikalier_skyddsblad_sidor": "sidorna i ett skyddsblad",
    "arbetsmiljo_uppfoljning_per_ar": "antalet uppföljningar per år av arbetsmiljöansvarets fördelning",
    "jamstalldhet_natverkstraffar": "antalet nätverksträffar om jämställdhet och mäns våld mot kvinnor",
}


def nyckeltal_values(figures: pd.DataFrame, ar: int) -> Varden:
    """The counts stated in the prose (labour-market measures, summer workers, kitchens closed, …)."""

    def figure(name: str) -> Shown:
        value = known(key_figure(figures, name, ar), KEY_FIGURES[name], ar)
        return shown(traced_key_figure(figures, name, ar), fmt.number, 0 if value.is_integer() else 1)

    return collect("nyckeltal", {name: (lambda n=name: figure(n)) for name in KEY_FIGURES})


# How the prose names a main process's trend (huvudprocesser.csv, column trend).
TREND_WORDS = {"bättre": "en förbättrad", "oförändrad": "en oförändrad", "sämre": "en försämrad"}
SMALL_COUNTS = ["inget", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"]


def processer_values(processes: pd.DataFrame, commitments: pd.DataFrame, ar: int) -> Varden:
    """The main processes' trends and how many of a section's one-year commitments are done, in words."""

    def trend(section: str) -> str:
        part = need(processes, ar, "huvudprocessernas bedömning")
        found = part[(part["ar"] == ar) & (part["avsnitt"] == section)]["trend"]
        word = TREND_WORDS.get(str(found.iloc[0])) if len(found) else None
        return known(None, f"huvudprocessens trend i avsnittet {section}", ar) if word is None else word

    def done(section: str) -> str:
        """``är båda klara``, ``är alla fyra klara``, ``är ett av två klart``, ``är inget klart``."""
        part = need(commitments, ar, "åtagandena")
        statuses = part[(part["ar"] == ar) & (part["avsnitt"] == section)]["status"]
        if not len(statuses) or (statuses == "ej angivet").any():
            known(None, f"åtagandenas status i avsnittet {section}", ar)
        total, finished = len(statuses), int((statuses == "klart").sum())

        def words(n: int) -> str:
            return SMALL_COUNTS[n] if n < len(SMALL_COUNTS) else fmt.count(n)

        if finished == 0:
            return "är inget klart"
        if finished == total:
            return {1: "är det enda klart", 2: "är båda klara"}.get(total, f"är alla {words(total)} klara")
        return f"är {words(finished)} av {words(total)} {'klart' if finished == 1 else 'klara'}"

    return collect(
        "processer",
        {
            "foretagande_trend": lambda: trend("Främja näringsliv och arbete"),
            "transporter_trend": lambda: trend("Tillgodose behovet av hållbar samhällsbyggnad"),
            "beredskap_klara": lambda: done("Bedriva samhällsskydd och beredskap"),
        },
    )


ORDINALS = ["första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde"]
CARDINALS = ["ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta"]


def processmal_values(goals: pd.DataFrame, ar: int) -> Varden:
    """The process goals' period (first and last year, from the data) and where the report year lies in it."""

    def period() -> tuple[int, int]:
        return process_goal_period(goals, ar)

    def words(table: list[str], number: int) -> str:
        return table[number - 1] if 1 <= number <= len(table) else fmt.count(number)

    return collect(
        "processmal",
        {
            "forsta_ar": lambda: period()[0],
            "sista_ar": lambda: period()[1],
            "antal_ar": lambda: words(CARDINALS, period()[1] - period()[0] + 1),
            "arets_plats": lambda: words(ORDINALS, ar - period()[0] + 1),
            "antal_mal": lambda: (
                need(goals, ar, "processmålen"),
                shown(antal(select(goals, "ordning", ar=ar), f"året är {ar}"), fmt.count),
            )[1],
        },
    )


# Which risk the highest risk value names, in words: the popover's condition of its number.
HIGHEST_RISK = "risken med högst riskvärde (sannolikhet gånger konsekvens; lika värden: lägst nummer)"


def words(table: list[str], number: int) -> str:
    """A small number in words from ``table`` (``två``), larger ones as digits."""
    return table[number - 1] if 1 <= number <= len(table) else fmt.count(number)


def internkontroll_values(
    risks: pd.DataFrame, purchases: pd.DataFrame, follow_up: pd.DataFrame, ar: int
) -> Varden:
    """Risk count and values, sample sizes and policy breaches, and the previous plan's follow-up."""

    @cache
    def valued() -> pd.DataFrame:
        part = need(risks, ar, "internkontrollens risker")
        return internkontroll.risk_values(part[part["ar"] == ar])

    def sampled() -> pd.DataFrame:
        table = valued()
        return table[table["kontrollmetod"] == "stickprov"]

    def sample(nr: int, column: str = "antal_granskade") -> Shown:
        by_nr = valued().set_index("nr")
        value = by_nr[column].get(nr) if nr in by_nr.index else None
        what = "antalet nämnder" if column == "antal_namnder" else "antalet granskade fall"
        known(value, f"{what} för risk {nr}", ar)
        return shown(select(risks, column, ar=ar, nr=nr), fmt.count)

    def risk_rows(table: pd.DataFrame) -> Traced:
        """The year's risks in ``table`` as rows of internkontroll_risker.csv (to count them)."""
        return select(risks, "nr", ar=ar, nr=[int(n) for n in table["nr"]])

    def highest() -> Traced:
        nr = int(valued().iloc[0]["nr"])
        return produkt(
            select(risks, "sannolikhet", ar=ar, nr=nr), select(risks, "konsekvens", ar=ar, nr=nr)
        ).where(HIGHEST_RISK)

    def bought() -> pd.DataFrame:
        part = need(purchases, ar, "direktupphandlingarna som avvek")
        return part[part["ar"] == ar]

    def share_done() -> float:
        part = need(follow_up, ar, "uppföljningen av föregående års plan")
        shares = part[part["ar"] == ar]["andel_genomfort_procent"].dropna()
        return known(shares.iloc[0] if len(shares) else None, "uppföljningen av föregående års plan", ar)

    def samples_text() -> Shown:
        """``27 för risk 1, 15 för risk 2 och 30 för risk 4``: each sampled risk's cases, in the text's order."""
        table = sampled()
        found = [
            (int(r), n)
            for r, n in zip(table["nr"], table["antal_granskade"], strict=True)
            if not fmt.is_missing(n)
        ]
        text = fmt.join([f"{fmt.count(n)} för risk {r}" for r, n in found]) or known(
            None, "antalet granskade fall", ar
        )
        return Shown(text, lista(*(select(risks, "antal_granskade", ar=ar, nr=r) for r, _ in found)))

    def not_sampled() -> Traced:
        table = valued()
        return antal(
            risk_rows(table[table["kontrollmetod"] != "stickprov"]), "kontrollmetoden är inte stickprov"
        )

    def highest_nr() -> Traced:
        nr = int(valued().iloc[0]["nr"])
        return select(risks, "nr", ar=ar, nr=nr).where(HIGHEST_RISK)

    return collect(
        "internkontroll",
        {
            "antal_risker": lambda: shown(antal(risk_rows(valued()), f"året är {ar}"), fmt.count),
            "antal_stickprov": lambda: shown(
                antal(risk_rows(sampled()), "kontrollmetoden är stickprov"), fmt.count
            ),
            "antal_utveckling": lambda: shown(not_sampled(), fmt.count),
            "hogsta_risk_nr": lambda: shown(highest_nr(), fmt.count),
            "hogsta_riskvarde": lambda: shown(highest(), fmt.count),
            "hogsta_risk": lambda: str(valued().iloc[0]["risk"]).lower(),
            "granskade_per_risk": samples_text,
            "inkop_granskade": lambda: sample(1),
            "handlingar_granskade": lambda: sample(2),
            "namnder": lambda: sample(2, "antal_namnder"),
            "utbetalningar_granskade": lambda: sample(4),
            "direktupphandlingar": lambda: (
                bought(),
                shown(antal(select(purchases, "belopp_tkr", ar=ar)), fmt.count),
            )[1],
            "direktupphandlingar_summa": lambda: (
                bought(),
                shown(select(purchases, "belopp_tkr", ar=ar), fmt.tkr),
            )[1],
            "antal_risker_fg": lambda: words(
                CARDINALS, len(need(follow_up, ar, "uppföljningen av föregående års plan").query("ar == @ar"))
            ),
            "apt_genomfort": lambda: (
                share_done(),
                shown(select(follow_up, "andel_genomfort_procent", ar=ar).in_unit("%"), fmt.percent, 0),
            )[1],
            "apt_inbokat": lambda: (
                share_done(),
                shown(komplement(select(follow_up, "andel_genomfort_procent", ar=ar)), fmt.percent, 0),
            )[1],
        },
    )
