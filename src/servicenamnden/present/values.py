"""The figures the article's prose states, computed and formatted for inline use.

Each function takes loaded data and the report year and returns a namespace of :class:`~.inline.Md`
strings, so ``report.qmd`` only names values: `{python} sjuk.totalt`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ms_ao, sjukfranvaro
from servicenamnden.domain.years import require_years
from servicenamnden.present import fmt
from servicenamnden.present.inline import md


def sjukfranvaro_values(frame: pd.DataFrame, ar: int) -> SimpleNamespace:
    """Sick leave for the year and the year before, total, women and men, and the rolling measure."""
    require_years(frame[frame["period"] == sjukfranvaro.FULL_YEAR], [ar, ar - 1], "sjukfrånvaro")
    comp = sjukfranvaro.compare_years(frame, ar).set_index("grupp")

    def get(group: str, column: str) -> float:
        return comp[column].get(group, float("nan"))

    rolling_now = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.ROLLING)
    rolling_before = sjukfranvaro.value(frame, ar - 1, "totalt", sjukfranvaro.ROLLING)
    return SimpleNamespace(
        ar=md(ar),
        fg_ar=md(ar - 1),
        totalt=md(fmt.percent(get("totalt", "ar"))),
        totalt_fg=md(fmt.percent(get("totalt", "foregaende_ar"))),
        forandring=md(fmt.pp(get("totalt", "forandring_pe"))),
        kvinnor=md(fmt.percent(get("kvinnor", "ar"))),
        kvinnor_fg=md(fmt.percent(get("kvinnor", "foregaende_ar"))),
        man=md(fmt.percent(get("man", "ar"))),
        man_fg=md(fmt.percent(get("man", "foregaende_ar"))),
        skillnad_kon=md(fmt.pp(get("kvinnor", "ar") - get("man", "ar"), sign=False)),
        rullande=md(fmt.percent(rolling_now)),
        rullande_fg=md(fmt.percent(rolling_before)),
        rullande_forandring=md(fmt.pp(rolling_now - rolling_before)),
        har_rullande=not pd.isna(rolling_now),
        riktning=md("minskade" if get("totalt", "forandring_pe") < 0 else "ökade"),
    )


def claimed(claims: pd.DataFrame | None, claim_id: str) -> float:
    """A figure the source prints (``pastaenden.csv``), or NaN when there is no such claim."""
    if claims is None:
        return float("nan")
    hit = claims.loc[claims["id"] == claim_id, "varde"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def ms_ao_base_note(costs: pd.DataFrame, indices: pd.DataFrame, claims: pd.DataFrame | None) -> str:
    """A sentence on the source's printed base-year total when it differs from the sum of its categories."""
    base = ms_ao.base_year(costs)
    computed = float(ms_ao.totals(costs)[base])
    printed = claimed(claims, f"ms_ao_totalt_{base}")
    if pd.isna(printed) or abs(printed - computed) < 0.5:
        return ""
    series_base = indices.loc[indices["ar"] == base, "kostnad_enligt_index_tkr"].dropna()
    uses_printed = bool(len(series_base)) and abs(float(series_base.iloc[0]) - printed) < 0.5
    sentence = (
        f"Källans tabell anger totalen för {base} till {fmt.tkr(printed)}, men kostnadsslagen summerar till "
        f"{fmt.tkr(computed)}, en skillnad på {fmt.tkr(abs(printed - computed))}. Rapporten använder summan av "
        "kostnadsslagen"
    )
    if uses_printed:
        return sentence + (
            f"; källans indexrader utgår från {fmt.tkr(printed)}, och därför räknas varje index här om till "
            f"{base} = 100 utifrån sitt eget basvärde."
        )
    return sentence + "."


def ms_ao_values(
    costs: pd.DataFrame,
    indices: pd.DataFrame,
    categories: pd.DataFrame,
    ar: int,
    claims: pd.DataFrame | None = None,
) -> SimpleNamespace:
    """MS ÄO: base and year totals, index levels, counterfactual costs and the largest category changes."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    base = ms_ao.base_year(costs)
    total = ms_ao.totals(costs)
    series = ms_ao.index_series(costs, indices, ar)
    cf = ms_ao.counterfactuals(costs, indices, ar)
    change = ms_ao.category_change(costs, categories, base, ar).drop(index="Totalt")
    biggest_rise = change["forandring_tkr"].idxmax()
    biggest_fall = change["forandring_tkr"].idxmin()
    budget = cf["budgetindex"]
    storkok = cf["storkoksindex"]
    storkok_last = ms_ao.last_published_index_year(indices, "storkoksindex")
    next_year = ar + 1
    types = ms_ao.year_types(costs)
    return SimpleNamespace(
        basar=md(base),
        ar=md(ar),
        kostnad_bas=md(fmt.tkr(total[base])),
        kostnad_ar=md(fmt.tkr(total[ar])),
        kostnad_forandring=md(fmt.percent((total[ar] / total[base] - 1) * 100, sign=True)),
        kostnadsindex=md(fmt.number(series.loc[ar, "kostnad"], 1)),
        budgetindex=md(fmt.number(series.loc[ar, "budgetindex"], 1)),
        enligt_budgetindex=md(fmt.tkr(budget.expected_tkr) if budget else fmt.MISSING),
        skillnad_budgetindex=md(fmt.tkr(abs(budget.difference_tkr)) if budget else fmt.MISSING),
        under_budgetindex=bool(budget and budget.difference_tkr < 0),
        lagre_eller_hogre=md("lägre" if budget and budget.difference_tkr < 0 else "högre"),
        storkok_mening=md(
            f"Enligt storköksindex hade kostnaden varit {fmt.tkr(storkok.expected_tkr)}, och utfallet är "
            f"{fmt.tkr(abs(storkok.difference_tkr))} {'lägre' if storkok.difference_tkr < 0 else 'högre'}."
            if storkok
            else f"Storköksindex för {ar} är ännu inte publicerat."
        ),
        storkok_publicerat=storkok is not None,
        enligt_storkoksindex=md(fmt.tkr(storkok.expected_tkr) if storkok else fmt.MISSING),
        skillnad_storkoksindex=md(fmt.tkr(abs(storkok.difference_tkr)) if storkok else fmt.MISSING),
        storkok_senaste_ar=md(storkok_last if storkok_last else fmt.MISSING),
        storkoksindex_senaste=md(
            fmt.number(ms_ao.index_series(costs, indices, storkok_last).loc[storkok_last, "storkoksindex"], 1)
            if storkok_last
            else fmt.MISSING
        ),
        storsta_okning=md(biggest_rise.lower()),
        storsta_okning_tkr=md(fmt.tkr(change.loc[biggest_rise, "forandring_tkr"], sign=True)),
        storsta_okning_procent=md(fmt.percent(change.loc[biggest_rise, "forandring_procent"], sign=True)),
        storsta_minskning=md(biggest_fall.lower()),
        storsta_minskning_tkr=md(fmt.tkr(change.loc[biggest_fall, "forandring_tkr"], sign=True)),
        budget_nasta_ar=md(fmt.tkr(total[next_year]) if types.get(next_year) == "budget" else fmt.MISSING),
        nasta_ar=md(next_year),
        bas_anmarkning=md(ms_ao_base_note(costs, indices, claims)),
    )


def brukaravgift_values(
    fees: pd.DataFrame, subscriptions: pd.DataFrame, costs: pd.DataFrame, indices: pd.DataFrame, ar: int
) -> SimpleNamespace:
    """Fees: range of this year's and next year's changes, change since base, against cost and index."""
    require_years(fees, ar, "brukaravgifter")
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    table = bav.wide(fees, subscriptions)
    yearly = bav.yearly_change(table)
    since = bav.change_since_base(table)
    base = int(table.columns[0])
    last = int(table.columns[-1])
    series = ms_ao.index_series(costs, indices, ar)

    def span(values: pd.Series) -> str:
        lo, hi = fmt.percent(values.min()), fmt.percent(values.max())
        return lo if lo == hi else f"{lo} och {hi}"

    return SimpleNamespace(
        basar=md(base),
        ar=md(ar),
        sista_ar=md(last),
        antal=md(fmt.count(len(table))),
        okning_ar=md(span(yearly[ar])),
        okning_sista=md(span(yearly[last])),
        sedan_bas_ar=md(span(since[ar])),
        sedan_bas_sista=md(span(since[last])),
        heldygn_bas=md(fmt.kr(table.loc["heldygn", base])),
        heldygn_sista=md(fmt.kr(table.loc["heldygn", last])),
        kostnad_sedan_bas=md(fmt.percent(series.loc[ar, "kostnad"] - 100, sign=True)),
        budgetindex_sedan_bas=md(fmt.percent(series.loc[ar, "budgetindex"] - 100, sign=True)),
    )


def _join(items: list[str]) -> str:
    """Swedish list: 'a, b och c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def _area_name(row) -> str:
    short = row.kortnamn if isinstance(row.kortnamn, str) else ""
    return f"{row.benamning} ({short})" if short and short != row.benamning else row.benamning


def ekonomi_values(
    results: pd.DataFrame,
    areas: pd.DataFrame,
    statement_rows: pd.DataFrame,
    accounts: pd.DataFrame,
    adjustments: pd.DataFrame,
    explanations: pd.DataFrame,
    investments: pd.DataFrame,
    reasons: pd.DataFrame,
    ar: int,
) -> SimpleNamespace:
    """The committee's result, the areas, the substitute-pool comparison and the investments."""
    require_years(results[results["typ"] == "utfall"], [ar, ar - 1], "driftredovisningen")
    require_years(statement_rows[statement_rows["typ"] == "utfall"], [ar, ar - 1], "resultaträkningen")
    require_years(investments, ar, "investeringar")
    from servicenamnden.domain import ekonomi

    per_area = ekonomi.result_per_area(results, areas, ar)
    total = per_area.iloc[-1]
    fund = statement_rows[
        (statement_rows["konto"] == "over_underskott")
        & (statement_rows["ar"] == ar)
        & (statement_rows["typ"] == "utfall")
    ]["belopp_mnkr"].sum()
    areas_only = per_area[per_area["omrade"].str.startswith("omrade_")]
    in_balance = [_area_name(r) for r in areas_only.itertuples() if r.avvikelse >= 0]
    worst = areas_only.loc[areas_only["avvikelse"].idxmin()]
    statement = ekonomi.income_statement(statement_rows, accounts, ar)
    adjusted = ekonomi.adjusted_comparison(statement, adjustments, ar).set_index("post")
    pool = adjustments[adjustments["ar"] == ar]["belopp_mnkr"].max()
    invest = ekonomi.investments(investments, ar).iloc[-1]
    deviation = float(invest["avvikelse_helar"])
    listed = reasons[reasons["ar"] == ar]
    explanations = explanations[explanations["ar"] == ar]
    expl = explanations.set_index("post_id")["belopp_mnkr"]
    ms = ekonomi.area_explanations(explanations, "omrade_4").set_index("post_id")["belopp_mnkr"]
    nls = per_area.set_index("omrade").loc["namnd_ledning_stod"]

    def m(value: float, sign: bool = True) -> object:
        return md(fmt.mnkr(value, sign=sign))

    return SimpleNamespace(
        namn=SimpleNamespace(**{r.omrade: md(r.benamning) for r in per_area.itertuples()}),
        resultat=m(total["utfall"], sign=False),
        resultatfond=m(fund),
        resultat_exkl=m(total["utfall"] - fund, sign=False),
        resultat_fg=m(total["utfall_fg"], sign=False),
        avvikelse=m(total["avvikelse"]),
        i_balans=md(_join(in_balance) if in_balance else "inget område"),
        antal_i_balans=len(in_balance),
        samsta=md(_area_name(worst)),
        samsta_avvikelse=m(worst["avvikelse"]),
        nls_resultat=m(nls["utfall"]),
        nls_utan_fond=m(nls["utfall"] - fund),
        semesterloneskuld=m(expl.get("nls_semesterloneskuld")),
        vikariepool=m(pool, sign=False),
        intakter_justerade=m(adjusted.loc["Övriga intäkter", "justerat_utfall"], sign=False),
        intakter_budget=m(adjusted.loc["Övriga intäkter", "budget"], sign=False),
        intakter_avvikelse=m(adjusted.loc["Övriga intäkter", "avvikelse"]),
        personal_justerad=m(-adjusted.loc["Personalkostnader", "justerat_utfall"], sign=False),
        personal_budget=m(-adjusted.loc["Personalkostnader", "budget"], sign=False),
        personal_avvikelse=m(adjusted.loc["Personalkostnader", "avvikelse"]),
        ovriga_kostnader_avvikelse=m(ekonomi.line(statement, "ovriga_kostnader", "avvikelse")),
        inhyrd=m(expl.get("namnden_inhyrd_personal")),
        konsulter=m(expl.get("namnden_konsulter")),
        inhyrd_och_konsulter=m(expl.get("namnden_inhyrd_personal") + expl.get("namnden_konsulter")),
        transporter=m(expl.get("namnden_transporter")),
        annonsering=m(expl.get("namnden_annonsering")),
        ms_intakter=m(ms.get("o4_intakter")),
        ms_cafe=m(ms.get("o4_intakter_cafe")),
        ms_volymer=m(ms.get("o4_intakter_volymer")),
        ms_subvention=m(ms.get("o4_intakter_subvention")),
        ms_kostnader=m(ms.get("o4_kostnader")),
        ms_transporter=m(ms.get("o4_transporter")),
        ms_livsmedel=m(ms.get("o4_livsmedel")),
        ms_personal=m(ms.get("o4_personal")),
        ms_el=md(fmt.mnkr(ms.get("o4_el"), 2, sign=True)),
        ms_ao=m(ms.get("o4_ms_ao")),
        ms_ao_intakter=m(ms.get("o4_ms_ao_intakter")),
        ms_ao_kostnader=m(ms.get("o4_ms_ao_kostnader")),
        o1_intakter=m(expl.get("o1_intakter")),
        o1_personal=m(expl.get("o1_personal")),
        o1_kapital=m(expl.get("o1_kapitalkostnader")),
        o1_stamning=m(expl.get("o1_stamning")),
        o2_hr=m(expl.get("o2_hr_enheterna")),
        o2_kommunikation=m(expl.get("o2_kommunikation")),
        o2_engang=m(expl.get("o2_engangsbelopp")),
        o3_ekonomi=m(expl.get("o3_ekonomiservice_bokslut")),
        o3_upphandling=m(expl.get("o3_upphandling")),
        inv_budget=m(-invest["budget_helar"], sign=False),
        inv_utfall=m(-invest["utfall_ack_helar"], sign=False),
        inv_avvikelse=m(deviation, sign=False),
        inv_forklarat=m(listed["belopp_mnkr"].sum(), sign=False),
        inv_andel_forklarad=md(fmt.percent(listed["belopp_mnkr"].sum() / deviation * 100, 0)),
    )


FULL_TIME_HOURS_PER_WEEK = 40  # assumption for turning saved hours into full-time staff


def elbil_values(figures: pd.DataFrame, ar: int) -> SimpleNamespace:
    """The electric-car estimate: hours saved per week and what that is in full-time staff."""
    require_years(figures, ar, "elbilar")
    from servicenamnden.domain.miljo import key_figure

    cars = key_figure(figures, "elbilar_i_kommunen", ar)
    hours = key_figure(figures, "tidsbesparing_per_elbil", ar)
    return SimpleNamespace(
        elbilar=md(fmt.count(cars)),
        timmar_per_bil=md(fmt.number(hours)),
        timmar_per_vecka=md(fmt.count(cars * hours)),
        heltider=md(fmt.number(cars * hours / FULL_TIME_HOURS_PER_WEEK, 1)),
        veckotimmar=md(fmt.count(FULL_TIME_HOURS_PER_WEEK)),
    )


def miljo_values(
    goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, fossil: pd.DataFrame, ar: int
) -> SimpleNamespace:
    """Environmental goals met, food waste, fossil-free share and the figures behind them."""
    require_years(waste, ar, "matsvinn")
    require_years(figures, [ar, ar - 1], "miljönyckeltal")
    require_years(fossil, [ar, ar - 1], "fossilfritt drivmedel")
    from servicenamnden.domain import miljo

    assessed = miljo.goals(goals, waste, figures, ar)
    met, count = miljo.goals_met(assessed)
    not_met = [
        m.lower() for m, b in zip(assessed["mal"], assessed["bedomning"], strict=True) if b != miljo.MET
    ]
    per_form = miljo.food_waste(waste, ar).set_index("verksamhet")
    school = miljo.school_food_waste(miljo.food_waste(waste, ar))
    target = float(assessed.loc[assessed["mal_id"] == "matsvinn", "malvarde"].iloc[0])
    fossil_rows = fossil.set_index(["ar", "period", "typ"])["andel_procent"]
    over = [
        {"forskola": "förskolan", "grundskola": "grundskolan", "gymnasiet": "gymnasiet"}[f]
        for f in ("forskola", "grundskola", "gymnasiet")
        if f in per_form.index and per_form.loc[f, "totalt"] > target
    ]
    charge_before = miljo.key_figure(figures, "laddpunkter", ar - 1)
    charge_now = miljo.key_figure(figures, "laddpunkter", ar)
    return SimpleNamespace(
        uppfyllda=md(fmt.count(met)),
        antal=md(fmt.count(count)),
        ej_uppfyllda=md(_join(not_met) if not_met else "inga"),
        svinn_skola=md(fmt.percent(school["totalt"])),
        svinn_mal=md(fmt.percent(target, 0)),
        svinn_over=md(_join(over) if over else "ingen skolform"),
        svinn_forskola=md(fmt.percent(per_form.loc["forskola", "totalt"])),
        svinn_forskola_tallrik=md(fmt.percent(per_form.loc["forskola", "tallrik"])),
        svinn_gymnasiet_tallrik=md(fmt.percent(per_form.loc["gymnasiet", "tallrik"])),
        svinn_gymnasiet_servering=md(fmt.percent(per_form.loc["gymnasiet", "servering"])),
        svinn_aldreomsorg=md(fmt.percent(per_form.loc["aldreomsorg", "servering"], 0))
        if "aldreomsorg" in per_form.index
        else md(fmt.MISSING),
        fossilfritt=md(fmt.percent(fossil_rows.get((ar, "helar", "utfall")))),
        fossilfritt_fg=md(fmt.percent(fossil_rows.get((ar - 1, "helar", "utfall")), 0)),
        fossilfritt_mal=md(fmt.percent(fossil_rows.get((ar, "helar", "mal")), 0)),
        fossilfritt_delar=md(fmt.percent(fossil_rows.get((ar, "delar_2", "utfall")))),
        laddpunkter=md(fmt.count(charge_now)),
        laddpunkter_fg=md(fmt.count(charge_before)),
        mobler_andel=md(fmt.percent(miljo.furniture_reuse_share(figures, ar))),
        stopp_per_punkt=md(fmt.number(miljo.stops_per_point_and_month(figures, ar), 1)),
        eko_kostnad=md(fmt.percent(miljo.key_figure(figures, "ekologiska_livsmedel_kostnad", ar), 0)),
        eko_vikt=md(fmt.percent(miljo.key_figure(figures, "ekologiska_livsmedel_vikt", ar), 0)),
    )


def personal_values(
    injuries: pd.DataFrame, survey: pd.DataFrame, dialogue: pd.DataFrame, ar: int
) -> SimpleNamespace:
    """Work injuries, survey indices and customer-dialogue scores, the year against the year before."""
    require_years(injuries, [ar, ar - 1], "arbetsskador")
    require_years(survey, [ar, ar - 1], "medarbetarenkäten")
    require_years(dialogue, [ar, ar - 1], "kunddialoger")

    def pair(frame: pd.DataFrame, key: str, name: str, value: str) -> tuple[float, float]:
        part = frame[frame[key] == name].set_index("ar")[value]
        return float(part.get(ar - 1, float("nan"))), float(part.get(ar, float("nan")))

    inj = {
        k: pair(injuries, "handelse", k, "antal")
        for k in ("arbetsskada_utan_franvaro", "arbetsskada_med_franvaro", "tillbud")
    }
    srv = {
        k: pair(survey, "matt", k, "varde")
        for k in ("hme_totalt", "motivation", "ledarskap", "styrning", "roda_enheter", "gula_enheter")
    }
    dlg = {
        k: pair(dialogue, "matt", k, "betyg")
        for k in ("samlad_bedomning", "aterkoppling", "motsvarad_forvantan", "bemotande")
    }
    out = {}
    for key, (before, now) in inj.items():
        out[f"{key}"] = md(fmt.count(now))
        out[f"{key}_fg"] = md(fmt.count(before))
    out["skador_utan_franvaro_forandring"] = md(
        fmt.count(abs(inj["arbetsskada_utan_franvaro"][1] - inj["arbetsskada_utan_franvaro"][0]))
    )
    for key, (before, now) in srv.items():
        out[key] = md(fmt.count(now))
        out[f"{key}_fg"] = md(fmt.count(before))
    for key, (before, now) in dlg.items():
        out[key] = md(fmt.number(now, 2))
        out[f"{key}_fg"] = md(fmt.number(before, 2))
    return SimpleNamespace(**out)


def key_figure_values(figures: pd.DataFrame, ar: int) -> SimpleNamespace:
    """Counts stated in the prose (labour-market measures, summer workers, kitchens closed, …)."""
    require_years(figures, ar, "övriga nyckeltal")
    from servicenamnden.domain.miljo import key_figure

    names = [
        "arbetsmarknadsatgarder",
        "feriearbetare",
        "timvikariat_efter_praktik",
        "svenskt_naringsliv_upphandling",
        "leverantorsregistret_foretag",
        "it_bilar_fore",
        "it_bilar_efter",
        "samhallsviktiga_utan_krisparm",
        "skyddsmaterial_lager",
        "lagringsyta_valnamnden",
        "kok_nedlagda_aldreomsorg",
        "kok_nedlagda_medarbetare",
        "nui_placering_riket",
        "forskningsprojekt_enheter",
    ]
    out = {}
    for name in names:
        value = key_figure(figures, name, ar)
        out[name] = md(fmt.number(value, 0 if float(value).is_integer() else 1))
    return SimpleNamespace(**out)


def internkontroll_values(
    risks: pd.DataFrame, purchases: pd.DataFrame, follow_up: pd.DataFrame, ar: int
) -> SimpleNamespace:
    """Risk count and values, sample sizes and the policy breaches, and the previous plan's follow-up."""
    from servicenamnden.domain import internkontroll
    from servicenamnden.domain.years import for_year

    valued = internkontroll.risk_values(for_year(risks, ar, "internkontrollens risker"))
    purchases = purchases[purchases["ar"] == ar]
    follow_up = follow_up[follow_up["ar"] == ar]
    by_nr = valued.set_index("nr")
    sampled = valued[valued["kontrollmetod"] == "stickprov"]
    top = valued.iloc[0]
    share = follow_up["andel_genomfort_procent"].dropna()

    def sample(nr: int, column: str = "antal_granskade") -> object:
        value = by_nr[column].get(nr) if nr in by_nr.index else None
        return md(fmt.count(value))

    return SimpleNamespace(
        antal=md(fmt.count(len(valued))),
        antal_stickprov=md(fmt.count(len(sampled))),
        antal_utveckling=md(fmt.count(len(valued) - len(sampled))),
        hogst_nr=md(fmt.count(top["nr"])),
        hogst_varde=md(fmt.count(top["riskvarde"])),
        hogst_risk=md(str(top["risk"]).lower()),
        granskade=md(
            _join(
                [
                    f"{fmt.count(n)} för risk {int(r)}"
                    for r, n in zip(sampled["nr"], sampled["antal_granskade"], strict=True)
                    if not fmt.is_missing(n)
                ]
            )
        ),
        inkop_granskade=sample(1),
        direkt_antal=md(fmt.count(len(purchases))),
        direkt_summa=md(fmt.tkr(purchases["belopp_tkr"].sum())),
        direkt_belopp=md(_join([fmt.tkr(v) for v in purchases["belopp_tkr"]])),
        handlingar=sample(2),
        namnder=sample(2, "antal_namnder"),
        utbetalningar=sample(4),
        apt_andel=md(fmt.percent(share.iloc[0], 0)) if len(share) else md(fmt.MISSING),
        apt_rest=md(fmt.percent(100 - share.iloc[0], 0)) if len(share) else md(fmt.MISSING),
    )
