"""Words users type for statuses, roles, periods and kinds, in every language we speak, and their keys.

Keys never depend on language: a Swede may type `godkänd` or `accepted` and both mean `accepted`.
"""

from __future__ import annotations

STATUS_WORDS = {
    "new": ("new", "ny", "nytt", "nye"),
    "under_review": (
        "under_review",
        "under review",
        "review",
        "reviewing",
        "granskas",
        "granskning",
        "under granskning",
        "vurdering",
        "under vurdering",
        "behandling",
        "under behandling",
        "behandles",
        "vurderes",
    ),
    "accepted": (
        "accepted",
        "accept",
        "approved",
        "godkänd",
        "godkänt",
        "godkänn",
        "godkjent",
        "godkjenn",
        "godkendt",
        "godkend",
        "antagen",
        "vedtatt",
        "vedtaget",
    ),
    "implemented": (
        "implemented",
        "implement",
        "done",
        "genomförd",
        "genomfört",
        "införd",
        "infört",
        "gjennomført",
        "innført",
        "gennemført",
        "implementeret",
        "ferdig",
        "färdig",
        "færdig",
    ),
    "declined": (
        "declined",
        "decline",
        "rejected",
        "reject",
        "avslagen",
        "avslaget",
        "avslå",
        "avvisad",
        "avslått",
        "avvist",
        "afvist",
        "afslået",
        "afvis",
    ),
    "merged": ("merged", "sammanslagen", "slått sammen", "sammenslått", "lagt sammen", "sammenlagt"),
    "withdrawn": (
        "withdrawn",
        "återkallad",
        "återkallat",
        "tillbakadragen",
        "trukket tilbake",
        "trukket",
        "trukket tilbage",
        "tilbagekaldt",
    ),
}
ROLE_WORDS = {
    "admin": ("admin", "administrator", "administratör", "administrator"),
    "manager": ("manager", "chef", "leder", "ledare", "boss"),
    "representative": (
        "representative",
        "rep",
        "representant",
        "miljörepresentant",
        "miljørepresentant",
        "miljøombud",
        "miljöombud",
        "miljørepræsentant",
        "miljøansvarlig",
        "miljöansvarig",
    ),
    "member": ("member", "medlem", "employee", "anställd", "ansatt", "ansat"),
}
PERIOD_WORDS = {
    "week": ("week", "vecka", "veckan", "uke", "uken", "uge", "ugen"),
    "month": ("month", "månad", "månaden", "måned", "måneden"),
    "year": ("year", "år", "året"),
    "all": ("all", "alla", "alle", "total", "totalt", "ever", "all-time", "alltid"),
}
UNIT_KIND_WORDS = {
    "organisation": (
        "organisation",
        "organization",
        "org",
        "organisasjon",
        "kommun",
        "kommune",
        "företag",
        "firma",
        "virksomhed",
        "virksomhet",
    ),
    "site": (
        "site",
        "workplace",
        "anläggning",
        "arbetsplats",
        "arbeidsplass",
        "arbejdsplads",
        "lokasjon",
        "plats",
    ),
    "department": ("department", "dept", "avdelning", "avdeling", "afdeling", "förvaltning"),
    "team": ("team", "lag", "hold", "grupp", "gruppe", "group"),
}
SAVING_KIND_WORDS = {
    "expected": ("expected", "förväntad", "förväntat", "beräknad", "forventet", "estimated"),
    "verified": (
        "verified",
        "verifierad",
        "verifierat",
        "bekräftad",
        "verifisert",
        "bekreftet",
        "verificeret",
        "bekræftet",
        "measured",
        "uppmätt",
        "målt",
    ),
}
SAVING_ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "remove": ("remove", "delete", "radera", "ta_bort", "fjern", "slett", "slet")
}
BOARD_VIEW_WORDS = {
    "mine": ("mine", "my", "mina", "mitt", "mit", "egne", "egna"),
    "unit": ("unit", "my unit", "enhet", "min enhet", "enheten", "enhed", "min enhed", "enheden"),
    "all": ("all", "alla", "alle", "everything", "allt", "alt"),
}

LANGUAGE_WORDS = {
    "en": ("en", "english", "engelska", "engelsk", "eng"),
    "sv": ("sv", "svenska", "svensk", "swedish", "se", "svenske"),
    "nb": (
        "nb",
        "no",
        "norsk",
        "bokmål",
        "bokmal",
        "norsk bokmål",
        "norska",
        "norwegian",
        "norwegian bokmål",
        "nn",
        "nynorsk",
    ),
    "da": ("da", "dansk", "danska", "danish", "dk", "danske"),
}
# What /lang sets when not your own language.
LANGUAGE_SCOPE_WORDS = {
    "organisation": (
        "organisation",
        "organization",
        "organisationen",
        "organisasjon",
        "organisasjonen",
        "org",
    ),
    "unit": ("unit", "enhet", "enheten", "enhed", "enheden"),
}
# The verbs of /unit and /reward.
# Closing a command: "make it although you warned me" (a duplicate campaign or competition).
ANYWAY_WORDS = ("anyway", "ändå", "likevel", "alligevel")

SUBCOMMAND_WORDS = {
    "add": ("add", "new", "ny", "nytt", "nye", "lägg till", "legg til", "tilføj", "opret", "skapa", "opprett"),
    "remove": ("remove", "delete", "retire", "ta bort", "bort", "radera", "fjern", "slett", "slet"),
    "member": ("member", "members", "medlem", "medlemmar", "medlemmer"),
    "representative": (
        "rep",
        "representative",
        "representant",
        "miljöombud",
        "miljøombud",
        "miljørepræsentant",
        "ombud",
    ),
    "channel": ("channel", "kanal", "kanalen"),
    "rename": ("rename", "byt namn", "döp om", "døp om", "gi nytt navn", "omdøb", "giv nyt navn"),
    "move": ("move", "flytta", "flytt", "flyt"),
}
PARENT_WORD = "under"  # /unit add … under <parent>: the same word in English, Swedish, Norwegian and Danish
# /unit remove <unit> move people: its members and subunits go to the unit above.
MOVE_PEOPLE_WORDS: dict[str, tuple[str, ...]] = {
    "move_people": (
        "move people",
        "flytta folk",
        "flytta personer",
        "flytt folk",
        "flytt personer",
        "flyt folk",
        "flyt personer",
    )
}
# The verbs of /idea that change an idea its author wrote.
IDEA_ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "edit": ("edit", "change", "ändra", "redigera", "endre", "rediger", "ret", "ændr", "ændre"),
    "withdraw": (
        "withdraw",
        "återkalla",
        "dra tillbaka",
        "ta tillbaka",
        "trekk tilbake",
        "trekk",
        "træk tilbage",
        "træk",
        "tilbagekald",
    ),
}
# The verbs of /privacy.
PRIVACY_WORDS: dict[str, tuple[str, ...]] = {
    "hide": ("hide", "hidden", "dölj", "göm", "dold", "skjul", "skjult", "gjem", "skjule", "skjuls"),
    "show": ("show", "shown", "visa", "synlig", "synligt", "vis", "vise", "visas"),
}
REMINDER_TARGET_WORDS = {
    "me": ("me", "myself", "mig", "mej", "meg", "mig selv", "meg selv", "mig själv"),
    "here": ("here", "här", "her", "hit", "herinne"),
}
REMINDER_ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "cancel": ("cancel", "avbryt", "ta bort", "slett", "annuller", "annullér", "stop", "stopp"),
    "edit": ("edit", "change", "move", "ändra", "flytta", "endre", "flytt", "ændr", "ændre", "flyt"),
}
SWITCH_WORDS: dict[str, tuple[str, ...]] = {
    "on": ("on", "start", "på", "til", "slå på", "slå til", "aktiver", "aktivér"),
    "off": ("off", "stop", "av", "fra", "stopp", "slå av", "slå fra", "deaktiver"),
}
WHEEL_ACTION_WORDS: dict[str, tuple[str, ...]] = {
    **SWITCH_WORDS,
    "set": ("set", "move", "flytta", "ändra", "flytt", "endre", "flyt", "ændr", "sätt", "sett", "sæt"),
    "ahead": ("ahead", "before", "innan", "i förväg", "før", "i forveien", "forud", "i forvejen"),
}
PAGE_WORDS: dict[str, tuple[str, ...]] = {"page": ("page", "p", "sida", "sidan", "side", "siden")}


def lookup(words: dict[str, tuple[str, ...]], typed: str) -> str | None:
    """The key whose words include `typed` (case-insensitive), or None."""
    wanted = " ".join(typed.replace("_", " ").split()).casefold()
    for key, choices in words.items():
        if wanted in {" ".join(word.replace("_", " ").split()).casefold() for word in choices}:
            return key
    return None


def lookup_leading(words: dict[str, tuple[str, ...]], text: str) -> tuple[str | None, str]:
    """Match a key against the first two words, then the first word; return it and the rest."""
    parts = text.split()
    for size in (2, 1):
        if len(parts) >= size:
            key = lookup(words, " ".join(parts[:size]))
            if key is not None:
                return key, " ".join(parts[size:])
    return None, text.strip()


# /poll <id> missing|remind and /survey missing|remind: who has not answered yet, and one reminder.
FOLLOW_UP_WORDS = {
    "missing": ("missing", "saknas", "saknade", "mangler", "manglende"),
    "remind": ("remind", "reminder", "påminn", "påminnelse", "påmind", "påmindelse"),
}
