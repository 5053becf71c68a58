"""Writing education pages: saving, publishing, marking as reviewed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from education.models import Article, Status, one_review_interval_after
from reporting.models import User

# What a translation takes from its original: they describe the same page.
FOLLOWED_FIELDS = ("topic", "symptom_codes", "audience")


@transaction.atomic
def save_article(article: Article, *, editor: User | AnonymousUser | None = None) -> Article:
    """Save a validated ``article``; translations keep following their original.

    ``editor`` becomes the author of a page that has none yet.
    """
    if article.author_id is None and editor is not None and editor.is_authenticated:
        article.author = editor
    original = article.translation_of
    if original is not None:
        for field in FOLLOWED_FIELDS:
            setattr(article, field, getattr(original, field))
    article.save()
    if original is None:
        article.translations.update(
            **{field: getattr(article, field) for field in FOLLOWED_FIELDS},
            updated_at=timezone.now(),
        )
    return article


def publish(articles: QuerySet[Article]) -> int:
    """Publish ``articles``; the number that were drafts."""
    return articles.exclude(status=Status.PUBLISHED).update(
        status=Status.PUBLISHED, updated_at=timezone.now()
    )


def unpublish(articles: QuerySet[Article]) -> int:
    """Turn ``articles`` back into drafts, hidden from families; the number changed."""
    return articles.exclude(status=Status.DRAFT).update(
        status=Status.DRAFT, updated_at=timezone.now()
    )


def mark_reviewed(articles: QuerySet[Article], *, today: dt.date | None = None) -> int:
    """Record that ``articles`` were reviewed ``today``; next review one interval later."""
    day = today or timezone.localdate()
    return articles.update(
        last_reviewed=day, next_review_due=one_review_interval_after(day), updated_at=timezone.now()
    )
