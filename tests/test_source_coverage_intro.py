"""The report from its start to Effektiv organisation carries the source's statements, and none it doesn't.

Source: the 2023 document's Tjänsteskrivelse, Sammanfattning, process goals, symbols, Hållbar utveckling,
Främja näringsliv och arbete, Tillgodose behovet av hållbar samhällsbyggnad (with the environmental goals)
and Bedriva samhällsskydd och beredskap. Each topic below is one statement the source makes there that the
report lacked (issue 17, §1); each false-statement test is one sentence the report got wrong (§2).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from servicenamnden.io import data
from servicenamnden.present.values import ekonomi, ovrigt
from servicenamnden.present.values.villkor import VILLKOR

END = "# Effektiv organisation"

# (section heading, words that must stand in the executed text of that section): one source topic each.
TOPICS = [
    ("# Sammanfattning", "rimlig\nkostnad|rimlig kostnad"),  # what a reasonable cost is for the benefit
    ("# Sammanfattning", "stötta vid en kris"),  # the group: how vital services can support in a crisis
    ("# Sammanfattning", "små ständiga förbättringar"),
    ("# Sammanfattning", "förbättringsombud"),
    ("# Sammanfattning", "samordnad intern service"),
    ("# Sammanfattning", "KUL"),  # the training platform
    ("# Sammanfattning", "klient som tjänst"),
    ("# Sammanfattning", "servicewebben och fått pris"),
    ("# Sammanfattning", "Eskilstuna direkt utvecklar"),
    ("# Sammanfattning", "Microsoft365"),
    ("# Sammanfattning", "speciallösningar"),  # the consolidated services' standardisation challenge
    ("# Sammanfattning", "medarbetare, pengar, tid och kompetens"),
    ("# Sammanfattning", "hedersrelaterat våld"),  # networks of ombud for gender equality and violence
    ("# Sammanfattning", "arbetsplatsträffar"),  # APT templates and the year-wheel
    ("# Sammanfattning", "HBTQI"),
    ("# Sammanfattning", "fokus på att få alla"),
    ("## Förklaring av symboler", "Ej\n  utvärderad|Ej utvärderad"),
    ("## Förklaring av symboler", "resultatmål"),
    ("# Hållbar utveckling", "handlingsplan och seminarier"),
    ("# Hållbar utveckling", "Eskilstuna direkt uppmärksammar"),
    ("# Hållbar utveckling", "karriär"),
    ("# Hållbar utveckling", "säkerhetsskyddad upphandling (SUA)"),
    ("# Hållbar utveckling", "lätta eldrivna lastbilar"),
    ("# Hållbar utveckling", "resepolicyn"),
    ("# Hållbar utveckling", "varma måltidstransporterna"),
    ("# Hållbar utveckling", "gratis frukost"),
    ("# Hållbar utveckling", "näringsinnehåll och pris"),
    ("# Hållbar utveckling", "svenskt och närproducerat före ekologiskt"),
    ("# Främja näringsliv och arbete", "SME-dialoger"),
    ("# Främja näringsliv och arbete", "Kfast och\nESEM|Kfast och ESEM"),
    ("# Främja näringsliv och arbete", "Handla för\nEskilstuna|Handla för Eskilstuna"),
    ("# Främja näringsliv och arbete", "bemötande och kompetens"),  # what the NUI respondents rated
    ("# Främja näringsliv och arbete", "utvärderingsmodellerna"),
    ("# Främja näringsliv och arbete", "däckleverantör"),
    ("# Främja näringsliv och arbete", "Ukraina"),
    ("# Främja näringsliv och arbete", "trygghet i anställning"),
    ("# Främja näringsliv och arbete", "driftenheten"),
    ("# Främja näringsliv och arbete", "funktionsvariation"),
    ("# Främja näringsliv och arbete", "150 jobb"),
    ("# Främja näringsliv och arbete", "uppstartsmöte"),
    ("# Främja näringsliv och arbete", "statsvetarprogrammet"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "Movebybike"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "elsparkcyklar, packcyklar"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "Kjula och Alberga"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "hyrs de av transportenheten"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "kommunledningskontoret (KLK)"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "Mallpaket"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "vegetariskt sortiment och naturbeteskött"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "klimatspend"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "Plan för avfall och kretslopp"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "löneservice har minskat pappersunderlagen"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "skyddsblad"),  # the chemicals data sheets
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "energismarta kök"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "green loop"),
    ("# Tillgodose behovet av hållbar samhällsbyggnad", "Svensk miljöbas"),
    ("## Uppföljning av miljömålen", "Klimatbelastningen"),
    ("## Uppföljning av miljömålen", "menygrupp"),
    ("## Uppföljning av miljömålen", "Matilda"),
    ("## Uppföljning av miljömålen", "nära livsmedelsinköp"),
    ("## Uppföljning av miljömålen", "medvetna inköp"),
    ("## Uppföljning av miljömålen", "används lock"),
    ("## Uppföljning av miljömålen", "baka bröd"),
    ("## Uppföljning av miljömålen", "Greenhack"),
    ("## Uppföljning av miljömålen", "positiv återkoppling från revisorn"),
    ("## Uppföljning av miljömålen", "serviceförvaltningen och"),  # the administration's contract loyalty
    ("## Uppföljning av miljömålen", "livsmedlen till en större del"),
    ("## Uppföljning av miljömålen", "piloten pågick till"),
    ("## Uppföljning av miljömålen", "leveranstillfällen"),
    ("## Uppföljning av miljömålen", "kasserades"),
    ("## Uppföljning av miljömålen", "centrala beställningspunkt"),
    ("## Uppföljning av miljömålen", "profilprodukter"),
    ("# Bedriva samhällsskydd och beredskap", "MSB:s riktlinjer"),
    ("# Bedriva samhällsskydd och beredskap", "brandskyddet"),
    ("# Bedriva samhällsskydd och beredskap", "tjänsteperson i beredskap (TIB)"),
    ("# Bedriva samhällsskydd och beredskap", "alla kommunikatörer"),
    ("# Bedriva samhällsskydd och beredskap", "Proceedo slutar fungera"),
    ("# Bedriva samhällsskydd och beredskap", "logistikfunktionens beredskap"),
    ("# Bedriva samhällsskydd och beredskap", "totalförsvaret"),
    ("# Bedriva samhällsskydd och beredskap", "civila försvaret"),
    ("# Bedriva samhällsskydd och beredskap", "säkerhetsskydd"),
]

HEADINGS = [
    "# Tjänsteskrivelse",
    "# Sammanfattning",
    "# Sammanställning av processmål",
    "## Förklaring av symboler",
    "# Hållbar utveckling",
    "# Främja näringsliv och arbete",
    "# Tillgodose behovet av hållbar samhällsbyggnad",
    "## Uppföljning av miljömålen",
    "# Bedriva samhällsskydd och beredskap",
    END,
]


def sections(text: str) -> dict[str, str]:
    """The executed article's text per heading of HEADINGS, each up to the next of them."""
    found = {h: text.index(f"\n{h} ") for h in HEADINGS}
    order = sorted(found, key=found.get)
    return {h: text[found[h] : found[n]] for h, n in zip(order, order[1:], strict=False)}


@pytest.fixture(scope="module")
def article_text(article_markdown) -> str:
    """The executed article's markdown from a line break, so every heading starts a line."""
    return "\n" + article_markdown


def flat(text: str) -> str:
    """Text with every run of white space (non-breaking spaces too) as one space."""
    return re.sub(r"\s+", " ", text)


def test_every_topic_of_the_source_stands_in_its_section(article_text):
    parts = sections(article_text)
    missing = [
        (heading, words)
        for heading, words in TOPICS
        if not any(flat(w) in flat(parts[heading]) for w in words.split("|"))
    ]
    assert missing == []


# --- §2: statements the source and the data do not make --------------------------------------------------


def test_the_summary_does_not_say_revenue_was_below_budget(article_text, v):
    """Tabell 12 shows revenue 2,4 mnkr over budget; only without the substitute pool (Tabell 13) is it lower."""
    summary = flat(sections(article_text)["# Sammanfattning"])
    assert "Intäkterna blev lägre än budgeterat" not in summary
    assert flat(f"Intäkterna blev sammantaget {v.justering.intakter_mot_budget} än budgeterat") in summary
    assert str(v.justering.intakter_mot_budget).endswith("högre")
    assert flat(f"övriga intäkterna {v.justering.intakter_utan_pool_mot_budget} än budgeterat") in summary
    assert str(v.justering.intakter_utan_pool_mot_budget).endswith("lägre")


def test_revenue_words_follow_the_income_statement(v):
    from servicenamnden.domain import ekonomi as economy

    statement = economy.income_statement(data.load("resultatrakning"), data.load("konton"), 2023)
    total = economy.line(statement, "summa_intakt", "avvikelse")
    adjusted = economy.adjusted_comparison(statement, data.load("ekonomi_justeringar"), 2023)
    without_pool = adjusted.set_index("post").loc["Övriga intäkter", "avvikelse"]
    assert total > 0 and without_pool < 0
    assert str(v.justering.intakter_mot_budget).startswith(f"{abs(total):.1f}".replace(".", ","))
    assert str(v.justering.intakter_utan_pool_mot_budget).startswith(
        f"{abs(without_pool):.1f}".replace(".", ",")
    )


def test_computers_as_a_service_began_delivery_not_introduced(article_text):
    summary = flat(sections(article_text)["# Sammanfattning"])
    assert "infördes" not in summary.split("klient som tjänst")[0].rsplit(".", 1)[-1]
    assert "börjat leverera datorer" in summary
    assert "datorer som tjänst" not in summary


def test_the_summary_keeps_the_sources_only(article_text, v):
    """The source: "Inga områden når budgeterat resultat förutom område 2"; the report had lost the "only"."""
    summary = flat(sections(article_text)["# Sammanfattning"])
    assert "Bland nämndens områden når bara Område 2 (HR och kommunikation) sin budget." in summary
    assert str(v.resultat.antal_i_balans) == "1"


def _results_with_deviations(deviations: list[float]) -> pd.DataFrame:
    rows = []
    for i, deviation in enumerate(deviations, 1):
        rows += [
            {"ar": 2023, "omrade": f"omrade_{i}", "typ": "utfall", "belopp_mnkr": deviation},
            {"ar": 2023, "omrade": f"omrade_{i}", "typ": "budget", "belopp_mnkr": 0.0},
        ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("deviations", "expected"),
    [
        ([-1, 2, -3, -4, -5], "bara Område 2"),
        ([-1, 2, 3, -4, -5], "bara Område 2 och Område 3"),
        ([1, 2, 3, -4, -5], "Område 1, Område 2 och Område 3"),
        ([1, 2, 3, 4, 5], "alla"),
        ([-1, -2, -3, -4, -5], "inget"),
    ],
)
def test_the_word_for_areas_in_balance_is_chosen_by_the_data(deviations, expected, monkeypatch):
    from servicenamnden.domain import ekonomi as economy

    areas = pd.DataFrame(
        {"omrade": [f"omrade_{i}" for i in range(1, 6)], "benamning": [f"Område {i}" for i in range(1, 6)]}
    )
    areas["kortnamn"] = None

    def per_area(results: pd.DataFrame, _areas: pd.DataFrame, ar: int) -> pd.DataFrame:
        wide = results.pivot_table(index="omrade", columns="typ", values="belopp_mnkr").reset_index()
        wide["avvikelse"] = wide["utfall"] - wide["budget"]
        wide = wide.merge(areas, on="omrade")
        total = {"omrade": "summa", "utfall": wide["utfall"].sum(), "avvikelse": wide["avvikelse"].sum()}
        support = {"omrade": "namnd_ledning_stod", "utfall": 0.0, "avvikelse": 0.0}
        return pd.concat([wide, pd.DataFrame([support, total])], ignore_index=True)

    monkeypatch.setattr(economy, "result_per_area", per_area)
    statement = pd.DataFrame(columns=["ar", "typ", "konto", "belopp_mnkr"])
    group = ekonomi.resultat_values(_results_with_deviations(deviations), areas, statement, 2023)
    assert str(group.i_balans) == expected


def test_the_food_waste_table_does_not_say_how_the_source_summed_the_school_total():
    from servicenamnden.present.tables import goals

    table = goals.food_waste_for_year(data.load("matsvinn"), data.load("miljomal"), 2023)
    notes = " ".join(table.notes)
    assert "Skolverksamhetens värde är medelvärdet" not in notes
    assert "källan anger inte hur" in notes


def test_the_svenskt_naringsliv_score_is_not_called_only(article_text):
    text = flat(article_text.split(END)[0])
    assert not re.search(r"\bbara \d+,\d poäng", text)


# --- computed words that used to be fixed ---------------------------------------------------------------


def test_trends_and_commitments_in_words(v):
    assert str(v.processer.foretagande_trend) == "en oförändrad"
    assert str(v.processer.transporter_trend) == "en förbättrad"
    assert str(v.processer.beredskap_klara) == "är båda klara"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["klart", "klart"], "är båda klara"),
        (["klart", "försenat"], "är ett av två klart"),
        (["försenat", "försenat", "försenat"], "är inget klart"),
        (["klart", "klart", "klart"], "är alla tre klara"),
        (["klart", "klart", "försenat"], "är två av tre klara"),
    ],
)
def test_commitments_done_in_words(statuses, expected):
    commitments = pd.DataFrame(
        {
            "ar": 2023,
            "avsnitt": "Bedriva samhällsskydd och beredskap",
            "status": statuses,
            "nr": range(len(statuses)),
        }
    )
    processes = pd.DataFrame({"ar": [2023], "avsnitt": ["x"], "trend": ["bättre"]})
    assert str(ovrigt.processer_values(processes, commitments, 2023).beredskap_klara) == expected


def test_new_figures_come_from_the_data(v):
    assert str(v.miljouppfoljning.klimat) == "1,80\u00a0kg"
    assert str(v.miljouppfoljning.nara_tva_ar_fore) == "15\u00a0%"
    assert str(v.miljouppfoljning.greenhack_mars) == "24"
    assert str(v.miljouppfoljning.avtalstrohet_forvaltningen) == "95\u00a0%"
    assert str(v.miljouppfoljning.transporter_stopp_andring) == "34 färre"
    assert str(v.matsvinn.grundskola) == "11,5\u00a0%"
    assert str(v.matsvinn.gymnasiet_mot_malet) == "når målet"
    assert str(v.nyckeltal.kemikalier_sakerhetsdatablad_sidor) == "20"
    assert str(v.naringsliv.nui_placering_stockholm) == "första"
    assert str(v.naringsliv.nui_upphandlingsar) == "2022"
    assert str(v.naringsliv.nui_upphandlingar_nar) == "året före"


# --- conditions of the fixed words -----------------------------------------------------------------------

MINE = [
    "resultat_negativt",
    "intakter_utan_vikariepool_under_budget",
    "kostnader_over_budget",
    "fossilfritt_okade",
    "fossilfritt_mal_natt",
    "fossilfritt_delar2_hogre",
    "ekologiskt_ej_uppfyllt",
    "matsvinn_ej_uppfyllt",
    "forskolan_storst_matsvinn",
    "gymnasiet_tallrikssvinn_over_serveringssvinn",
    "mobelaterbruk_over_malet",
    "krisparm_saknas",
]


@pytest.mark.parametrize("name", MINE)
def test_each_condition_holds_for_2023(name):
    data.clear_cache()
    assert VILLKOR[name].galler(data.load, 2023) is True


@pytest.mark.parametrize("name", MINE)
def test_each_condition_is_unknown_without_the_years_data(name):
    data.clear_cache()
    assert VILLKOR[name].galler(data.load, 2031) is None


def test_every_condition_named_in_the_sections_is_registered(root):
    text = (root / "report.qmd").read_text(encoding="utf-8").split(END)[0]
    named = {n for attrs in re.findall(r'forutsatter="([^"]*)"', text) for n in attrs.split()}
    assert named and named <= set(VILLKOR)
    assert named == set(MINE)


# The paragraphs of the sections that are computed for any year (by their first words): all the others are
# narrative written for a year.
COMPUTED = (
    "Servicenämnden lämnar här sin verksamhetsberättelse",
    "Andelen fossilfritt drivmedel {{< v",
    "{{< v miljomal.uppfyllda >}} av",
    "Den samlade bedömningen i kunddialogerna",
    "Den rullande sjukfrånvaron",
    "Nämndens resultat blev",
    "Av {{< v kontroll.antal >}}",
    "Nämndens {{< v processmal.antal_mal >}}",
    "Nämnden når {{< v",
    "Huvudprocessen för",
    "Antalet laddpunkter",
    "Andelen nära livsmedelsinköp",
    "Matsvinnet i skolverksamheten",
    "{{< v miljouppfoljning.greenhack_andel >}}",
    "Livsmedelstransporterna körde",
    "Av åtagandena om beredskap",
)


def test_narrative_of_the_sections_is_marked_with_its_year(root):
    """Every paragraph of the sections that is not computed (headings, lists, code, embeds and links aside)
    stands in an ``arstext`` div; the symbols' legend is the report's own and holds for every year."""
    text = (root / "report.qmd").read_text(encoding="utf-8")
    text = text[text.index("# Tjänsteskrivelse") : text.index(END)]
    depth, in_code, unmarked = 0, False, []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        start_depth, prose = depth, []
        for line in lines:
            if line.startswith("```"):
                in_code = not in_code
            elif line.startswith(":::") and not in_code:
                depth += -1 if line.strip() == ":::" else 1
            elif not in_code:
                prose.append(line)
        if not prose or start_depth > 0 or (lines[0].startswith(":::") and lines[0].strip() != ":::"):
            continue
        first = prose[0]
        if first.startswith(("#", "{{<", "- ", "  ", "1.", "2.", "[", "Bedömningarna anges")):
            continue
        if not first.startswith(COMPUTED):
            unmarked.append(first)
    assert unmarked == []
