"""Reading education pages, always as a given reader sees them.

Who sees what: staff users (admins) see every page, drafts included; nurses see every
published page; families and anonymous visitors see published pages for families. A page is
one original plus its translations ("versions"); readers get the version in their language,
else the English original, else whatever version they may see.
"""

from __future__ import annotations

import copy
import operator
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Case, F, Func, Q, Value, When

from education.models import (
    ORIGINAL_LANGUAGE,
    TOPIC_ORDER,
    Article,
    ArticleQuerySet,
    Audience,
    Language,
    SynonymGroup,
    Topic,
)
from education.rendering import render_markdown
from education.textsearch import Phrase, Term, expand_query, phrase_pattern, synonym_phrases
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
_LIST_ONLY_FIELDS = (
    "body",
    "body_html",
    "draft_body",
    "search_body",
    "translation_of__body",
    "translation_of__body_html",
    "translation_of__draft_body",
    "translation_of__search_body",
)


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
    versions = visible_articles(user).versions_of_pages([original_id])
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


def draft_preview(article: Article) -> Article:
    """An unsaved copy of ``article`` that says what it would say once published."""
    preview = copy.copy(article)
    for field, value in article.text_to_publish().items():
        setattr(preview, field, value)
    preview.body_html = render_markdown(preview.body)
    return preview


def search_articles(user: User | AnonymousUser, query: str, language: str) -> list[Article]:
    """Pages ``user`` may read that match ``query``, best first.

    Forgiving: case and accents do not matter ("tieu chay" finds "Tiêu chảy"), and a word
    of a synonym group finds the others (education.textsearch). Every word of the query
    must match, as a whole word. Best first: for each word, a match in the title counts
    more than one in the summary, which counts more than one in the body; then by title.
    PostgreSQL with ``unaccent`` runs this as a full-text search over the unaccented text;
    elsewhere it reads the normalised search columns. Both give the same pages in the same
    order. One version per page: the matching one in ``language`` when both match.
    """
    terms = expand_query(query.strip()[:SEARCH_MAX_LENGTH], synonym_groups())
    if not terms:
        return []
    articles = visible_articles(user).defer(*_LIST_ONLY_FIELDS)
    if unaccent_available(articles.db):
        scored = _full_text_search(articles, terms)
    else:
        scored = _normalised_search(articles, terms)
    return _in_readers_language(articles, list(scored), normalize_language(language))


def _in_readers_language(
    articles: ArticleQuerySet, hits: list[Article], language: str
) -> list[Article]:
    """One version per page that ``hits`` found, in ``language`` when there is one even if
    only the other language's version matched; pages found in the reader's own language
    first, then by score and title (sorted here: PostgreSQL's and SQLite's collations
    differ)."""
    scores = {hit.pk: _score(hit) for hit in hits}
    original_ids = {hit.translation_of_id or hit.pk for hit in hits}
    versions = articles.versions_of_pages(original_ids)
    ranked = []
    for group in _group_by_original(versions).values():
        chosen = pick_version(group, language)
        if chosen is not None:
            best = max(scores.get(version.pk, 0) for version in group)
            ranked.append(
                (-scores.get(chosen.pk, 0), -best, chosen.search_title, chosen.pk, chosen)
            )
    ranked.sort(key=lambda row: row[:4])
    return [row[4] for row in ranked][:SEARCH_MAX_RESULTS]


def _score(article: Article) -> int:
    return int(article.search_score)  # type: ignore[attr-defined]  # annotated by _scored()


def synonym_groups() -> list[frozenset[Phrase]]:
    """The admins' synonym groups, as normalised phrases."""
    return synonym_phrases(SynonymGroup.objects.values_list("terms", flat=True))


def unaccent_available(alias: str) -> bool:
    """Whether the database ``alias`` is PostgreSQL with the ``unaccent`` extension.

    Asked once per process: after a database administrator adds the extension, restart.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    if alias not in _UNACCENT_INSTALLED:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
            _UNACCENT_INSTALLED[alias] = cursor.fetchone() is not None
    return _UNACCENT_INSTALLED[alias]


_UNACCENT_INSTALLED: dict[str, bool] = {}
# Points per query word for the best place it is found in.
_FIELD_POINTS = (("title", 4), ("summary", 2), ("body", 1))


def _scored(articles: ArticleQuerySet, matches: list[dict[str, Q]]) -> ArticleQuerySet:
    """``articles`` matching every term, with ``search_score``; ``matches`` gives, for each
    term, the condition that it is found in each field."""
    scores = []
    for index, found_in in enumerate(matches):
        name = f"term_{index}"
        whens = [When(found_in[field], then=Value(points)) for field, points in _FIELD_POINTS]
        articles = articles.annotate(**{name: Case(*whens, default=Value(0))})
        articles = articles.filter(**{f"{name}__gt": 0})
        scores.append(F(name))
    return articles.annotate(search_score=sum(scores[1:], scores[0]))


def _full_text_search(articles: ArticleQuerySet, terms: list[Term]) -> ArticleQuerySet:
    # `simple`: no stemming, which Vietnamese needs (PostgreSQL has no Vietnamese
    # dictionary). The query words are normalised already; unaccent does the same to pages.
    vectors = {
        field: SearchVector(Func(F(field), function="unaccent"), config=SEARCH_CONFIG)
        for field, _points in _FIELD_POINTS
    }
    articles = articles.annotate(**{f"document_{field}": v for field, v in vectors.items()})
    matches = []
    for term in terms:
        queries = [
            SearchQuery(" ".join(phrase), search_type="phrase", config=SEARCH_CONFIG)
            for phrase in sorted(term)
        ]
        query = reduce(operator.or_, queries)
        matches.append({field: Q(**{f"document_{field}": query}) for field in vectors})
    return _scored(articles, matches)


def _normalised_search(articles: ArticleQuerySet, terms: list[Term]) -> ArticleQuerySet:
    matches = []
    for term in terms:
        found_in: dict[str, Q] = {}
        for field, _points in _FIELD_POINTS:
            patterns = [phrase_pattern(phrase) for phrase in sorted(term)]
            found_in[field] = reduce(
                operator.or_, (Q(**{f"search_{field}__contains": p}) for p in patterns)
            )
        matches.append(found_in)
    return _scored(articles, matches)
