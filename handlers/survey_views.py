"""How a survey reads: a question with its 1–5 buttons, the scores per category, the materiality matrix."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from bot.core.models import SurveyItem
from bot.core.survey_results import BEST, Mean, Ranked, ScopeScores, Section
from bot.i18n import Translator
from bot.messages import Button, Reply
from campaigns.survey_statements import category_name, statement_text

ANSWER_ACTION = "survey.answer"
NEXT_ACTION = "survey.next"
SKIP = "skip"
UNANSWERED = object()  # an item the reader has not answered yet (None is a skip)
MIDDLE = 3  # the matrix splits scores and interest here
HEADING = ":busts_in_silhouette:"  # marks where a unit's lines begin among the results


def question(
    t: Translator,
    survey_id: int,
    item: SurveyItem,
    total: int,
    current: object = UNANSWERED,
    headline: str = "",
) -> Reply:
    """One item with a button per answer, 1–5, and one to skip it."""
    area = category_name(item.category, t.locale)
    title = t.t(
        ":clipboard: Survey #{id}, question {position} of {total}: {area}",
        id=survey_id,
        position=item.position,
        total=total,
        area=area,
    )
    if item.statement is None:
        lines = [t.t("How important is {area} to you?", area=area.lower())]
        lines.append(t.t("1 = not important, 5 = very important"))
    else:
        lines = [statement_text(item.category, item.statement, t.locale)]
        lines.append(t.t("1 = not true at all, 5 = completely true"))
    if current is None:
        lines.append(t.t("You skipped this one; answer it now if you like."))
    elif isinstance(current, int):
        lines.append(t.t("Your answer now: {value}. Press another to change it.", value=current))
    buttons = [Button(str(value), f"{ANSWER_ACTION}:{item.id}:{value}") for value in range(1, BEST + 1)]
    buttons.append(Button(t.t("Skip"), f"{ANSWER_ACTION}:{item.id}:{SKIP}"))
    text = f"{headline}\n{title}" if headline else title
    return Reply(text, tuple(lines), tuple(buttons))


def finished(t: Translator, survey_id: int, answered: int, total: int, headline: str = "") -> Reply:
    text = t.t(":tada: That was all of survey #{id}. Thank you!", id=survey_id)
    lines = (
        t.t("You answered {count} of {total} questions.", count=answered, total=total),
        t.t("You can change any answer until the survey closes: /survey <number>"),
        privacy(t),
    )
    return Reply(f"{headline}\n{text}" if headline else text, lines)


def privacy(t: Translator) -> str:
    return t.t(":lock: Nobody sees your own answers: results show only totals of three people or more.")


def score_text(t: Translator, mean: Mean) -> str:
    """`3.4 (68%)`: the mean and its share of the best; or that too few answered to say."""
    value = mean.value
    if value is None:
        return t.t("too few answers")
    return f"{one_decimal(t, value)} ({format_percent(float(value / BEST), locale=t.locale)})"


def one_decimal(t: Translator, value: Fraction) -> str:
    """`3.4` (`3,4` in sv, nb, da): rounded half up, always with its one decimal."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format_decimal(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "#,##0.0", locale=t.locale)


def scope_lines(t: Translator, name: str, scope: ScopeScores) -> list[str]:
    """A unit's (or the organisation's) heading with how many answered, then a line per category."""
    if scope.too_few:
        return [t.t("{name}: too few answers to show (fewer than three people).", name=name)]
    heading = t.tn(
        "{name}: {count} person answered", "{name}: {count} people answered", scope.people, name=name
    )
    return [
        heading,
        *(
            f"{category_name(category.category, t.locale)}: {score_text(t, category.score)}"
            for category in scope.categories
        ),
    ]


def section_name(t: Translator, section: Section) -> str:
    """The organisation, a unit, or a unit whose figures take in the units below it, said so."""
    if section.name is None:
        return t.t("The organisation")
    if section.with_units_below:
        return t.t("{unit} with the units below it", unit=section.name)
    return section.name


def results(t: Translator, survey_id: int, closed: bool, sections: list[Section]) -> Reply:
    state = t.t("closed") if closed else t.t("open")
    text = t.t(
        ":bar_chart: Survey #{id} ({state}): the score per category, 1–5 and as a share of the best",
        id=survey_id,
        state=state,
    )
    lines = [line for section in sections for line in scope_lines(t, section_name(t, section), section.scores)]
    return Reply(text, (*lines, privacy(t)))


def materiality(t: Translator, survey_id: int, name: str, ranked: list[Ranked]) -> Reply:
    """The ranking by priority, the 2×2 matrix, and the proposed focus areas."""
    text = t.t(":dart: Survey #{id}, materiality for {name}", id=survey_id, name=name)
    formula = t.t("Priority = interest × (5 − score): high interest and a low score come first.")
    if not ranked:
        return Reply(text, (formula, t.t("Too few answers to rank any area yet (three people or more).")))
    lines = [formula, *(_ranked_line(t, row) for row in ranked), *_matrix(t, ranked), _proposal(t, ranked)]
    return Reply(text, tuple(lines))


def _ranked_line(t: Translator, row: Ranked) -> str:
    place = f"{row.rank}=" if row.tied else f"{row.rank}."
    mark = " :dart:" if row.proposed else ""
    detail = t.t(
        "priority {priority} = interest {interest} × (5 − score {score})",
        priority=one_decimal(t, row.priority),
        interest=one_decimal(t, row.interest),
        score=one_decimal(t, row.score),
    )
    return f"{place} {category_name(row.category, t.locale)}: {detail}{mark}"


def _matrix(t: Translator, ranked: list[Ranked]) -> list[str]:
    """The materiality matrix as four quadrants (chat fonts do not line up a drawn grid)."""
    quadrants = (  # (label, important, room to improve)
        (t.t("Important, room to improve"), True, True),
        (t.t("Important, in good shape"), True, False),
        (t.t("Less important, room to improve"), False, True),
        (t.t("Less important, in good shape"), False, False),
    )
    lines = [t.t("The matrix (interest against score, split at 3):")]
    for label, important, improve in quadrants:
        names = [
            category_name(row.category, t.locale)
            for row in ranked
            if (row.interest >= MIDDLE) == important and (row.score < MIDDLE) == improve
        ]
        lines.append(f"{label}: {format_list(names, locale=t.locale) if names else '–'}")
    return lines


def _proposal(t: Translator, ranked: list[Ranked]) -> str:
    proposed = [category_name(row.category, t.locale) for row in ranked if row.proposed]
    if not proposed:
        return t.t("Every area scores 5: nothing to propose.")
    areas = format_list(proposed, locale=t.locale)
    if len(proposed) > 5:
        return t.t(":dart: Areas tie for a place: choose 3–5 of {areas} to set SMART goals for.", areas=areas)
    return t.t(":dart: Proposed focus areas: {areas}. Set 3–5 SMART goals for them.", areas=areas)
