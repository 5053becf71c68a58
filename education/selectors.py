"""Reading education pages, always as a given reader sees them.

Who sees what: staff users (admins) see every page, drafts included; nurses see every
published page; families and anonymous visitors see published pages for families. A page is
one original plus its translations ("versions"); readers get the version in their language,
else the English original, else whatever version they may see.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, Q, Value, When

from education.models import (
    ORIGINAL_LANGUAGE,
    TOPIC_ORDER,
    Article,
    ArticleQuerySet,
    Audience,
    Language,
    Topic,
)
from reporting import roles
from reporting.models import User

# Which pages each kind of reader is offered, best first: nurses get a staff page when there
# is one and the families' page (what the family was told) otherwise.
READER_AUDIENCES: dict[str, tuple[str, ...]] = {
    "families": (Audience.FAMILIES,),
    "staff": (Audience.STAFF, Audience.FAMILIES),
}
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_RESULTS = 50
# `simple`: no stemming, which Vietnamese needs (PostgreSQL has no Vietnamese dictionary).
SEARCH_CONFIG = "simple"
_LIST_ONLY_FIELDS = ("body", "body_html", "translation_of__body", "translation_of__body_html")


@dataclass(frozen=True, slots=True)
class TopicSection:
    topic: str
    label: str
    articles: list[Article]


def normalize_language(language: str | None) -> str:
    """A language of ours from a code such as ``vi``, ``en-us`` or None (English)."""
    code = (language or "").split("-")[0].lower()
    return code if code in Language.values else ORIGINAL_LANGUAGE


def _for_audiences(articles: ArticleQuerySet, audiences: Sequence[str]) -> ArticleQuerySet:
    # The original decides the audience: a translation follows it.
    return articles.filter(
        Q(translation_of__isnull=True, audience__in=audiences)
        | Q(translation_of__audience__in=audiences)
    )


def visible_articles(user: User | AnonymousUser) -> ArticleQuerySet:
    """Every page ``user`` may read (anonymous users included)."""
    articles = Article.objects.select_related("translation_of")
    if roles.is_admin(user):
        return articles
    if roles.is_nurse(user):
        return articles.published()
    return _for_audiences(articles.published(), READER_AUDIENCES["families"])


def _group_by_original(articles: Iterable[Article]) -> dict[int, list[Article]]:
    """Versions grouped by their original's id, groups in first-seen order."""
    groups: dict[int, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.translation_of_id or article.pk, []).append(article)
    return groups


def pick_version(versions: Sequence[Article], language: str) -> Article | None:
    """The version in ``language``, else in English, else the first of ``versions``."""
    by_language = {version.language: version for version in reversed(versions)}
    return (
        by_language.get(language)
        or by_language.get(ORIGINAL_LANGUAGE)
        or (versions[0] if versions else None)
    )


def versions_of(article: Article, user: User | AnonymousUser) -> list[Article]:
    """All versions of ``article``'s page that ``user`` may read, original first."""
    original_id = article.translation_of_id or article.pk
    versions = visible_articles(user).filter(Q(pk=original_id) | Q(translation_of_id=original_id))
    return sorted(versions, key=lambda v: (v.translation_of_id is not None, v.language))


def version_in_language(
    article: Article, user: User | AnonymousUser, language: str
) -> Article | None:
    """The version of ``article``'s page in ``language`` that ``user`` may read, if any."""
    language = normalize_language(language)
    if article.language == language:
        return article
    return next((v for v in versions_of(article, user) if v.language == language), None)


def _sort_key(article: Article) -> tuple[int, str]:
    # Accents stripped so that "Đau", "Ho" and "Ngứa" sort among plain letters.
    title = unicodedata.normalize("NFKD", article.title.replace("Đ", "D").replace("đ", "d"))
    return TOPIC_ORDER.get(article.original.topic, len(TOPIC_ORDER)), title.casefold()


def articles_by_topic(user: User | AnonymousUser, language: str) -> list[TopicSection]:
    """The pages ``user`` may read, one version each, in sections by topic."""
    language = normalize_language(language)
    articles = visible_articles(user).defer(*_LIST_ONLY_FIELDS)
    chosen = [pick_version(group, language) for group in _group_by_original(articles).values()]
    sections: dict[str, list[Article]] = {}
    for article in sorted((a for a in chosen if a is not None), key=_sort_key):
        sections.setdefault(article.original.topic, []).append(article)
    labels = dict(Topic.choices)
    return [
        TopicSection(topic, str(labels.get(topic, topic)), items)
        for topic, items in sections.items()
    ]


def articles_for_symptoms(
    codes: Iterable[str], language: str, *, audience: str = "families"
) -> list[Article]:
    """Published pages about the symptom ``codes``: at most one per code, in ``codes`` order.

    Each page comes in ``language`` when a published translation exists, else in English.
    ``audience`` is the reader: "families", or "staff" (staff pages first, then families').
    Unknown codes are skipped; a page about two reported symptoms is listed once.
    """
    if audience not in READER_AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    language = normalize_language(language)
    audiences = READER_AUDIENCES[audience]
    published = Article.objects.published().select_related("translation_of")
    versions = _for_audiences(published, audiences).defer(*_LIST_ONLY_FIELDS)
    groups = list(_group_by_original(versions).values())
    return _one_per_code(wanted, groups, language, audiences)


def _one_per_code(
    codes: list[str], groups: list[list[Article]], language: str, audiences: Sequence[str]
) -> list[Article]:
    def rank(group: list[Article]) -> tuple[int, bool, int, str]:
        # Preferred audience first, then a symptom page over a general one, then the page
        # about the fewest symptoms (the most specific).
        original = group[0].original
        return (
            audiences.index(original.audience),
            original.topic != Topic.SYMPTOMS,
            len(original.symptom_codes),
            original.slug,
        )

    chosen: list[Article] = []
    used: set[int] = set()
    for code in codes:
        candidates = sorted(
            (g for g in groups if code in g[0].original.symptom_codes and id(g) not in used),
            key=rank,
        )
        if candidates:
            used.add(id(candidates[0]))
            version = _version_or_english(candidates[0], language)
            if version is not None:
                chosen.append(version)
    return chosen


def _version_or_english(versions: list[Article], language: str) -> Article | None:
    by_language = {version.language: version for version in versions}
    return by_language.get(language) or by_language.get(ORIGINAL_LANGUAGE)


def search_articles(user: User | AnonymousUser, query: str, language: str) -> list[Article]:
    """Pages ``user`` may read that match ``query`` in title, summary or body, best first.

    PostgreSQL: full-text search (websearch syntax: "quoted phrases", -exclusions, or).
    Other databases: every word of ``query`` must appear (case-insensitive contains).
    One version per page: the matching one in ``language`` when both match.
    """
    text = query.strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return []
    articles = visible_articles(user)
    if connections[articles.db].vendor == "postgresql":
        hits = _full_text_search(articles, text)
    else:
        hits = _contains_search(articles, text)
    language = normalize_language(language)
    groups = _group_by_original(hits[: SEARCH_MAX_RESULTS * 2])
    found = [pick_version(group, language) for group in groups.values()]
    return [article for article in found if article is not None][:SEARCH_MAX_RESULTS]


def _full_text_search(articles: ArticleQuerySet, text: str) -> list[Article]:
    vector = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )
    search = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    matching = articles.annotate(document=vector).filter(document=search)
    return list(matching.annotate(rank=SearchRank(vector, search)).order_by("-rank", "title"))


def _contains_search(articles: ArticleQuerySet, text: str) -> list[Article]:
    words = re.findall(r"\w+", text)
    if not words:
        return []
    for word in words:
        articles = articles.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    # A crude rank: the words as typed in the title, then in the summary, then anywhere.
    phrase = " ".join(words)
    rank = Case(
        When(title__icontains=phrase, then=Value(0)),
        When(summary__icontains=phrase, then=Value(1)),
        default=Value(2),
    )
    return list(articles.annotate(rank=rank).order_by("rank", "title"))
