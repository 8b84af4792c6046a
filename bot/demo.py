"""`engagebot demo`: a living demo organisation (a Norwegian municipality) played through the dispatcher.

Every step goes through the same commands people type, with the clock set back over six weeks,
so the demo obeys every rule and leaves a realistic history: ideas in every state, votes,
savings, praise, kudos, rewards and redemptions.
"""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.core import people
from bot.core.clock import ManualClock
from bot.core.uow import UnitOfWork
from bot.dispatcher import Dispatcher
from bot.messages import Action, Actor, ChatMessage, Command, Conversation, Reply
from bot.outbox_sender import Delivered

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

# One scripted week after another: (who, what they type). "!press N" presses button N of the
# previous reply, as the same person.
SCRIPT: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("mikkel", "/idea Automatic sliding doors for the canteen's freezer room to keep the cold in #energi"),
        ("karin", "/idea Switch off monitors and docking stations at night with timer plugs #energy"),
        ("sofie", "/idea Collect rainwater for the kindergarten's vegetable garden #vann"),
        ("emma", "/idea Electric cargo bike for short trips between the depot and the town hall #transport"),
        ("ola", "/vote 1"),
        ("lars", "/vote 1"),
        ("johan", "/vote 2"),
        ("ingrid", "/vote 2"),
        ("freja", "/vote 3"),
        ("nils", "/vote 4"),
        ("mikkel", "/vote 4"),
        ("ola", "/status 1 under review Asking the canteen supplier for a quote"),
        ("ingrid", "/status 2 under review"),
    ),
    (
        ("johan", "/idea Buy refurbished laptops instead of new ones #purchasing"),
        ("ola", "/idea Replace all company cars with electric ones this year #travel"),
        ("mikkel", "/idea Switch off the monitors at night with timer plugs"),
        ("mikkel", "!press 2"),
        ("astrid", "/merge 7 2"),
        ("lars", "/status 1 accepted"),
        ("ola", "/saving 1 3200 kWh/year expected"),
        ("lars", "/status 6 declined Too costly this year; planned for the 2027 budget."),
        ("karin", "/kudos @johan for the great idea about refurbished laptops"),
        ("freja", "Tusind tak @sofie for the rain barrel drawings :seedling:"),
    ),
    (
        ("nils", "/status 2 implemented Timer plugs installed on all floors"),
        ("nils", "/saving 2 120 kWh/month verified"),
        ("ola", "/status 4 accepted"),
        ("ola", "/saving 4 1.8 t CO2/year expected"),
        ("sofie", "/idea Reusable cups instead of paper cups at the coffee machine #avfall"),
        ("emma", "/vote 8"),
        ("karin", "/vote 8"),
        ("astrid", "/vote 5"),
        ("nils", "/praise @karin Timer plugs on every floor: 120 kWh saved in the first month!"),
        ("lars", "/kudos @emma for testing the cargo bike in the rain"),
    ),
    (
        ("lars", "/status 1 implemented Doors installed in week 47"),
        ("ola", "/saving 1 2900 kWh/year verified"),
        ("freja", "/status 3 accepted"),
        ("ingrid", "/status 5 under review Checking the warranty terms"),
        ("emma", "/idea Car-pool to the depot on Fridays #travel"),
        ("mikkel", "/vote 9"),
        ("ola", "/vote 9"),
        ("lars", "/praise Driftsdepotet 30 % less residual waste this quarter, thank you all!"),
        ("mikkel", "@ola @emma thanks for the tidy sorting station :seedling:"),
    ),
    (
        ("sofie", "/idea Motion sensors for the lights in the meeting rooms #energy"),
        ("johan", "/vote 10"),
        ("karin", "/vote 10"),
        ("astrid", "/reward add 30 Plant a tree in the municipal forest"),
        ("astrid", "/reward add 100 Cinema ticket"),
        ("astrid", "/reward add 150 An extra hour off on a Friday"),
        ("astrid", "/reward add 200 Lunch with the mayor"),
        ("karin", "/redeem 1"),
        ("nils", "/approve 1"),
    ),
    (
        ("mikkel", "/redeem 1"),
        ("freja", "/status 8 under review Talking to the coffee supplier"),
        ("nils", "/praise @mikkel The freezer doors save 2 900 kWh a year. It works!"),
        ("ingrid", "/kudos @freja for the green week at the kindergarten"),
    ),
)


class DemoError(Exception):
    """The demo cannot run here (the database already holds an organisation)."""


def fill_demo(app: App) -> str:
    """Play the script into an empty database; returns a short report."""
    clock = ManualClock(app.uow.clock.now() - timedelta(weeks=len(SCRIPT) + 1))
    dispatcher = Dispatcher(app.registry, UnitOfWork(app.engine, app.uow.policy, clock))
    player = _Player(dispatcher)
    with app.uow.begin(write=False) as tx:
        if people.anyone(tx):  # the script names ideas and requests by number: it needs them all
            raise DemoError(
                "This database is already in use; the demo fills an empty one. "
                "Point DATABASE_URL at a new file to try it."
            )
    _organise(player)
    for week in SCRIPT:
        clock.advance(timedelta(weeks=1))
        for who, line in week:
            clock.advance(timedelta(minutes=17))
            player.say(who, line)
    # The demo's notices are history, not news: mark them delivered so the console starts quiet.
    for platform in ("console",):
        app.sender(platform).drain(lambda item, reply: Delivered())
    return (
        f"Demo organisation ready: {len(UNITS)} units, {len(PEOPLE)} people, ideas in every state, "
        "votes, savings, praise, kudos, rewards and redemptions.\n"
        "Try: engagebot console --as karin   (then /ideas, /points, /leaderboard all, /help)"
    )


def _organise(player: _Player) -> None:
    for handle, (_name, role, _unit, _locale) in PEOPLE.items():
        player.sign_in(handle, role)
    for kind, name, parent in UNITS:
        player.say("astrid", f"/unit add {kind} {name}" + (f" under {parent}" if parent else ""))
    for handle, (_name, _role, unit, _locale) in PEOPLE.items():
        player.say("astrid", f"/unit member {unit} @{handle}")
    for unit, handle in REPRESENTATIVES.items():
        player.say("astrid", f"/unit rep {unit} @{handle}")
    player.say("astrid", "/unit channel Fjordby kommune")


class _Player:
    """Types the script's lines as console users; any refusal stops the demo loudly."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.last: dict[str, Reply] = {}

    def _actor(self, handle: str) -> Actor:
        name, _role, _unit, locale = PEOPLE[handle]
        return Actor("console", handle, name, locale, handle)

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
