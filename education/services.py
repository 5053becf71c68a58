"""Writing education pages: saving, drafts of published pages, publishing, reviewing.

A published page is never changed by saving it: the new title, summary and body become its
draft (families keep reading the published text) until an admin publishes it. Publishing
changes to a page flags its versions in the other languages as needing review.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from education.models import DRAFTED_FIELDS, Article, Status, one_review_interval_after
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
    stored = Article.objects.filter(pk=article.pk).first() if article.pk else None
    if stored is not None and stored.is_published:
        _keep_as_draft(article, stored)
    elif article.has_draft:
        _clear_draft(article)  # a page families cannot see is edited as it is
    article.save()
    if original is None:
        article.translations.update(
            **{field: getattr(article, field) for field in FOLLOWED_FIELDS},
            updated_at=timezone.now(),
        )
    return article


def _keep_as_draft(article: Article, stored: Article) -> None:
    """Move the edited text of the published ``article`` into its draft; ``stored`` is the
    row as families see it. A draft the same as the published text is no draft."""
    changed = False
    for live, draft in DRAFTED_FIELDS:
        setattr(article, draft, getattr(article, live))
        setattr(article, live, getattr(stored, live))
        changed = changed or getattr(article, draft) != getattr(stored, live)
    if changed:
        article.draft_saved_at = timezone.now()
    else:
        _clear_draft(article)


def _clear_draft(article: Article) -> None:
    for _live, draft in DRAFTED_FIELDS:
        setattr(article, draft, "")
    article.draft_saved_at = None


@transaction.atomic
def publish_article(article: Article) -> bool:
    """Publish ``article`` with its draft, if any; whether anything changed for families.

    When the text of a published page changes, its versions in other languages get
    "needs review" - unless this page itself needed review: then it is catching up with
    them, and its own flag is cleared instead.
    """
    page = Article.objects.select_for_update().get(pk=article.pk)
    was_live, had_draft = page.is_published, page.has_draft
    if was_live and not had_draft:
        return False
    new_text = page.text_to_publish()
    text_changed = any(getattr(page, field) != value for field, value in new_text.items())
    for field, value in new_text.items():
        setattr(page, field, value)
    _clear_draft(page)
    page.status = Status.PUBLISHED
    catching_up = page.needs_review
    if was_live and text_changed:
        page.needs_review = False
    page.save()
    if was_live and text_changed and not catching_up:
        other_versions(page).update(needs_review=True, updated_at=timezone.now())
    article.refresh_from_db()
    return text_changed or not was_live


def other_versions(article: Article) -> QuerySet[Article]:
    """The versions of ``article``'s page in the other languages."""
    original_id = article.translation_of_id or article.pk
    return (
        Article.objects.versions_of_pages([original_id]).exclude(pk=article.pk).order_by("language")
    )


def publish(articles: QuerySet[Article]) -> int:
    """Publish ``articles`` with their drafts; the number that changed for families."""
    return sum(publish_article(article) for article in articles.order_by("pk"))


@transaction.atomic
def discard_draft(article: Article) -> bool:
    """Forget the draft of ``article``; whether it had one. The published text stays."""
    page = Article.objects.select_for_update().get(pk=article.pk)
    if not page.has_draft:
        return False
    _clear_draft(page)
    page.save(update_fields=["draft_title", "draft_summary", "draft_body", "draft_saved_at"])
    article.refresh_from_db()
    return True


def clear_needs_review(articles: QuerySet[Article]) -> int:
    """Record that ``articles`` were checked against their other versions; the number."""
    return articles.filter(needs_review=True).update(needs_review=False, updated_at=timezone.now())


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
