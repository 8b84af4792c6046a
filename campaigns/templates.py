"""Ready campaigns from programmes our users run, as data in en, sv, nb and da: `/campaign new from <key>`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Texts = dict[str, str]  # locale → text


@dataclass(frozen=True)
class ActionTemplate:
    names: Texts
    points: int
    daily_cap: int
    impact: str | None = None  # per time logged, written as a saving is ("2.1 kg CO2e"), in English notation


@dataclass(frozen=True)
class Template:
    key: str
    names: Texts
    aliases: dict[str, tuple[str, ...]]  # locale → the names people type for it, besides its key and names
    descriptions: Texts
    area: str
    days: int  # from the start date, that day included
    reminder_cron: str  # five-field cron in the organisation's time zone
    actions: tuple[ActionTemplate, ...]

    def text(self, texts: Texts, locale: str) -> str:
        return texts.get(locale) or texts["en"]


BIKE_WEEK = Template(
    key="bike-week",
    names={
        "en": "Bike and walk to work week",
        "sv": "Cykla och gå till jobbet-veckan",
        "nb": "Sykle og gå til jobben-uka",
        "da": "Cykel og gå på arbejde-ugen",
    },
    aliases={
        "en": ("bike to work week", "cycle to work week", "walk to work week", "bike to work"),
        "sv": ("cykelveckan", "cykelvecka", "cykla till jobbet-veckan", "cykla till jobbet"),
        "nb": ("sykkeluka", "sykkeluke", "sykle til jobben-uka", "sykle til jobben"),
        "da": ("cykelugen", "cykeluge", "cykel på arbejde-ugen", "vi cykler til arbejde"),
    },
    descriptions={
        "en": "Leave the car at home: every trip to work by bike or on foot counts for you and your team.",
        "sv": "Låt bilen stå: varje resa till jobbet med cykel eller till fots räknas för dig och ditt lag.",
        "nb": "La bilen stå: hver tur til jobben på sykkel eller til fots teller for deg og laget ditt.",
        "da": "Lad bilen stå: hver tur på arbejde på cykel eller til fods tæller for dig og dit hold.",
    },
    area="travel",
    days=5,
    reminder_cron="0 9 * * mon-fri",
    actions=(
        ActionTemplate(
            {
                "en": "cycled to work",
                "sv": "cyklade till jobbet",
                "nb": "syklet til jobben",
                "da": "cyklede på arbejde",
            },
            10,
            1,
            "2.1 kg CO2e",
        ),
        ActionTemplate(
            {"en": "walked to work", "sv": "gick till jobbet", "nb": "gikk til jobben", "da": "gik på arbejde"},
            10,
            1,
            "1.8 kg CO2e",
        ),
        ActionTemplate(
            {
                "en": "took public transport",
                "sv": "åkte kollektivt",
                "nb": "reiste kollektivt",
                "da": "tog offentlig transport",
            },
            5,
            1,
            "1.2 kg CO2e",
        ),
    ),
)

ENERGY_WEEK = Template(
    key="energy-week",
    names={
        "en": "Energy-saving week",
        "sv": "Energisparveckan",
        "nb": "Energispareuka",
        "da": "Energispareugen",
    },
    aliases={
        "en": ("save energy week", "energy saving"),
        "sv": ("energiveckan", "energivecka", "energisparvecka"),
        "nb": ("energiuka", "energiuke", "energispareuke", "strømspareuka"),
        "da": ("energiugen", "energiuge", "energispareuge"),
    },
    descriptions={
        "en": "Small habits add up on the meter: switch off, turn down and unplug, and log it here.",
        "sv": "Små vanor syns på mätaren: stäng av, sänk och dra ur sladden, och logga det här.",
        "nb": "Små vaner synes på måleren: slå av, skru ned og trekk ut kontakten, og logg det her.",
        "da": "Små vaner kan ses på måleren: sluk, skru ned og træk stikket ud, og log det her.",
    },
    area="energy",
    days=7,
    reminder_cron="0 9 * * mon-fri",
    actions=(
        ActionTemplate(
            {
                "en": "switched off screen and lights",
                "sv": "stängde av skärm och lampor",
                "nb": "slo av skjerm og lys",
                "da": "slukkede skærm og lys",
            },
            3,
            1,
            "0.4 kWh",
        ),
        ActionTemplate(
            {
                "en": "took the stairs",
                "sv": "tog trapporna",
                "nb": "tok trappene",
                "da": "tog trapperne",
            },
            2,
            3,
            "0.05 kWh",
        ),
        ActionTemplate(
            {
                "en": "unplugged idle chargers",
                "sv": "drog ur laddare som inte används",
                "nb": "trakk ut ladere som ikke var i bruk",
                "da": "trak opladere ud, der ikke blev brugt",
            },
            2,
            1,
            "0.1 kWh",
        ),
    ),
)

PLASTIC_FREE_MONTH = Template(
    key="plastic-free-month",
    names={
        "en": "Plastic-free month",
        "sv": "Plastfri månad",
        "nb": "Plastfri måned",
        "da": "Plastfri måned",
    },
    aliases={
        "en": ("plastic-free", "no plastic month"),
        "sv": ("plastfria månaden", "plastfri"),
        "nb": ("plastfri", "den plastfrie måneden"),
        "da": ("plastfri", "plastikfri måned", "den plastfri måned"),
    },
    descriptions={
        "en": "A month of saying no to single-use plastic: bring your own cup, bottle and bag.",
        "sv": "En månad utan engångsplast: ta med egen mugg, flaska och kasse.",
        "nb": "En måned uten engangsplast: ta med egen kopp, flaske og handlenett.",
        "da": "En måned uden engangsplast: tag din egen kop, flaske og pose med.",
    },
    area="waste",
    days=30,
    reminder_cron="0 9 * * mon",
    actions=(
        ActionTemplate(
            {
                "en": "brought a reusable cup",
                "sv": "tog med egen mugg",
                "nb": "tok med egen kopp",
                "da": "tog egen kop med",
            },
            2,
            3,
            "0.015 kg",
        ),
        ActionTemplate(
            {
                "en": "refilled my own bottle",
                "sv": "fyllde på egen flaska",
                "nb": "fylte egen flaske",
                "da": "fyldte egen flaske",
            },
            2,
            3,
            "0.025 kg",
        ),
        ActionTemplate(
            {
                "en": "shopped without a plastic bag",
                "sv": "handlade utan plastpåse",
                "nb": "handlet uten plastpose",
                "da": "handlede uden plastikpose",
            },
            3,
            1,
            "0.02 kg",
        ),
    ),
)

FOOD_WASTE_WEEK = Template(
    key="food-waste-week",
    names={
        "en": "Food-waste week",
        "sv": "Matsvinnsveckan",
        "nb": "Matsvinnuka",
        "da": "Madspildsugen",
    },
    aliases={
        "en": ("food waste", "zero food waste week"),
        "sv": ("matsvinnsvecka", "matsvinnveckan", "matsvinn"),
        "nb": ("matsvinnsuka", "matsvinnuke", "matsvinn"),
        "da": ("madspildsuge", "madspildugen", "madspild"),
    },
    descriptions={
        "en": "Less food in the bin: take what you eat, eat the leftovers and share what is left.",
        "sv": "Mindre mat i soporna: ta det du äter, ät upp resterna och dela med dig av det som blir över.",
        "nb": "Mindre mat i søpla: forsyn deg med det du spiser, spis restene og del det som blir til overs.",
        "da": "Mindre mad i skraldespanden: tag det, du spiser, spis resterne og del det, der bliver tilovers.",
    },
    area="food",
    days=7,
    reminder_cron="0 11 * * mon-fri",
    actions=(
        ActionTemplate(
            {
                "en": "ate the leftovers",
                "sv": "åt upp resterna",
                "nb": "spiste restene",
                "da": "spiste resterne",
            },
            5,
            1,
            "0.3 kg",
        ),
        ActionTemplate(
            {
                "en": "took only what I ate",
                "sv": "tog bara det jag åt",
                "nb": "forsynte meg bare med det jeg spiste",
                "da": "tog kun det, jeg spiste",
            },
            3,
            1,
            "0.1 kg",
        ),
        ActionTemplate(
            {
                "en": "shared surplus food",
                "sv": "delade med mig av överbliven mat",
                "nb": "delte overskuddsmat",
                "da": "delte overskudsmad",
            },
            5,
            1,
            "0.5 kg",
        ),
    ),
)

EARTH_HOUR = Template(
    key="earth-hour",
    names={
        "en": "Earth Hour",
        "sv": "Earth Hour",
        "nb": "Earth Hour",
        "da": "Earth Hour",
    },
    aliases={"en": (), "sv": (), "nb": (), "da": ()},  # everyone calls it by its English name
    descriptions={
        "en": "Switch off the lights for one hour at 20:30 and show that we care about the climate.",
        "sv": "Släck ljuset en timme klockan 20.30 och visa att vi bryr oss om klimatet.",
        "nb": "Slå av lyset i én time klokken 20.30 og vis at vi bryr oss om klimaet.",
        "da": "Sluk lyset i en time klokken 20.30 og vis, at vi passer på klimaet.",
    },
    area="climate",
    days=1,
    reminder_cron="0 12 * * *",
    actions=(
        ActionTemplate(
            {
                "en": "switched off the lights for an hour",
                "sv": "släckte ljuset en timme",
                "nb": "slo av lyset i en time",
                "da": "slukkede lyset i en time",
            },
            10,
            1,
            "0.5 kWh",
        ),
        ActionTemplate(
            {
                "en": "switched off devices on standby",
                "sv": "stängde av apparater i viloläge",
                "nb": "slo av apparater i hvilemodus",
                "da": "slukkede apparater på standby",
            },
            5,
            1,
            "0.2 kWh",
        ),
    ),
)

TEMPLATES: dict[str, Template] = {
    template.key: template
    for template in (BIKE_WEEK, ENERGY_WEEK, PLASTIC_FREE_MONTH, FOOD_WASTE_WEEK, EARTH_HOUR)
}


def find_template(typed: str) -> Template | None:
    """A template by its key, its name or a common form of it in any of our languages; case, dashes and
    spaces aside (`Sykkeluka`, `plastfri måned`, `food-waste week`)."""
    return _BY_FOLDED.get(_folded(typed))


def take_template(words: Sequence[str]) -> tuple[Template, int] | None:
    """The template the first words name, and how many words that took: the longest run that names one,
    so the day and units after it are left."""
    for count in range(min(len(words), LONGEST_NAME_WORDS), 0, -1):
        found = find_template(" ".join(words[:count]))
        if found is not None:
            return found, count
    return None


def typed_names(template: Template) -> set[str]:
    """Everything that names the template: its key, its names and its common forms in every language."""
    return {
        template.key,
        *template.names.values(),
        *(alias for forms in template.aliases.values() for alias in forms),
    }


def _folded(text: str) -> str:
    return "".join(text.replace("-", " ").replace("\u2013", " ").casefold().split())


_BY_FOLDED: dict[str, Template] = {
    _folded(name): template for template in TEMPLATES.values() for name in typed_names(template)
}
LONGEST_NAME_WORDS = max(len(name.split()) for template in TEMPLATES.values() for name in typed_names(template))
