"""The demo's campaigns, competition, polls, reminders and year wheel: timed steps and their texts.

Each step is anchored to a day counted back from today (or from a campaign's first day), so the
finished campaign lies weeks back and the running one began a few days ago whenever the demo runs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from campaigns.templates import BIKE_WEEK, FOOD_WASTE_WEEK, Template

# What the demo's people write for the programme, in each of the demo's languages.
PROGRAMME_CONTENT: dict[str, dict[str, str]] = {
    "nb": {
        "every_monday": "hver mandag 07:30",
        "every_friday": "hver fredag 13:00",
        "meter_reminder": "Les av strøm- og vannmålerne og før tallene inn i energioppfølgingen",
        "compost_reminder": "Vei matavfallet fra kjøkkenet og skriv det i miljøpermen",
        "personal_reminder": "Ring kantineleverandøren om kompostbøtter",
        "poll_seminar": "Hvilket tema skal vårseminaret for miljøkontaktene ha?",
        "seminar_food": "Matsvinn",
        "seminar_purchasing": "Innkjøp og gjenbruk",
        "seminar_energy": "Energi i byggene",
        "poll_bikes": "Hvor skal de nye sykkelstativene ved rådhuset stå?",
        "bikes_front": "Ved hovedinngangen",
        "bikes_yard": "I bakgården under tak",
        "bikes_garage": "I parkeringskjelleren",
        "poll_sorting": "Hvordan fungerer den nye avfallssorteringen for deg?",
        "sorting_good": "Bra",
        "sorting_ok": "Greit, men skiltene kan bli tydeligere",
        "sorting_hard": "Vanskelig",
        "competition": "Matsvinnkampen",
        "prize": "Frokost for vinnerlaget",
        "organisation": "organisasjon",
        "me": "meg",
        "ecological": "økologisk",
        "economic": "økonomisk",
        "electricity_goal": "15 % mindre strøm i byggene våre",
        "electricity_metric": "kWh strøm siste 12 måneder",
        "waste_goal": "Mindre restavfall på depotet",
        "waste_metric": "kg restavfall per måned",
        "car_goal": "Færre kilometer med bil på tjenestereiser",
        "car_metric": "km med bil i tjenesten per måned",
        "sorting_goal": "Mer av avfallet sortert i barnehagen",
        "sorting_metric": "% sortert avfall",
    },
    "sv": {
        "every_monday": "varje måndag 07:30",
        "every_friday": "varje fredag 13:00",
        "meter_reminder": "Läs av el- och vattenmätarna och för in siffrorna i energiuppföljningen",
        "compost_reminder": "Väg matavfallet från köket och skriv in det i miljöpärmen",
        "personal_reminder": "Ring matsalens leverantör om kompostkärl",
        "poll_seminar": "Vilket tema ska vårseminariet för miljöombuden ha?",
        "seminar_food": "Matsvinn",
        "seminar_purchasing": "Inköp och återbruk",
        "seminar_energy": "Energi i byggnaderna",
        "poll_bikes": "Var ska de nya cykelställen vid stadshuset stå?",
        "bikes_front": "Vid huvudentrén",
        "bikes_yard": "På innergården under tak",
        "bikes_garage": "I parkeringsgaraget",
        "poll_sorting": "Hur fungerar den nya avfallssorteringen för dig?",
        "sorting_good": "Bra",
        "sorting_ok": "Okej, men skyltarna kan bli tydligare",
        "sorting_hard": "Svårt",
        "competition": "Matsvinnskampen",
        "prize": "Frukost för vinnarlaget",
        "organisation": "organisation",
        "me": "mig",
        "ecological": "ekologisk",
        "economic": "ekonomisk",
        "electricity_goal": "15 % mindre el i våra byggnader",
        "electricity_metric": "kWh el senaste 12 månaderna",
        "waste_goal": "Mindre restavfall på depån",
        "waste_metric": "kg restavfall per månad",
        "car_goal": "Färre kilometer med bil i tjänsten",
        "car_metric": "km med bil i tjänsten per månad",
        "sorting_goal": "Mer av avfallet sorterat på förskolan",
        "sorting_metric": "% sorterat avfall",
    },
    "da": {
        "every_monday": "hver mandag 07:30",
        "every_friday": "hver fredag 13:00",
        "meter_reminder": "Aflæs el- og vandmålerne og skriv tallene ind i energiopfølgningen",
        "compost_reminder": "Vej madaffaldet fra køkkenet og skriv det i miljømappen",
        "personal_reminder": "Ring til kantineleverandøren om kompostspande",
        "poll_seminar": "Hvilket emne skal forårsseminaret for miljørepræsentanterne have?",
        "seminar_food": "Madspild",
        "seminar_purchasing": "Indkøb og genbrug",
        "seminar_energy": "Energi i bygningerne",
        "poll_bikes": "Hvor skal de nye cykelstativer ved rådhuset stå?",
        "bikes_front": "Ved hovedindgangen",
        "bikes_yard": "I gården under tag",
        "bikes_garage": "I parkeringskælderen",
        "poll_sorting": "Hvordan fungerer den nye affaldssortering for dig?",
        "sorting_good": "Godt",
        "sorting_ok": "Fint, men skiltene kan blive tydeligere",
        "sorting_hard": "Svært",
        "competition": "Madspildskampen",
        "prize": "Morgenmad til vinderholdet",
        "organisation": "organisation",
        "me": "mig",
        "ecological": "økologisk",
        "economic": "økonomisk",
        "electricity_goal": "15 % mindre el i vores bygninger",
        "electricity_metric": "kWh el de seneste 12 måneder",
        "waste_goal": "Mindre restaffald på depotet",
        "waste_metric": "kg restaffald pr. måned",
        "car_goal": "Færre kilometer i bil på tjenesterejser",
        "car_metric": "km i bil i tjenesten pr. måned",
        "sorting_goal": "Mere af affaldet sorteret i børnehaven",
        "sorting_metric": "% sorteret affald",
    },
    "en": {
        "every_monday": "every monday 07:30",
        "every_friday": "every friday 13:00",
        "meter_reminder": "Read the electricity and water meters and enter the figures in the energy log",
        "compost_reminder": "Weigh the kitchen's food waste and note it in the environmental binder",
        "personal_reminder": "Call the canteen supplier about compost bins",
        "poll_seminar": "Which theme should the spring seminar for environmental representatives have?",
        "seminar_food": "Food waste",
        "seminar_purchasing": "Purchasing and reuse",
        "seminar_energy": "Energy in our buildings",
        "poll_bikes": "Where should the new bike racks at the town hall go?",
        "bikes_front": "By the main entrance",
        "bikes_yard": "In the courtyard under a roof",
        "bikes_garage": "In the car park basement",
        "poll_sorting": "How is the new waste sorting working for you?",
        "sorting_good": "Well",
        "sorting_ok": "Fine, but the signs could be clearer",
        "sorting_hard": "It is hard",
        "competition": "Food-waste challenge",
        "prize": "Breakfast for the winning team",
        "organisation": "organisation",
        "me": "me",
        "ecological": "ecological",
        "economic": "economic",
        "electricity_goal": "15 % less electricity in our buildings",
        "electricity_metric": "kWh electricity, last 12 months",
        "waste_goal": "Less residual waste at the depot",
        "waste_metric": "kg residual waste a month",
        "car_goal": "Fewer km by car on duty trips",
        "car_metric": "km by car on duty trips a month",
        "sorting_goal": "More of the kindergarten's waste sorted",
        "sorting_metric": "% of waste sorted",
    },
}

# (anchor, days from it, local time, who, what they type). Anchors: "today"; "bike", the finished
# bike week's first day (a Monday three to four weeks back); "food", the running food-waste week's
# first day (three days back). Campaign #1 is the bike week, #2 the food-waste week; polls #1 to #3.
Step = tuple[str, int, str, str, str]


def _goal(day: int, at: str, who: str, answers: tuple[str, ...]) -> tuple[Step, ...]:
    """`/goal new` and the dialogue's eight answers (unit, title, metric, baseline with its year, target,
    deadline, owner, dimension), typed as plain messages a minute apart."""
    return tuple(
        ("today", day, _minutes_after(at, index), who, line)
        for index, line in enumerate(("/goal new", *answers))
    )


def _measured(day: int, at: str, who: str, goal: int, values: tuple[tuple[str, str], ...]) -> tuple[Step, ...]:
    """Monthly figures (value, the month's last day) for a goal, one after another, two minutes apart."""
    return tuple(
        ("today", day, _minutes_after(at, 2 * index), who, f"/progress {goal} {value} {{{month}}}")
        for index, (value, month) in enumerate(values)
    )


def _votes(anchor: str, day: int, at: str, poll: int, choices: tuple[tuple[str, int], ...]) -> tuple[Step, ...]:
    """Each voter opens the poll's card and presses their option, seven minutes after the one before."""
    steps: list[Step] = []
    for index, (who, option) in enumerate(choices):
        moment = _minutes_after(at, 7 * index)
        steps += [(anchor, day, moment, who, f"/poll {poll}"), (anchor, day, moment, who, f"!press {option}")]
    return tuple(steps)


def _logs(anchor: str, day: int, at: str, done: tuple[tuple[str, str], ...]) -> tuple[Step, ...]:
    """Campaign actions logged one after another from `at`, four minutes apart."""
    return tuple(
        (anchor, day, _minutes_after(at, 4 * index), who, f"/did {{{action}}}")
        for index, (who, action) in enumerate(done)
    )


def _minutes_after(at: str, minutes: int) -> str:
    moment = datetime.combine(date.min, time.fromisoformat(at)) + timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


SEMINAR_OPTIONS = '"{poll_seminar}" "{seminar_food}" "{seminar_purchasing}" "{seminar_energy}"'
BIKES_OPTIONS = '"{poll_bikes}" "{bikes_front}" "{bikes_yard}" "{bikes_garage}"'
SORTING_OPTIONS = '"{poll_sorting}" "{sorting_good}" "{sorting_ok}" "{sorting_hard}"'
FOOD_UNITS = '"Rådhuset", "Driftsdepotet", "Solsikken barnehage"'

# Goals #1 to #4, SMART, set a few weeks back by those who may: the organisation's by its admin, each
# site's by its manager or representative. Monthly figures ("month_2" and "month_1", the last days of
# the two months before the goals were set) are entered from the energy log and the waste and
# mileage records as each goal is set, the latest month's ("month_0") ten days ago: #1 and #2 are on
# track, #3 behind, #4 reached (its celebration post goes out then).
GOAL_DEADLINE = "{goal_deadline}"
GOAL_STEPS: tuple[Step, ...] = (
    *_goal(
        -44,
        "10:30",
        "astrid",
        (
            "{organisation}",
            "{electricity_goal}",
            "{electricity_metric}",
            "1 240 000 kWh {baseline_year}",
            "1 054 000 kWh",
            GOAL_DEADLINE,
            "Nils Bakke",
            "{ecological}",
        ),
    ),
    *_measured(-44, "10:50", "nils", 1, (("1 228 000 kWh", "month_2"), ("1 214 000 kWh", "month_1"))),
    *_goal(
        -43,
        "09:00",
        "lars",
        (
            "Driftsdepotet",
            "{waste_goal}",
            "{waste_metric}",
            "5 200 kg {baseline_year}",
            "3 600 kg",
            GOAL_DEADLINE,
            "Ola Haugen",
            "{ecological}",
        ),
    ),
    *_measured(-43, "09:20", "ola", 2, (("4 900 kg", "month_2"), ("4 300 kg", "month_1"))),
    *_goal(
        -43,
        "13:00",
        "ingrid",
        (
            "Rådhuset",
            "{car_goal}",
            "{car_metric}",
            "3 400 km {baseline_year}",
            "2 400 km",
            GOAL_DEADLINE,
            "{me}",
            "{economic}",
        ),
    ),
    *_measured(-43, "13:20", "ingrid", 3, (("3 450 km", "month_2"), ("3 380 km", "month_1"))),
    *_goal(
        -42,
        "10:00",
        "freja",
        (
            "Solsikken barnehage",
            "{sorting_goal}",
            "{sorting_metric}",
            "52 % {baseline_year}",
            "70 %",
            "{sorting_deadline}",
            "{me}",
            "{ecological}",
        ),
    ),
    *_measured(-42, "10:20", "freja", 4, (("58 %", "month_2"), ("64 %", "month_1"))),
    *_measured(-10, "08:30", "nils", 1, (("1 189 000 kWh", "month_0"),)),
    *_measured(-10, "08:40", "ola", 2, (("3 700 kg", "month_0"),)),
    *_measured(-10, "09:00", "ingrid", 3, (("3 390 km", "month_0"),)),
    *_measured(-10, "09:20", "freja", 4, (("71 %", "month_0"),)),
    ("today", -9, "11:00", "astrid", "/goal link 1 idea 1"),  # the freezer doors' verified saving counts
)

PROGRAMME_STEPS: tuple[Step, ...] = (
    ("today", -47, "10:00", "astrid", "/wheel on"),
    ("today", -47, "10:05", "astrid", "/digest on"),
    ("today", -46, "09:15", "ola", "/remind Driftsdepotet {every_monday} {meter_reminder}"),
    ("today", -45, "12:40", "freja", "/remind Solsikken barnehage {every_friday} {compost_reminder}"),
    ("today", -40, "11:00", "ingrid", f"/poll {SEMINAR_OPTIONS} closes {{seminar_closes}}"),
    *_votes("today", -40, "11:30", 1, (("karin", 1), ("freja", 1), ("ola", 3), ("nils", 2))),
    *_votes("today", -38, "09:10", 1, (("sofie", 1), ("lars", 3), ("mikkel", 1), ("emma", 2))),
    ("bike", -6, "10:00", "astrid", "/campaign new from bike-week {bike_first} Fjordby kommune"),
    *_logs(
        "bike", 0, "08:20", (("lars", "cycled"), ("emma", "cycled"), ("karin", "walked"), ("ola", "transit"))
    ),
    *_logs(
        "bike", 1, "08:15", (("lars", "cycled"), ("emma", "cycled"), ("johan", "cycled"), ("sofie", "walked"))
    ),
    *_logs(
        "bike", 2, "08:25", (("emma", "walked"), ("karin", "walked"), ("mikkel", "cycled"), ("nils", "transit"))
    ),
    *_logs(
        "bike", 3, "08:10", (("lars", "cycled"), ("emma", "cycled"), ("freja", "walked"), ("ingrid", "transit"))
    ),
    *_logs(
        "bike", 4, "08:30", (("lars", "cycled"), ("emma", "cycled"), ("johan", "cycled"), ("sofie", "walked"))
    ),
    ("food", -4, "10:00", "astrid", "/campaign new from food-waste-week {food_first} Fjordby kommune"),
    (
        "food",
        -4,
        "10:20",
        "astrid",
        "/competition new units {competition} from {food_first} to {food_last} campaign 2 "
        f'units {FOOD_UNITS} standings daily prize "{{prize}}"',
    ),
    *_logs(
        "food",
        0,
        "12:10",
        (("sofie", "leftovers"), ("freja", "served"), ("ola", "leftovers"), ("karin", "shared")),
    ),
    *_logs(
        "food",
        1,
        "12:05",
        (("freja", "leftovers"), ("sofie", "served"), ("nils", "served"), ("mikkel", "shared")),
    ),
    ("today", -2, "13:00", "nils", f"/poll {BIKES_OPTIONS} closes {{bikes_closes}}"),
    *_votes("today", -2, "13:20", 2, (("karin", 2), ("johan", 2), ("emma", 1), ("lars", 3))),
    *_logs(
        "food",
        2,
        "12:15",
        (("freja", "leftovers"), ("lars", "leftovers"), ("johan", "served"), ("emma", "shared")),
    ),
    ("today", -1, "09:30", "freja", f"/poll {SORTING_OPTIONS} anonymous"),
    *_votes("today", -1, "09:50", 3, (("sofie", 2), ("mikkel", 1), ("ola", 2))),
    ("today", -1, "16:00", "nils", "/remind me {personal_when} {personal_reminder}"),
    *GOAL_STEPS,
)


def action_names(language: str) -> dict[str, str]:
    """The campaigns' actions as people name them in /did, in the demo's language."""

    def name(template: Template, index: int) -> str:
        return template.text(template.actions[index].names, language)

    return {
        "cycled": name(BIKE_WEEK, 0),
        "walked": name(BIKE_WEEK, 1),
        "transit": name(BIKE_WEEK, 2),
        "leftovers": name(FOOD_WASTE_WEEK, 0),
        "served": name(FOOD_WASTE_WEEK, 1),
        "shared": name(FOOD_WASTE_WEEK, 2),
    }


def anchors(today: date) -> dict[str, date]:
    bike = today - timedelta(days=21 + today.weekday())  # a Monday three to four weeks back
    return {"today": today, "bike": bike, "food": today - timedelta(days=3)}


def dates(today: date) -> dict[str, str]:
    """The dates the steps type, as ISO (read in every language)."""
    days = anchors(today)
    return {
        "seminar_closes": f"{(today - timedelta(days=34)).isoformat()} 15:00",
        "bike_first": days["bike"].isoformat(),
        "food_first": days["food"].isoformat(),
        "food_last": (days["food"] + timedelta(days=FOOD_WASTE_WEEK.days - 1)).isoformat(),
        "bikes_closes": f"{(today + timedelta(days=4)).isoformat()} 15:00",
        "personal_when": f"{(today + timedelta(days=2)).isoformat()} 08:30",
        "baseline_year": str(today.year - 1),
        "goal_deadline": date(today.year + 1, 12, 31).isoformat(),
        "sorting_deadline": date(today.year + 1, 6, 30).isoformat(),
        # The months measured: the last days of the two months before the goals were set (day -44),
        # and of the month before the latest figures were recorded (day -10): never a day still ahead.
        "month_2": _month_end_before(_month_end_before(today - timedelta(days=44))).isoformat(),
        "month_1": _month_end_before(today - timedelta(days=44)).isoformat(),
        "month_0": _month_end_before(today - timedelta(days=10)).isoformat(),
    }


def _month_end_before(day: date) -> date:
    """The last day of the month before `day`'s."""
    return day.replace(day=1) - timedelta(days=1)


def timed_steps(today: date, zone: ZoneInfo) -> list[tuple[datetime, str, str]]:
    """Every programme step at its moment: (when, who, line before its texts are filled in)."""
    days = anchors(today)
    return [
        (datetime.combine(days[anchor] + timedelta(days=offset), time.fromisoformat(at), zone), who, line)
        for anchor, offset, at, who, line in PROGRAMME_STEPS
    ]
