"""Validation of education pages: symptom codes, translations, review dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from education.models import Language, one_review_interval_after
from tests.education.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db


def _errors(article: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        article.full_clean()  # type: ignore[attr-defined]
    return caught.value.message_dict


def test_catalogue_codes_are_accepted() -> None:
    article = ArticleFactory.build(slug="ok", symptom_codes=["diarrhea", "abdominal_pain"])
    article.full_clean()  # raises when anything is wrong


def test_unknown_symptom_codes_are_refused_by_name() -> None:
    article = ArticleFactory.build(slug="bad", symptom_codes=["diarrhea", "headache", "cough"])
    assert _errors(article)["symptom_codes"] == ["Unknown symptom codes: cough, headache."]


@pytest.mark.parametrize("codes", ["diarrhea", {"code": "diarrhea"}, ["diarrhea", 3]])
def test_symptom_codes_must_be_a_list_of_strings(codes: object) -> None:
    article = ArticleFactory.build(slug="bad", symptom_codes=codes)
    assert "symptom_codes" in _errors(article)


def test_a_symptom_code_may_not_repeat() -> None:
    article = ArticleFactory.build(slug="bad", symptom_codes=["rash", "rash"])
    assert "symptom_codes" in _errors(article)


def test_a_translation_is_in_another_language_than_its_original() -> None:
    original = ArticleFactory.create(slug="t-fever")
    same_language = ArticleFactory.build(
        slug="t-fever-2", translation_of=original, language=Language.EN
    )
    assert "language" in _errors(same_language)


def test_a_translation_points_to_an_original_not_to_another_translation() -> None:
    original = ArticleFactory.create(slug="t-fever")
    vietnamese = translate(original)
    chained = ArticleFactory.build(slug="t-fever-x", translation_of=vietnamese, language="en")
    assert "translation_of" in _errors(chained)


def test_an_original_with_translations_cannot_become_a_translation() -> None:
    original = ArticleFactory.create(slug="t-fever")
    translate(original)
    other = ArticleFactory.create(slug="t-other", language=Language.VI)
    original.translation_of = other
    assert "translation_of" in _errors(original)


def test_one_translation_per_language() -> None:
    original = ArticleFactory.create(slug="t-fever")
    translate(original)
    second = ArticleFactory.build(slug="t-fever-vi-2", translation_of=original, language="vi")
    assert "__all__" in _errors(second)


def test_next_review_cannot_be_before_last_review() -> None:
    article = ArticleFactory.build(
        slug="dates", last_reviewed=dt.date(2026, 5, 1), next_review_due=dt.date(2026, 4, 30)
    )
    assert "next_review_due" in _errors(article)


def test_new_pages_are_due_for_review_twelve_months_on() -> None:
    assert one_review_interval_after(dt.date(2026, 3, 15)) == dt.date(2027, 3, 15)
    assert one_review_interval_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_saving_with_update_fields_keeps_the_html_in_step() -> None:
    article = ArticleFactory.create(slug="steps", body="Old words.")
    article.body = "**New** words."
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p><strong>New</strong> words.</p>"
