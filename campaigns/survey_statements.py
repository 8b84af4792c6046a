"""The default current-state survey: categories of statements answered 1–5, in en, sv, nb and da.

Each statement is written so that agreeing means things are in good shape: a low mean is room to
improve. Keys are stored with the answers and never change; the texts may be reworded freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LOCALES = ("en", "sv", "nb", "da")


@dataclass(frozen=True)
class Statement:
    key: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class Category:
    key: str
    name: Mapping[str, str]
    statements: tuple[Statement, ...]


def _in(en: str, sv: str, nb: str, da: str) -> dict[str, str]:
    return {"en": en, "sv": sv, "nb": nb, "da": da}


CATEGORIES: tuple[Category, ...] = (
    Category(
        "energy",
        _in("Energy", "Energi", "Energi", "Energi"),
        (
            Statement(
                "switch_off",
                _in(
                    "Lights, screens and machines are switched off when nobody uses them.",
                    "Belysning, skärmar och maskiner stängs av när ingen använder dem.",
                    "Lys, skjermer og maskiner slås av når ingen bruker dem.",
                    "Lys, skærme og maskiner slukkes, når ingen bruger dem.",
                ),
            ),
            Statement(
                "measured",
                _in(
                    "We know how much energy our workplace uses and follow it over time.",
                    "Vi vet hur mycket energi vår arbetsplats använder och följer upp det över tid.",
                    "Vi vet hvor mye energi arbeidsplassen vår bruker, og følger det over tid.",
                    "Vi ved, hvor meget energi vores arbejdsplads bruger, og følger det over tid.",
                ),
            ),
            Statement(
                "climate_control",
                _in(
                    "Heating, cooling and ventilation are set to what we need, not more.",
                    "Värme, kyla och ventilation är inställda efter vad vi behöver, inte mer.",
                    "Oppvarming, kjøling og ventilasjon er stilt inn etter det vi trenger, ikke mer.",
                    "Varme, køling og ventilation er indstillet efter, hvad vi har brug for, ikke mere.",
                ),
            ),
            Statement(
                "efficient_equipment",
                _in(
                    "When equipment is replaced, energy-efficient choices are made.",
                    "När utrustning byts ut väljs energieffektiva alternativ.",
                    "Når utstyr skiftes ut, velges energieffektive alternativer.",
                    "Når udstyr udskiftes, vælges energieffektive løsninger.",
                ),
            ),
        ),
    ),
    Category(
        "waste",
        _in(
            "Waste and recycling", "Avfall och återvinning", "Avfall og gjenvinning", "Affald og genanvendelse"
        ),
        (
            Statement(
                "easy_sorting",
                _in(
                    "It is easy to sort waste where I work.",
                    "Det är lätt att sortera avfall där jag arbetar.",
                    "Det er lett å kildesortere der jeg jobber.",
                    "Det er nemt at sortere affald, der hvor jeg arbejder.",
                ),
            ),
            Statement(
                "right_fraction",
                _in(
                    "Most of our waste ends up in the right fraction.",
                    "Det mesta av vårt avfall hamnar i rätt fraktion.",
                    "Det meste av avfallet vårt havner i riktig fraksjon.",
                    "Det meste af vores affald havner i den rigtige fraktion.",
                ),
            ),
            Statement(
                "less_waste",
                _in(
                    "We work to create less waste in the first place: less packaging, fewer single-use items.",
                    "Vi arbetar för att det ska bli mindre avfall från början: mindre förpackningar, färre"
                    " engångsartiklar.",
                    "Vi jobber for at det skal bli mindre avfall i utgangspunktet: mindre emballasje, færre"
                    " engangsartikler.",
                    "Vi arbejder for, at der bliver mindre affald i første omgang: mindre emballage, færre"
                    " engangsartikler.",
                ),
            ),
            Statement(
                "food_waste",
                _in(
                    "Food waste from meetings, the canteen and events is kept low.",
                    "Matsvinnet från möten, personalrestaurangen och evenemang hålls lågt.",
                    "Matsvinnet fra møter, kantinen og arrangementer holdes lavt.",
                    "Madspildet fra møder, kantinen og arrangementer holdes lavt.",
                ),
            ),
        ),
    ),
    Category(
        "transport",
        _in("Transport and travel", "Transporter och resor", "Transport og reiser", "Transport og rejser"),
        (
            Statement(
                "commuting",
                _in(
                    "Getting to work by bike, on foot or by public transport is practical for most of us.",
                    "Det är praktiskt för de flesta av oss att ta sig till jobbet med cykel, till fots eller"
                    " med kollektivtrafik.",
                    "Det er praktisk for de fleste av oss å komme seg til jobb med sykkel, til fots eller med"
                    " kollektivtransport.",
                    "Det er praktisk for de fleste af os at komme på arbejde på cykel, til fods eller med"
                    " offentlig transport.",
                ),
            ),
            Statement(
                "online_meetings",
                _in(
                    "We meet online when a journey is not needed.",
                    "Vi håller möten digitalt när en resa inte behövs.",
                    "Vi holder møter digitalt når det ikke er nødvendig å reise.",
                    "Vi holder møder online, når det ikke er nødvendigt at rejse.",
                ),
            ),
            Statement(
                "travel_policy",
                _in(
                    "Our travel policy favours the train over flying and shared cars over driving alone.",
                    "Vår resepolicy föredrar tåg framför flyg och samåkning framför att köra ensam.",
                    "Reisepolicyen vår foretrekker tog framfor fly og samkjøring framfor å kjøre alene.",
                    "Vores rejsepolitik foretrækker tog frem for fly og samkørsel frem for at køre alene.",
                ),
            ),
            Statement(
                "vehicles",
                _in(
                    "Our own vehicles and deliveries are chosen and planned with emissions in mind.",
                    "Våra egna fordon och leveranser väljs och planeras med hänsyn till utsläppen.",
                    "Egne kjøretøy og leveranser velges og planlegges med tanke på utslipp.",
                    "Vores egne køretøjer og leverancer vælges og planlægges med tanke på udledningen.",
                ),
            ),
        ),
    ),
    Category(
        "purchasing",
        _in("Purchasing", "Inköp", "Innkjøp", "Indkøb"),
        (
            Statement(
                "supplier_requirements",
                _in(
                    "Environmental requirements are part of how we choose suppliers.",
                    "Miljökrav är en del av hur vi väljer leverantörer.",
                    "Miljøkrav er en del av hvordan vi velger leverandører.",
                    "Miljøkrav indgår, når vi vælger leverandører.",
                ),
            ),
            Statement(
                "ecolabels",
                _in(
                    "We choose eco-labelled products (Nordic Swan, EU Ecolabel) where they exist.",
                    "Vi väljer miljömärkta produkter (Svanen, EU-blomman) där sådana finns.",
                    "Vi velger miljømerkede produkter (Svanemerket, EU Ecolabel) der de finnes.",
                    "Vi vælger miljømærkede produkter (Svanemærket, EU-Blomsten), hvor de findes.",
                ),
            ),
            Statement(
                "need_first",
                _in(
                    "We ask whether we need something before buying it new, and repair or reuse when we can.",
                    "Vi frågar oss om vi behöver något innan vi köper nytt, och reparerar eller återanvänder"
                    " när vi kan.",
                    "Vi spør om vi trenger noe før vi kjøper nytt, og reparerer eller gjenbruker når vi kan.",
                    "Vi spørger, om vi har brug for noget, før vi køber nyt, og reparerer eller genbruger,"
                    " når vi kan.",
                ),
            ),
            Statement(
                "guidance",
                _in(
                    "I know where to find our guidance for buying sustainably.",
                    "Jag vet var jag hittar vår vägledning för hållbara inköp.",
                    "Jeg vet hvor jeg finner retningslinjene våre for bærekraftige innkjøp.",
                    "Jeg ved, hvor jeg finder vores retningslinjer for bæredygtige indkøb.",
                ),
            ),
        ),
    ),
    Category(
        "chemicals",
        _in("Chemicals", "Kemikalier", "Kjemikalier", "Kemikalier"),
        (
            Statement(
                "register",
                _in(
                    "We keep an up-to-date list of the chemicals we use, with safety data sheets.",
                    "Vi har en aktuell förteckning över de kemikalier vi använder, med säkerhetsdatablad.",
                    "Vi har en oppdatert oversikt over kjemikaliene vi bruker, med sikkerhetsdatablad.",
                    "Vi har en opdateret liste over de kemikalier, vi bruger, med sikkerhedsdatablade.",
                ),
            ),
            Statement(
                "substitution",
                _in(
                    "Hazardous products are replaced with less harmful ones when possible.",
                    "Farliga produkter byts ut mot mindre skadliga när det är möjligt.",
                    "Farlige produkter byttes ut med mindre skadelige når det er mulig.",
                    "Farlige produkter erstattes af mindre skadelige, når det er muligt.",
                ),
            ),
            Statement(
                "storage",
                _in(
                    "Chemicals are stored, labelled and disposed of correctly.",
                    "Kemikalier förvaras, märks och lämnas som avfall på rätt sätt.",
                    "Kjemikalier lagres, merkes og leveres som avfall på riktig måte.",
                    "Kemikalier opbevares, mærkes og bortskaffes korrekt.",
                ),
            ),
            Statement(
                "dosing",
                _in(
                    "Cleaning agents and other products are dosed correctly, no more than needed.",
                    "Rengöringsmedel och andra produkter doseras rätt, inte mer än som behövs.",
                    "Vaskemidler og andre produkter doseres riktig, ikke mer enn nødvendig.",
                    "Rengøringsmidler og andre produkter doseres korrekt, ikke mere end nødvendigt.",
                ),
            ),
        ),
    ),
    Category(
        "work_environment",
        _in("Work environment", "Arbetsmiljö", "Arbeidsmiljø", "Arbejdsmiljø"),
        (
            Statement(
                "safety",
                _in(
                    "I feel safe at work, and risks are dealt with when they are reported.",
                    "Jag känner mig trygg på jobbet, och risker åtgärdas när de rapporteras.",
                    "Jeg føler meg trygg på jobb, og risikoer blir fulgt opp når de meldes.",
                    "Jeg føler mig tryg på arbejdet, og risici bliver håndteret, når de meldes.",
                ),
            ),
            Statement(
                "indoor_climate",
                _in(
                    "The air, light and noise where I work are good.",
                    "Luften, ljuset och ljudnivån där jag arbetar är bra.",
                    "Luften, lyset og støynivået der jeg jobber, er bra.",
                    "Luften, lyset og støjniveauet, hvor jeg arbejder, er gode.",
                ),
            ),
            Statement(
                "workload",
                _in(
                    "My workload is manageable and there is time to recover.",
                    "Min arbetsbelastning är rimlig och det finns tid för återhämtning.",
                    "Arbeidsmengden min er håndterbar, og det er tid til restitusjon.",
                    "Min arbejdsmængde er til at håndtere, og der er tid til restitution.",
                ),
            ),
            Statement(
                "goals_followed_up",
                _in(
                    "Last year's work-environment goals were followed up together.",
                    "Förra årets arbetsmiljömål följdes upp tillsammans.",
                    "Fjorårets arbeidsmiljømål ble fulgt opp i fellesskap.",
                    "Sidste års arbejdsmiljømål blev fulgt op i fællesskab.",
                ),
            ),
        ),
    ),
    Category(
        "engagement",
        _in(
            "Leadership and involvement",
            "Ledning och delaktighet",
            "Ledelse og medvirkning",
            "Ledelse og inddragelse",
        ),
        (
            Statement(
                "goals_known",
                _in(
                    "I know our environmental goals and how my work contributes to them.",
                    "Jag känner till våra miljömål och hur mitt arbete bidrar till dem.",
                    "Jeg kjenner miljømålene våre og hvordan arbeidet mitt bidrar til dem.",
                    "Jeg kender vores miljømål, og hvordan mit arbejde bidrager til dem.",
                ),
            ),
            Statement(
                "management_support",
                _in(
                    "Management shows that environmental work matters.",
                    "Ledningen visar att miljöarbetet är viktigt.",
                    "Ledelsen viser at miljøarbeidet er viktig.",
                    "Ledelsen viser, at miljøarbejdet er vigtigt.",
                ),
            ),
            Statement(
                "ideas_followed_up",
                _in(
                    "Suggestions for improvement are listened to and followed up.",
                    "Förbättringsförslag tas emot och följs upp.",
                    "Forbedringsforslag blir tatt imot og fulgt opp.",
                    "Forslag til forbedringer bliver taget imod og fulgt op.",
                ),
            ),
            Statement(
                "results_shared",
                _in(
                    "Results and savings from our environmental work are shared with us.",
                    "Resultat och besparingar från miljöarbetet delas med oss.",
                    "Resultater og besparelser fra miljøarbeidet deles med oss.",
                    "Resultater og besparelser fra miljøarbejdet bliver delt med os.",
                ),
            ),
        ),
    ),
)
_BY_KEY = {category.key: category for category in CATEGORIES}


def default_set() -> list[tuple[str, list[str]]]:
    """The categories in order, each with its statement keys: what a new survey asks."""
    return [(category.key, [statement.key for statement in category.statements]) for category in CATEGORIES]


def category_name(key: str, locale: str) -> str:
    """The category's name in `locale` (English when the locale is not ours; the key when unknown)."""
    category = _BY_KEY.get(key)
    return _pick(category.name, locale) if category else key


def statement_text(category_key: str, statement_key: str, locale: str) -> str:
    category = _BY_KEY.get(category_key)
    found = next((s for s in category.statements if s.key == statement_key), None) if category else None
    return _pick(found.text, locale) if found else statement_key


def _pick(texts: Mapping[str, str], locale: str) -> str:
    return texts.get(locale) or texts["en"]
