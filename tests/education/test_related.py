"""articles_for_symptoms and the "Read more" include used by the result and alert pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from education.models import Article, Audience, Status
from education.selectors import articles_for_symptoms
from tests.education.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db: Any) -> dict[str, Any]:
    """Only these pages exist (the starter pages are removed, translations first)."""
    Article.objects.exclude(translation_of=None).delete()
    Article.objects.all().delete()
    fever = ArticleFactory.create(slug="t-fever", title="Fever", symptom_codes=["fever"])
    rash = ArticleFactory.create(slug="t-rash", title="Rash", symptom_codes=["rash", "itching"])
    return {
        "fever": fever,
        "fever_vi": translate(fever, title="Sốt"),
        "rash": rash,
    }


def test_one_page_per_symptom_in_the_order_of_the_codes(pages: dict[str, Any]) -> None:
    found = articles_for_symptoms(["rash", "fever"], "en")
    assert [a.slug for a in found] == ["t-rash", "t-fever"]


def test_translation_when_published_else_english_original(pages: dict[str, Any]) -> None:
    found = articles_for_symptoms(["fever", "rash"], "vi")
    assert [a.slug for a in found] == ["t-fever-vi", "t-rash"]


def test_a_page_about_two_reported_symptoms_is_listed_once(pages: dict[str, Any]) -> None:
    assert [a.slug for a in articles_for_symptoms(["rash", "itching"], "en")] == ["t-rash"]


def test_drafts_unknown_codes_and_staff_pages_are_left_out(pages: dict[str, Any]) -> None:
    pages["fever_vi"].status = Status.DRAFT
    pages["fever_vi"].save()
    ArticleFactory.create(slug="t-nausea", symptom_codes=["nausea"], status=Status.DRAFT)
    ArticleFactory.create(slug="t-staff-fever", symptom_codes=["fever"], audience=Audience.STAFF)
    found = articles_for_symptoms(["nausea", "no_such_code", "fever"], "vi")
    assert [a.slug for a in found] == ["t-fever"]


def test_staff_reader_gets_the_staff_page_first(pages: dict[str, Any]) -> None:
    ArticleFactory.create(slug="t-staff-fever", symptom_codes=["fever"], audience=Audience.STAFF)
    found = articles_for_symptoms(["fever", "rash"], "en", audience="staff")
    assert [a.slug for a in found] == ["t-staff-fever", "t-rash"]


def test_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError, match="audience"):
        articles_for_symptoms(["fever"], "en", audience="everyone")


def test_include_lists_links_with_title_and_summary(pages: dict[str, Any]) -> None:
    html = render_to_string(
        "education/_related_articles.html", {"articles": articles_for_symptoms(["fever"], "vi")}
    )
    assert 'href="/learn/t-fever-vi/"' in html
    assert "Sốt" in html
    assert pages["fever_vi"].summary in html
    assert 'lang="vi"' in html


def test_include_renders_nothing_without_articles() -> None:
    assert render_to_string("education/_related_articles.html", {"articles": []}).strip() == ""


def test_include_names_the_language_of_an_english_fallback(pages: dict[str, Any]) -> None:
    with translation.override("vi"):
        html = render_to_string(
            "education/_related_articles.html",
            {"articles": articles_for_symptoms(["fever", "rash"], "vi")},
        )
    rash_item = html[html.index('href="/learn/t-rash/"') :]
    assert ">English</span>" in rash_item
    fever_item = html[html.index('href="/learn/t-fever-vi/"') : html.index('href="/learn/t-rash/"')]
    assert "</span>" not in fever_item
