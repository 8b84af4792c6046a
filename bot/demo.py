"""`engagebot demo`: a living demo organisation (a Norwegian municipality) played through the dispatcher.

Every step goes through the same commands people type, with the clock set back over six weeks,
so the demo obeys every rule and leaves a realistic history: ideas in every state, votes,
savings, praise, kudos, rewards and redemptions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.app import App
from bot.core import programme
from bot.core.clock import ManualClock
from bot.core.uow import UnitOfWork
from bot.demo_programme import PROGRAMME_CONTENT, action_names, dates, timed_steps
from bot.dispatcher import Dispatcher
from bot.messages import Action, Actor, ChatMessage, Command, Conversation, Reply
from bot.outbox_sender import Delivered
from campaigns.jobs import Ticker

GENERAL = Conversation("console", "general", "channel", "#general")

# handle: (display name, role, unit, locale)
PEOPLE = {
    "astrid": ("Astrid Berg", "admin", "Rådhuset", "nb"),
    "nils": ("Nils Bakke", "manager", "Rådhuset", "nb"),
    "ingrid": ("Ingrid Solberg", "representative", "Økonomi", "nb"),
    "karin": ("Karin Lindqvist", "member", "IT", "sv"),
    "johan": ("Johan Eriksson", "member", "IT", "sv"),
    "lars": ("Lars Nilsen", "manager", "Driftsdepotet", "nb"),
    "mikkel": ("Mikkel Jensen", "member", "Verkstedet", "da"),
    "ola": ("Ola Haugen", "representative", "Park og vei", "nb"),
    "emma": ("Emma Larsen", "member", "Park og vei", "en"),
    "freja": ("Freja Madsen", "representative", "Solsikken barnehage", "da"),
    "sofie": ("Sofie Andersen", "member", "Solsikken barnehage", "nb"),
}
UNITS = (  # kind, name, parent
    ("organisation", "Fjordby kommune", None),
    ("site", "Rådhuset", "Fjordby kommune"),
    ("team", "Økonomi", "Rådhuset"),
    ("team", "IT", "Rådhuset"),
    ("site", "Driftsdepotet", "Fjordby kommune"),
    ("team", "Verkstedet", "Driftsdepotet"),
    ("team", "Park og vei", "Driftsdepotet"),
    ("site", "Solsikken barnehage", "Fjordby kommune"),
)
REPRESENTATIVES = {"Rådhuset": "ingrid", "Driftsdepotet": "ola", "Solsikken barnehage": "freja"}

# What the demo's people write, in the demo's language: Norwegian (bokmål) by default, as the
# municipality is; `--lang` picks another. Area tags and commands are understood in every language.
CONTENT: dict[str, dict[str, str]] = {
    "nb": {
        "doors": "Automatiske skyvedører til frysrommet i kantina, så kulda blir inne #energi",
        "monitors": "Slå av skjermer og dokkingstasjoner om natten med tidsbrytere #energi",
        "rainwater": "Samle regnvann til grønnsakshagen i barnehagen #vann",
        "cargo_bike": "Elektrisk lastesykkel til korte turer mellom depotet og rådhuset #reise",
        "laptops": "Kjøpe brukte, oppussede bærbare PC-er i stedet for nye #innkjøp",
        "company_cars": "Bytte ut alle tjenestebilene med elbiler i år #reise",
        "monitors_again": "Slå av skjermene om natten med tidsbrytere",
        "quote_note": "Spør kantineleverandøren om et pristilbud",
        "declined_note": "For dyrt i år; planlagt i budsjettet for 2027.",
        "kudos_laptops": "for den gode ideen om brukte PC-er",
        "emoji_thanks": "Tusen takk @sofie for tegningene til regntønna :seedling:",
        "timer_note": "Tidsbrytere montert i alle etasjer",
        "cups": "Flergangskopper i stedet for papirkopper ved kaffemaskinen #avfall",
        "praise_karin": "Tidsbrytere i alle etasjer: 120 kWh spart den første måneden!",
        "kudos_bike": "for at du testet lastesykkelen i regnet",
        "doors_note": "Dørene montert i uke 47",
        "warranty_note": "Sjekker garantivilkårene",
        "carpool": "Samkjøring til depotet på fredager #reise",
        "praise_depot": "30 % mindre restavfall dette kvartalet, takk alle sammen!",
        "emoji_sorting": "@ola @emma takk for den ryddige sorteringsstasjonen :seedling:",
        "motion_sensors": "Bevegelsessensorer på lyset i møterommene #energi",
        "tree": "Plant et tre i kommuneskogen",
        "cinema": "Kinobillett",
        "hour_off": "En ekstra time fri en fredag",
        "lunch": "Lunsj med ordføreren",
        "coffee_note": "Snakker med kaffeleverandøren",
        "praise_mikkel": "Frysdørene sparer 2 900 kWh i året. Det virker!",
        "kudos_freja": "for den grønne uka i barnehagen",
        "per_year": "kWh/år",
        "per_month": "kWh/måned",
        "co2_per_year": "t CO2/år",
    },
    "sv": {
        "doors": "Automatiska skjutdörrar till frysrummet i personalmatsalen så att kylan stannar inne #energi",
        "monitors": "Stäng av skärmar och dockningsstationer på natten med timerstyrda uttag #energi",
        "rainwater": "Samla regnvatten till förskolans grönsaksland #vatten",
        "cargo_bike": "Elektrisk lastcykel för korta turer mellan depån och stadshuset #resor",
        "laptops": "Köpa renoverade bärbara datorer i stället för nya #inköp",
        "company_cars": "Byta ut alla tjänstebilar mot elbilar i år #resor",
        "monitors_again": "Stäng av skärmarna på natten med timerstyrda uttag",
        "quote_note": "Ber matsalens leverantör om en offert",
        "declined_note": "För dyrt i år; planerat i budgeten för 2027.",
        "kudos_laptops": "för den fina idén om renoverade datorer",
        "emoji_thanks": "Stort tack @sofie för teckningarna till regntunnan :seedling:",
        "timer_note": "Timeruttag monterade på alla våningar",
        "cups": "Flergångsmuggar i stället för pappersmuggar vid kaffemaskinen #avfall",
        "praise_karin": "Timeruttag på alla våningar: 120 kWh sparade första månaden!",
        "kudos_bike": "för att du testade lastcykeln i regnet",
        "doors_note": "Dörrarna monterade vecka 47",
        "warranty_note": "Kontrollerar garantivillkoren",
        "carpool": "Samåkning till depån på fredagar #resor",
        "praise_depot": "30 % mindre restavfall det här kvartalet, tack allihop!",
        "emoji_sorting": "@ola @emma tack för den prydliga sorteringsstationen :seedling:",
        "motion_sensors": "Rörelsesensorer för belysningen i mötesrummen #energi",
        "tree": "Plantera ett träd i kommunskogen",
        "cinema": "Biobiljett",
        "hour_off": "En extra ledig timme en fredag",
        "lunch": "Lunch med kommunstyrelsens ordförande",
        "coffee_note": "Pratar med kaffeleverantören",
        "praise_mikkel": "Frysdörrarna sparar 2 900 kWh om året. Det fungerar!",
        "kudos_freja": "för den gröna veckan på förskolan",
        "per_year": "kWh/år",
        "per_month": "kWh/månad",
        "co2_per_year": "t CO2/år",
    },
    "da": {
        "doors": "Automatiske skydedøre til frostrummet i kantinen, så kulden bliver inde #energi",
        "monitors": "Sluk skærme og dockingstationer om natten med timerstik #energi",
        "rainwater": "Opsaml regnvand til børnehavens køkkenhave #vand",
        "cargo_bike": "Elektrisk ladcykel til korte ture mellem depotet og rådhuset #rejser",
        "laptops": "Køb istandsatte bærbare computere i stedet for nye #indkøb",
        "company_cars": "Udskift alle tjenestebiler med elbiler i år #rejser",
        "monitors_again": "Sluk skærmene om natten med timerstik",
        "quote_note": "Beder kantineleverandøren om et tilbud",
        "declined_note": "For dyrt i år; planlagt i budgettet for 2027.",
        "kudos_laptops": "for den gode idé om istandsatte computere",
        "emoji_thanks": "Tusind tak @sofie for tegningerne til regntønden :seedling:",
        "timer_note": "Timerstik monteret på alle etager",
        "cups": "Genbrugskrus i stedet for papkrus ved kaffemaskinen #affald",
        "praise_karin": "Timerstik på alle etager: 120 kWh sparet den første måned!",
        "kudos_bike": "for at teste ladcyklen i regnvejr",
        "doors_note": "Dørene monteret i uge 47",
        "warranty_note": "Tjekker garantibetingelserne",
        "carpool": "Samkørsel til depotet om fredagen #rejser",
        "praise_depot": "30 % mindre restaffald i dette kvartal, tak til jer alle!",
        "emoji_sorting": "@ola @emma tak for den ryddelige sorteringsstation :seedling:",
        "motion_sensors": "Bevægelsessensorer til lyset i mødelokalerne #energi",
        "tree": "Plant et træ i kommuneskoven",
        "cinema": "Biografbillet",
        "hour_off": "En ekstra fri time en fredag",
        "lunch": "Frokost med borgmesteren",
        "coffee_note": "Taler med kaffeleverandøren",
        "praise_mikkel": "Frostdørene sparer 2 900 kWh om året. Det virker!",
        "kudos_freja": "for den grønne uge i børnehaven",
        "per_year": "kWh/år",
        "per_month": "kWh/måned",
        "co2_per_year": "t CO2/år",
    },
    "en": {
        "doors": "Automatic sliding doors for the canteen's freezer room to keep the cold in #energy",
        "monitors": "Switch off monitors and docking stations at night with timer plugs #energy",
        "rainwater": "Collect rainwater for the kindergarten's vegetable garden #water",
        "cargo_bike": "Electric cargo bike for short trips between the depot and the town hall #travel",
        "laptops": "Buy refurbished laptops instead of new ones #purchasing",
        "company_cars": "Replace all company cars with electric ones this year #travel",
        "monitors_again": "Switch off the monitors at night with timer plugs",
        "quote_note": "Asking the canteen supplier for a quote",
        "declined_note": "Too costly this year; planned for the 2027 budget.",
        "kudos_laptops": "for the great idea about refurbished laptops",
        "emoji_thanks": "Thank you @sofie for the rain barrel drawings :seedling:",
        "timer_note": "Timer plugs installed on all floors",
        "cups": "Reusable cups instead of paper cups at the coffee machine #waste",
        "praise_karin": "Timer plugs on every floor: 120 kWh saved in the first month!",
        "kudos_bike": "for testing the cargo bike in the rain",
        "doors_note": "Doors installed in week 47",
        "warranty_note": "Checking the warranty terms",
        "carpool": "Car-pool to the depot on Fridays #travel",
        "praise_depot": "30 % less residual waste this quarter, thank you all!",
        "emoji_sorting": "@ola @emma thanks for the tidy sorting station :seedling:",
        "motion_sensors": "Motion sensors for the lights in the meeting rooms #energy",
        "tree": "Plant a tree in the municipal forest",
        "cinema": "Cinema ticket",
        "hour_off": "An extra hour off on a Friday",
        "lunch": "Lunch with the mayor",
        "coffee_note": "Talking to the coffee supplier",
        "praise_mikkel": "The freezer doors save 2 900 kWh a year. It works!",
        "kudos_freja": "for the green week at the kindergarten",
        "per_year": "kWh/year",
        "per_month": "kWh/month",
        "co2_per_year": "t CO2/year",
    },
}
DEMO_LANGUAGES = tuple(CONTENT)

# One scripted week after another: (who, what they type), with {names} from CONTENT. "!press N"
# presses button N of the previous reply, as the same person.
SCRIPT: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("mikkel", "/idea {doors}"),
        ("karin", "/idea {monitors}"),
        ("sofie", "/idea {rainwater}"),
        ("emma", "/idea {cargo_bike}"),
        ("ola", "/vote 1"),
        ("lars", "/vote 1"),
        ("johan", "/vote 2"),
        ("ingrid", "/vote 2"),
        ("freja", "/vote 3"),
        ("nils", "/vote 4"),
        ("mikkel", "/vote 4"),
        ("ola", "/status 1 under review {quote_note}"),
        ("ingrid", "/status 2 under review"),
    ),
    (
        ("johan", "/idea {laptops}"),
        ("ola", "/idea {company_cars}"),
        ("mikkel", "/idea {monitors_again}"),
        ("mikkel", "!press 2"),
        ("astrid", "/merge 7 2"),
        ("lars", "/status 1 accepted"),
        ("ola", "/saving 1 3200 {per_year} expected"),
        ("lars", "/status 6 declined {declined_note}"),
        ("karin", "/kudos @johan {kudos_laptops}"),
        ("freja", "{emoji_thanks}"),
    ),
    (
        ("nils", "/status 2 implemented {timer_note}"),
        ("nils", "/saving 2 120 {per_month} verified"),
        ("ola", "/status 4 accepted"),
        ("ola", "/saving 4 1.8 {co2_per_year} expected"),
        ("sofie", "/idea {cups}"),
        ("emma", "/vote 8"),
        ("karin", "/vote 8"),
        ("astrid", "/vote 5"),
        ("nils", "/praise @karin {praise_karin}"),
        ("lars", "/kudos @emma {kudos_bike}"),
    ),
    (
        ("lars", "/status 1 implemented {doors_note}"),
        ("ola", "/saving 1 2900 {per_year} verified"),
        ("freja", "/status 3 accepted"),
        ("ingrid", "/status 5 under review {warranty_note}"),
        ("emma", "/idea {carpool}"),
        ("mikkel", "/vote 9"),
        ("ola", "/vote 9"),
        ("lars", "/praise Driftsdepotet {praise_depot}"),
        ("mikkel", "{emoji_sorting}"),
    ),
    (
        ("sofie", "/idea {motion_sensors}"),
        ("johan", "/vote 10"),
        ("karin", "/vote 10"),
        ("astrid", "/reward add 30 {tree}"),
        ("astrid", "/reward add 100 {cinema}"),
        ("astrid", "/reward add 150 {hour_off}"),
        ("astrid", "/reward add 200 {lunch}"),
        ("karin", "/redeem 1"),
        ("nils", "/approve 1"),
    ),
    (
        ("mikkel", "/redeem 1"),
        ("freja", "/status 8 under review {coffee_note}"),
        ("nils", "/praise @mikkel {praise_mikkel}"),
        ("ingrid", "/kudos @freja {kudos_freja}"),
    ),
)


class DemoError(Exception):
    """The demo cannot run here (the database already holds an organisation)."""


def fill_demo(app: App, language: str | None = None) -> str:
    """Play the script into a database that holds no programme yet (people who only signed in are
    fine); returns a short report. The content is Norwegian unless `language` names another, which
    then is also the language everyone is answered in."""
    if language is not None and language not in CONTENT:
        raise DemoError(f"The demo speaks {', '.join(DEMO_LANGUAGES)}, not {language}.")
    lang = language or "nb"
    now = app.uow.clock.now()
    zone = app.uow.policy.timezone
    today = now.astimezone(zone).date()
    content = {**CONTENT[lang], **PROGRAMME_CONTENT[lang], **action_names(lang), **dates(today)}
    start = now - timedelta(weeks=len(SCRIPT) + 1)
    clock = ManualClock(start)
    uow = UnitOfWork(app.engine, app.uow.policy, clock)
    player = _Player(Dispatcher(app.registry, uow), language)
    timeline = _Timeline(clock, Ticker(uow, app.ticker.kinds, app.ticker.grace, app.ticker.graces))
    with app.uow.begin(write=False) as tx:
        if programme.started(tx):  # the script names ideas and requests by number: it needs them all
            raise DemoError(
                "This database already holds units, ideas or rewards; the demo fills a new one. "
                "Point DATABASE_URL at a new file to try it, e.g. "
                "DATABASE_URL=sqlite:///data/demo.db scripts/run.sh demo"
            )
    _organise(player, lang)
    for moment, who, line in sorted(
        [*_weekly_steps(start), *timed_steps(today, zone)], key=lambda step: step[0]
    ):
        timeline.move_to(moment)
        player.say(who, line.format_map(content))
    timeline.move_to(now)  # what fell due since the last step (the running campaign's posts) fires now
    # The demo's notices are history, not news: mark them delivered so the console starts quiet.
    for platform in ("console",):
        app.sender(platform).drain(lambda item, reply: Delivered())
    return (
        f"Demo organisation ready: {len(UNITS)} units, {len(PEOPLE)} people, ideas in every state, "
        "votes, savings, praise, kudos, rewards and redemptions; a finished campaign and a running one "
        "with a competition between units, polls closed and open, reminders and the year wheel; four "
        "SMART goals measured monthly (on track, behind, reached).\n"
        "Try: scripts/run.sh console --as karin   "
        "(then /ideas, /goals, /campaigns, /competition 1, /polls, /wheel, /help)"
    )


def _weekly_steps(start: datetime) -> list[tuple[datetime, str, str]]:
    """The weekly script at its moments: a week apart, each line 17 minutes after the one before."""
    steps = []
    moment = start
    for week in SCRIPT:
        moment += timedelta(weeks=1)
        for who, line in week:
            moment += timedelta(minutes=17)
            steps.append((moment, who, line))
    return steps


class _Timeline:
    """The demo's clock, moved forward only; on the way the schedule ticks each hour, as a running bot
    would, so campaigns start, remind and end, polls close and reminders fire at their times."""

    def __init__(self, clock: ManualClock, ticker: Ticker) -> None:
        self.clock = clock
        self.ticker = ticker

    def move_to(self, moment: datetime) -> None:
        hour = self.clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        while hour < moment:
            self.clock.set(hour)
            self.ticker.tick()
            hour += timedelta(hours=1)
        self.clock.set(max(moment, self.clock.now()))
        self.ticker.tick()


def _organise(player: _Player, language: str) -> None:
    for handle, (_name, role, _unit, _locale) in PEOPLE.items():
        player.sign_in(handle, role)
    # The organisation speaks the language the demo is filled in: its posts and templates' names are in it.
    player.say("astrid", f"/lang organisation {language}")
    for kind, name, parent in UNITS:
        player.say("astrid", f"/unit add {kind} {name}" + (f" under {parent}" if parent else ""))
    for handle, (_name, _role, unit, _locale) in PEOPLE.items():
        player.say("astrid", f"/unit member {unit} @{handle}")
    for unit, handle in REPRESENTATIVES.items():
        player.say("astrid", f"/unit rep {unit} @{handle}")
    player.say("astrid", "/unit channel Fjordby kommune")


class _Player:
    """Types the script's lines as console users; any refusal stops the demo loudly."""

    def __init__(self, dispatcher: Dispatcher, language: str | None) -> None:
        self.dispatcher = dispatcher
        self.language = language  # everyone's language; None: each person's own from PEOPLE
        self.last: dict[str, Reply] = {}

    def _actor(self, handle: str) -> Actor:
        name, _role, _unit, locale = PEOPLE[handle]
        return Actor("console", handle, name, self.language or locale, handle)

    def sign_in(self, handle: str, role: str) -> None:
        """The demo runs locally, like the console: its operator may hand out any role."""
        refusal = self.dispatcher.sign_in_locally(self._actor(handle), role)
        if refusal is not None:
            raise RuntimeError(f"demo sign-in refused: {handle}: {refusal.text}")

    def say(self, handle: str, line: str) -> None:
        actor = self._actor(handle)
        if line.startswith("!press "):
            button = self.last[handle].buttons[int(line.split()[1]) - 1]
            name, arg = Action.parse_id(button.action_id)
            reply = self.dispatcher.handle(Action(name, arg, actor, GENERAL))
        elif line.startswith("/"):
            name, _, text = line[1:].partition(" ")
            reply = self.dispatcher.handle(Command(name, text, actor, GENERAL))
        else:
            reply = self.dispatcher.handle(ChatMessage(line, actor, GENERAL))
        if reply is None or reply.is_error:
            raise RuntimeError(f"demo step refused: {handle}: {line}: {reply.text if reply else None}")
        self.last[handle] = reply
