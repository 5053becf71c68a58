"""The search on /learn/ forgives case, accents and the choice of word, on every database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education import selectors
from education.models import Language, Status, SynonymGroup
from education.selectors import search_articles
from education.textsearch import expand_query, normalise, search_text, synonym_phrases
from tests.education.conftest import client_for
from tests.education.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["normal", "without_unaccent"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test twice: as the database runs it, and as if PostgreSQL had refused unaccent
    (on SQLite both are the normalised columns)."""
    if request.param == "without_unaccent":
        monkeypatch.setattr(selectors, "unaccent_available", lambda alias: False)
    yield request.param


def _slugs(query: str, language: str = "vi") -> list[str]:
    return [article.slug for article in search_articles(AnonymousUser(), query, language)]


# --- the examples of the issue, against the starter pages ------------------------------------


@pytest.mark.parametrize("query", ["tieu chay", "TIEU CHAY", "tiêu chảy", "di ngoai", "ỉa chảy"])
def test_vietnamese_diarrhoea_however_it_is_typed(search_path: str, query: str) -> None:
    assert _slugs(query, "vi")[0] == "diarrhea-vi"


@pytest.mark.parametrize("query", ["diarrhea", "Diarrhoea", "loose stools"])
def test_english_diarrhoea_in_either_spelling(search_path: str, query: str) -> None:
    assert _slugs(query, "en")[0] == "diarrhea"


def test_english_word_finds_the_vietnamese_page_for_a_vietnamese_reader(search_path: str) -> None:
    assert _slugs("diarrhea", "vi")[0] == "diarrhea-vi"


@pytest.mark.parametrize(
    ("query", "language", "first"),
    [
        ("sot", "vi", "fever-vi"),
        ("SỐT", "vi", "fever-vi"),
        ("fever", "en", "fever"),
        ("sot", "en", "fever"),
    ],
)
def test_fever_in_both_languages(search_path: str, query: str, language: str, first: str) -> None:
    assert _slugs(query, language)[0] == first


def test_the_page_list_links_the_result(search_path: str) -> None:
    body = client_for(None, "vi").get("/learn/", {"q": "tieu chay"}).content.decode()
    assert 'href="/learn/diarrhea-vi/"' in body


# --- ranking and matching ----------------------------------------------------------------------


def test_title_before_summary_before_body_then_by_title(search_path: str) -> None:
    ArticleFactory.create(slug="t-body", title="Aardvark", summary="Plain.", body="An okapi.")
    ArticleFactory.create(slug="t-summary", title="Bison", summary="Okapi here.", body="Plain.")
    ArticleFactory.create(slug="t-title-z", title="Zebra okapi", summary="Plain.", body="Plain.")
    ArticleFactory.create(slug="t-title-a", title="Ápi Okapi", summary="Plain.", body="Plain.")
    assert _slugs("okapi", "en") == ["t-title-a", "t-title-z", "t-summary", "t-body"]


def test_every_word_must_match_as_a_whole_word(search_path: str) -> None:
    ArticleFactory.create(slug="t-zebra", title="Stripes", body="The zebrafish swims. Seaweed.")
    ArticleFactory.create(slug="t-zebra-2", title="More", body="The zebrafish hides. Unicorns.")
    assert _slugs("zebraf", "en") == []
    assert _slugs("ZEBRAFISH unicorns", "en") == ["t-zebra-2"]
    assert sorted(_slugs("zebrafish", "en")) == ["t-zebra", "t-zebra-2"]


def test_a_phrase_of_a_synonym_group_matches_only_in_that_order(search_path: str) -> None:
    ArticleFactory.create(slug="t-apart", title="Chảy nước mắt, tiêu hóa", body="Plain.")
    assert "t-apart" not in _slugs("tieu chay", "vi")


def test_search_is_scoped_to_what_the_reader_may_see(search_path: str) -> None:
    ArticleFactory.create(slug="t-draft", title="Okapi draft", status=Status.DRAFT)
    ArticleFactory.create(slug="t-staff", title="Okapi for staff", audience="staff")
    assert _slugs("okapi", "en") == []


def test_one_version_per_page_in_the_readers_language(search_path: str) -> None:
    original = ArticleFactory.create(slug="t-okapi", title="Okapi")
    translate(original, title="Con okapi", language=Language.VI)
    assert _slugs("okapi", "vi") == ["t-okapi-vi"]
    assert _slugs("okapi", "en") == ["t-okapi"]


def test_a_page_found_through_its_translation_comes_in_the_readers_language(
    search_path: str,
) -> None:
    only_vi = ArticleFactory.create(slug="t-a-only-vi", title="Aaa", body="Plain.")
    translate(only_vi, title="Trang", body="Con okapi.")
    both = ArticleFactory.create(slug="t-z-both", title="Zzz", body="An okapi.")
    translate(both, title="Trang khác", body="Con okapi.")
    assert _slugs("okapi", "en") == ["t-z-both", "t-a-only-vi"]


def test_starter_pages_come_in_the_readers_language(search_path: str) -> None:
    for language in ("en", "vi"):
        found = search_articles(AnonymousUser(), "diarrhea", language)
        assert found and {article.language for article in found} == {language}


def test_an_admins_synonym_group_is_used_at_once(search_path: str) -> None:
    ArticleFactory.create(slug="t-giraffe", title="Giraffe")
    assert _slugs("camelopard", "en") == []
    SynonymGroup.objects.create(terms="giraffe, camelopard")
    assert _slugs("Camelopard", "en") == ["t-giraffe"]


def test_punctuation_only_finds_nothing(search_path: str) -> None:
    assert _slugs("?!  -- ", "en") == []


def test_the_same_pages_in_the_same_order_with_and_without_unaccent() -> None:
    queries = ["tieu chay", "sot", "ho", "kho tho", "met", "rash", "vang da", "non", "Đau"]
    for query in queries:
        normal = _slugs(query, "vi")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(selectors, "unaccent_available", lambda alias: False)
            fallback = _slugs(query, "vi")
        assert normal == fallback, query
        assert normal, query


def test_postgresql_uses_full_text_search_with_unaccent(db_vendor: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        search_articles(AnonymousUser(), "tieu chay", "vi")
    sql = " ".join(query["sql"] for query in queries.captured_queries).lower()
    if db_vendor == "postgresql":
        assert selectors.unaccent_available(connection.alias)
        assert "unaccent(" in sql and "phraseto_tsquery" in sql
    else:
        assert not selectors.unaccent_available(connection.alias)
        assert "search_title" in sql and " like " in sql


# --- the normaliser and the synonyms ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tiêu chảy", "tieu chay"),
        ("ĐI NGOÀI", "di ngoai"),
        ("đau đầu", "dau dau"),
        ("Ỉa chảy", "ia chay"),
        ("Sốt 38 °C", "sot 38 °c"),
        ("Diarrhœa", "diarrhœa"),
        ("Tie\u0302u", "tieu"),  # decomposed input, as some keyboards send it
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_search_text_keeps_whole_words_between_spaces() -> None:
    assert search_text("Sốt, ho_khan!") == " sot ho khan "
    assert search_text("  ") == ""


def test_query_expansion_takes_the_longest_phrase_a_group_knows() -> None:
    groups = synonym_phrases(["buồn nôn, nausea", "nôn, vomiting", "  , lonely"])
    assert len(groups) == 2  # a group of one phrase means nothing
    terms = expand_query("Buồn nôn sáng", groups)
    assert terms == [
        frozenset({("buon", "non"), ("nausea",)}),
        frozenset({("sang",)}),
    ]
    assert expand_query("NÔN", groups) == [frozenset({("non",), ("vomiting",)})]


def test_a_synonym_group_needs_two_terms() -> None:
    with pytest.raises(ValidationError):
        SynonymGroup(terms="only one").full_clean()
    SynonymGroup(terms="one, two").full_clean()


def test_saving_keeps_the_search_columns_in_step() -> None:
    article = ArticleFactory.create(
        slug="t-cols", title="Sốt cao", summary="Ho.", body="Đi **ngoài**."
    )
    assert (article.search_title, article.search_summary, article.search_body) == (
        " sot cao ",
        " ho ",
        " di ngoai ",
    )
    article.title = "Tiêu chảy"
    article.save(update_fields=["title"])
    article.refresh_from_db()
    assert article.search_title == " tieu chay "


def test_starter_pages_have_their_search_columns_filled() -> None:
    from education.models import Article

    page = Article.objects.get(slug="fever-vi")
    assert page.search_title == " sot "
    assert " nhiet do " in page.search_summary


def test_the_search_box_is_on_the_page(search_path: Any) -> None:
    body = client_for(None, "en").get("/learn/", {"q": "sot"}).content.decode()
    assert 'role="search"' in body and 'value="sot"' in body
