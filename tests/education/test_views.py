"""/learn/: who sees which page, in which language, and the search."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education.models import Audience, Status
from education.selectors import search_articles
from reporting.models import User
from tests.education.conftest import client_for, ui_text
from tests.education.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db
NOT_TRANSLATED = "Not yet translated: this page is shown in its original language."


@pytest.fixture
def draft(db: Any) -> Any:
    return ArticleFactory.create(slug="t-draft", title="Draft about rash", status=Status.DRAFT)


# --- who sees what ---------------------------------------------------------------------------


def test_learn_is_public_and_lists_the_starter_topics() -> None:
    response = client_for(None).get("/learn/")
    body = response.content.decode()
    assert response.status_code == 200
    for heading in ("About immunotherapy", "When to call", "Symptoms"):
        assert heading in body
    assert 'href="/learn/immunotherapy/"' in body
    assert 'href="/learn/diarrhea/"' in body


@pytest.mark.parametrize("reader", ["anonymous", "family", "nurse"])
def test_drafts_are_hidden_from_everyone_but_staff(
    reader: str, draft: Any, family: User, nurse: User
) -> None:
    user = {"anonymous": None, "family": family, "nurse": nurse}[reader]
    client = client_for(user)
    assert client.get("/learn/t-draft/").status_code == 404
    assert "t-draft" not in client.get("/learn/").content.decode()
    assert "t-draft" not in client.get("/learn/", {"q": "Draft about rash"}).content.decode()


def test_staff_see_drafts_marked_as_drafts(draft: Any, staff_user: User) -> None:
    client = client_for(staff_user)
    page = client.get("/learn/t-draft/").content.decode()
    assert "Draft: only staff can see this page." in page
    assert f'href="/admin/education/article/{draft.pk}/change/"' in page
    assert 'href="/learn/t-draft/"' in client.get("/learn/").content.decode()


def test_staff_pages_are_for_nurses_and_admins_not_families(family: User, nurse: User) -> None:
    ArticleFactory.create(slug="t-staff", audience=Audience.STAFF)
    assert client_for(family).get("/learn/t-staff/").status_code == 404
    assert client_for(None).get("/learn/t-staff/").status_code == 404
    assert client_for(nurse).get("/learn/t-staff/").status_code == 200


def test_page_tells_families_to_call_with_the_configured_numbers(settings: Any) -> None:
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "999"
    settings.IMMUNOWATCH_HOTLINE = "0123 4567"
    ArticleFactory.create(slug="t-fever", title="Fever", body="Measure it.")
    body = client_for(None).get("/learn/t-fever/").content.decode()
    assert "This page does not replace calling your care team." in body
    # Shown as configured, dialled as digits (a space in a tel: link breaks some phones).
    assert 'href="tel:999"' in body and ">999</a>" in body
    assert 'href="tel:01234567"' in body and ">0123 4567</a>" in body


# --- language ----------------------------------------------------------------------------------


@pytest.fixture
def fever(db: Any) -> dict[str, Any]:
    english = ArticleFactory.create(slug="t-fever", title="Fever page")
    return {"en": english, "vi": translate(english, title="Trang sốt", body="Đo nhiệt độ.")}


def test_vietnamese_reader_is_sent_to_the_vietnamese_page(fever: dict[str, Any]) -> None:
    response = client_for(None, "vi").get("/learn/t-fever/")
    assert response.status_code == 302
    assert response["Location"] == "/learn/t-fever-vi/"
    page = client_for(None, "vi").get("/learn/t-fever-vi/").content.decode()
    assert "Trang sốt" in page
    assert 'lang="vi"' in page


def test_english_reader_is_sent_to_the_english_page(fever: dict[str, Any]) -> None:
    response = client_for(None, "en").get("/learn/t-fever-vi/")
    assert response["Location"] == "/learn/t-fever/"


def test_as_is_shows_the_other_language_on_purpose(fever: dict[str, Any]) -> None:
    response = client_for(None, "en").get("/learn/t-fever-vi/", {"as_is": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trang sốt" in body
    assert NOT_TRANSLATED in body  # the reader's language is English, the page is not
    assert 'href="/learn/t-fever/?as_is=1"' in body  # and the way back


def test_untranslated_page_falls_back_to_english_with_a_note(family: User) -> None:
    ArticleFactory.create(slug="t-only-english", title="Only in English")
    response = client_for(family, "vi").get("/learn/t-only-english/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Only in English" in body
    assert ui_text(NOT_TRANSLATED, "vi") in body
    assert '<article lang="en"' in body


def test_a_draft_translation_is_not_offered_to_families(fever: dict[str, Any]) -> None:
    fever["vi"].status = Status.DRAFT
    fever["vi"].save()
    response = client_for(None, "vi").get("/learn/t-fever/")
    assert response.status_code == 200
    assert "Fever page" in response.content.decode()
    assert client_for(None, "vi").get("/learn/t-fever-vi/").status_code == 404


def test_list_shows_each_page_once_in_the_readers_language(fever: dict[str, Any]) -> None:
    ArticleFactory.create(slug="t-only-english", title="Only in English")
    body = client_for(None, "vi").get("/learn/").content.decode()
    assert 'href="/learn/t-fever-vi/"' in body
    assert 'href="/learn/t-fever/"' not in body
    assert 'href="/learn/t-only-english/"' in body  # the English original as fallback
    assert "Tiêu chảy" in body  # starter content, in Vietnamese


# --- search --------------------------------------------------------------------------------


def test_search_finds_a_page_by_a_word_of_its_body() -> None:
    ArticleFactory.create(
        slug="t-quokka", title="Animals", summary="None here.", body="A quokka smiles."
    )
    ArticleFactory.create(slug="t-other", title="Other", body="Nothing to see.")
    body = client_for(None).get("/learn/", {"q": "quokka"}).content.decode()
    assert 'href="/learn/t-quokka/"' in body
    assert 'href="/learn/t-other/"' not in body


def test_search_in_vietnamese_finds_the_vietnamese_starter_page() -> None:
    found = search_articles(AnonymousUser(), "tiêu chảy", "vi")
    assert "diarrhea-vi" in [article.slug for article in found]


def test_search_gives_one_version_per_page_in_the_readers_language(fever: dict[str, Any]) -> None:
    # "t-fever" pages: both versions match the word of their shared factory summary.
    found = search_articles(AnonymousUser(), "Summary", "vi")
    slugs = [article.slug for article in found if article.slug.startswith("t-")]
    assert slugs == ["t-fever-vi"]


def test_search_uses_the_path_of_the_database_it_runs_on(db_vendor: str) -> None:
    # Same results everywhere (tests/education/test_search.py): whole words, every word.
    ArticleFactory.create(slug="t-zebra", title="Stripes", body="The zebrafish swims. Seaweed.")
    ArticleFactory.create(
        slug="t-zebra-2", title="More stripes", body="The zebrafish hides. Unicorns."
    )
    with CaptureQueriesContext(connection) as queries:
        partial = [a.slug for a in search_articles(AnonymousUser(), "zebraf", "en")]
    sql = " ".join(query["sql"] for query in queries.captured_queries).lower()
    if db_vendor == "postgresql":
        assert "to_tsvector" in sql and "unaccent(" in sql
    else:
        assert " like " in sql and "search_body" in sql
    assert partial == []
    both_words = [a.slug for a in search_articles(AnonymousUser(), "zebrafish unicorns", "en")]
    assert both_words == ["t-zebra-2"]


def test_empty_search_shows_the_list() -> None:
    body = client_for(None).get("/learn/", {"q": "   "}).content.decode()
    assert 'href="/learn/diarrhea/"' in body
    assert "Pages about" not in body


def test_search_puts_a_match_in_the_title_first() -> None:
    ArticleFactory.create(slug="t-a-body", title="Aardvark", body="Mentions the okapi once.")
    ArticleFactory.create(slug="t-z-title", title="Zebra okapi", body="All about it.")
    found = search_articles(AnonymousUser(), "okapi", "en")
    assert [article.slug for article in found] == ["t-z-title", "t-a-body"]
