"""The default survey statement set: 6–8 categories of 3–5 statements, each written in en, sv, nb and da."""

from __future__ import annotations

from campaigns.survey_statements import CATEGORIES, LOCALES, category_name, default_set, statement_text


def test_the_set_has_six_to_eight_categories_of_three_to_five_statements() -> None:
    assert 6 <= len(CATEGORIES) <= 8
    assert all(3 <= len(category.statements) <= 5 for category in CATEGORIES)
    keys = [category.key for category in CATEGORIES]
    assert len(set(keys)) == len(keys)
    for category in CATEGORIES:
        statement_keys = [statement.key for statement in category.statements]
        assert len(set(statement_keys)) == len(statement_keys)
    assert all(len(key) <= 40 for key, statements in default_set() for key in [key, *statements])


def test_every_text_is_written_in_every_language_and_not_copied_from_english() -> None:
    for category in CATEGORIES:
        texts = [category.name, *(statement.text for statement in category.statements)]
        for text in texts:
            assert set(text) == set(LOCALES), text
            assert all(text[locale].strip() for locale in LOCALES), text
        for statement in category.statements:
            assert all(statement.text[locale] != statement.text["en"] for locale in ("sv", "nb", "da")), (
                statement
            )
        assert all(category.name[locale] != category.name["en"] for locale in ("sv", "nb", "da")), category


def test_texts_are_found_by_key_in_each_language() -> None:
    assert category_name("waste", "da") == "Affald og genanvendelse"
    assert statement_text("energy", "switch_off", "sv") == (
        "Belysning, skärmar och maskiner stängs av när ingen använder dem."
    )
    assert category_name("energy", "fi") == "Energy"  # a language we do not speak: English
    assert statement_text("energy", "retired", "nb") == "retired"  # a key no longer in the set: the key
