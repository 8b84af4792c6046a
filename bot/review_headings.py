"""The review pack's sheet names and column headers in the pack's language; in English, the documented keys."""

from __future__ import annotations

from bot.core.review import Column, Sheet, unit_key
from bot.i18n import L_, Translator

SHEET_NAMES = {
    "goals": L_("review sheet", "goals"),
    "measurements": L_("review sheet", "measurements"),
    "ideas": L_("review sheet", "ideas"),
    "campaigns": L_("review sheet", "campaigns"),
    "participation": L_("review sheet", "participation"),
    "people": L_("review sheet", "people"),
    "praise": L_("review sheet", "praise"),
}
COLUMN_HEADERS = {
    "goal": L_("review column", "goal"),
    "unit": L_("review column", "unit"),
    "title": L_("review column", "title"),
    "dimension": L_("review column", "dimension"),
    "metric": L_("review column", "metric"),
    "metric_unit": L_("review column", "metric_unit"),
    "baseline": L_("review column", "baseline"),
    "baseline_year": L_("review column", "baseline_year"),
    "target": L_("review column", "target"),
    "deadline": L_("review column", "deadline"),
    "verified": L_("review column", "verified"),
    "verified_source": L_("review column", "verified_source"),
    "claimed_more": L_("review column", "claimed_more"),
    "progress_pct": L_("review column", "progress_pct"),
    "state": L_("review column", "state"),
    "removed_reason": L_("review column", "removed_reason"),
    "measured_on": L_("review column", "measured_on"),
    "value": L_("review column", "value"),
    "recorded_by": L_("review column", "recorded_by"),
    "idea": L_("review column", "idea"),
    "created": L_("review column", "created"),
    "area": L_("review column", "area"),
    "status": L_("review column", "status"),
    "status_date": L_("review column", "status_date"),
    "votes": L_("review column", "votes"),
    "campaign": L_("review column", "campaign"),
    "name": L_("review column", "name"),
    "first_day": L_("review column", "first_day"),
    "last_day": L_("review column", "last_day"),
    "units": L_("review column", "units"),
    "actions": L_("review column", "actions"),
    "logs": L_("review column", "logs"),
    "points": L_("review column", "points"),
    "participants": L_("review column", "participants"),
    "members": L_("review column", "members"),
    "participation_pct": L_("review column", "participation_pct"),
    "earners": L_("review column", "earners"),
    "ideas": L_("review column", "ideas"),
    "campaign_actions": L_("review column", "campaign_actions"),
    "survey_respondents": L_("review column", "survey_respondents"),
    "date": L_("review column", "date"),
    "from": L_("review column", "from"),
    "to_person": L_("review column", "to_person"),
    "to_unit": L_("review column", "to_unit"),
    "message": L_("review column", "message"),
    "role": L_("review column", "role"),
    "joined": L_("review column", "joined"),
    "active_this_year": L_("review column", "active_this_year"),
}
# A unit column: what it counts, then the unit (`verified_kWh_per_year`, `verifisert besparelse (kWh/år)`).
UNIT_COLUMN = L_("review unit column", "{column}_{unit}")
UNIT_COLUMN_PREFIXES = {
    "expected": L_("review unit column", "expected"),
    "verified": L_("review unit column", "verified"),
    "impact": L_("review unit column", "impact"),
}
UNITS = {
    "kWh": L_("review unit", "kWh"),
    "kWh_per_year": L_("review unit", "kWh_per_year"),
    "kg_CO2e": L_("review unit", "kg_CO2e"),
    "kg_CO2e_per_year": L_("review unit", "kg_CO2e_per_year"),
    "kg": L_("review unit", "kg"),
    "kg_per_year": L_("review unit", "kg_per_year"),
    "km": L_("review unit", "km"),
    "km_per_year": L_("review unit", "km_per_year"),
    "l": L_("review unit", "l"),
    "l_per_year": L_("review unit", "l_per_year"),
}


def sheet_name(t: Translator, sheet: Sheet) -> str:
    return t.in_context(SHEET_NAMES[sheet.name])


def column_header(t: Translator, column: Column) -> str:
    if column.prefix is None or column.unit is None:
        return t.in_context(COLUMN_HEADERS[column.key])
    counted = t.in_context(UNIT_COLUMN_PREFIXES[column.prefix])
    return t.in_context(UNIT_COLUMN).format(column=counted, unit=t.in_context(UNITS[unit_key(column.unit)]))
