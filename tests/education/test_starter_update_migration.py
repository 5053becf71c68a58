"""Migration 0003 gives unedited starter pages the current text and leaves edited ones alone.

``starter_content_first_shipped/`` holds the starter pages exactly as first shipped (commit
c83f01a, loaded by 0002 on every installation made before 0003): the text an installation still
has wherever no admin edited it. The migration itself keeps only their SHA-256 digests.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from education.models import Article
from education.rendering import render_markdown
from education.starter import StarterPage, parse_page_file, read_starter_pages, twelve_months_after

MIGRATION_NAME = "0003_starter_pages_follow_triage_levels"
MIGRATION = importlib.import_module(f"education.migrations.{MIGRATION_NAME}")
FIRST_SHIPPED_DIR = Path(__file__).resolve().parent / "starter_content_first_shipped"
PAGES = {page.slug: page for page in read_starter_pages()}
LONG_AGO = dt.date(2025, 3, 1)


def _first_shipped(page: StarterPage) -> tuple[str, str]:
    """(summary, body) of ``page`` as first shipped."""
    path = FIRST_SHIPPED_DIR / page.language / f"{page.original_slug or page.slug}.md"
    meta, body = parse_page_file(path.read_text("utf-8"))
    return meta["summary"], body


def _changed_since_first_shipped() -> set[str]:
    return {
        slug for slug, page in PAGES.items() if _first_shipped(page) != (page.summary, page.body)
    }


def _install_first_shipped_text(article_model: Any, slugs: list[str] | None = None) -> None:
    """Put the first-shipped text back, as an installation made before 0003 has it."""
    for slug in slugs or list(PAGES):
        summary, body = _first_shipped(PAGES[slug])
        article_model.objects.filter(slug=slug).update(
            summary=summary,
            body=body,
            body_html=render_markdown(body),
            last_reviewed=LONG_AGO,
            next_review_due=twelve_months_after(LONG_AGO),
        )


def _run() -> list[str]:
    return MIGRATION.update_unedited_pages(Article, timezone.localdate())


def _snapshot() -> dict[str, list[Any]]:
    rows = Article.objects.values_list("slug", "body", "summary", "last_reviewed", "updated_at")
    return {slug: rest for slug, *rest in rows}


def _assert_current(article: Article) -> None:
    page = PAGES[article.slug]
    today = timezone.localdate()
    assert (article.summary, article.body) == (page.summary, page.body)
    assert article.body_html == render_markdown(page.body)
    assert (article.last_reviewed, article.next_review_due) == (today, twelve_months_after(today))


def test_the_digests_are_those_of_every_starter_page_as_first_shipped() -> None:
    assert set(MIGRATION.FIRST_SHIPPED) == set(PAGES)
    for slug, page in PAGES.items():
        summary, body = _first_shipped(page)
        assert MIGRATION.FIRST_SHIPPED[slug] == (MIGRATION.digest(body), MIGRATION.digest(summary))


def test_almost_every_page_changed_since_first_shipped() -> None:
    # Only the immunotherapy page says nothing about levels; it is unchanged.
    assert set(PAGES) - _changed_since_first_shipped() == {"immunotherapy", "immunotherapy-vi"}


@pytest.mark.django_db
def test_every_page_still_as_first_shipped_gets_the_current_text() -> None:
    _install_first_shipped_text(Article)

    updated = _run()

    assert set(updated) == _changed_since_first_shipped()
    for article in Article.objects.filter(slug__in=updated):
        _assert_current(article)
    unchanged = Article.objects.get(slug="immunotherapy")
    assert unchanged.last_reviewed == LONG_AGO


@pytest.mark.django_db
def test_a_page_an_admin_edited_is_left_alone_and_named_in_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _install_first_shipped_text(Article)
    edited = Article.objects.get(slug="diarrhea")
    edited.body += "\nWard note: call the ward from 4 stools.\n"
    edited.save()
    edited_body = edited.body

    with caplog.at_level(logging.WARNING, logger=MIGRATION.__name__):
        updated = _run()

    assert "diarrhea" not in updated
    edited.refresh_from_db()
    assert edited.body == edited_body
    assert edited.summary == _first_shipped(PAGES["diarrhea"])[0]
    assert edited.last_reviewed == LONG_AGO
    assert [record.getMessage() for record in caplog.records] == [
        "Starter page 'diarrhea' was edited after it was shipped, so it was not updated: "
        "check it against the triage levels of ruleset 2026.1."
    ]
    _assert_current(Article.objects.get(slug="diarrhea-vi"))


@pytest.mark.django_db
def test_saving_a_page_in_the_admin_without_editing_its_text_does_not_count_as_an_edit() -> None:
    _install_first_shipped_text(Article)
    # What a browser sends back from an untouched textarea, stripped by the form field.
    body = _first_shipped(PAGES["fever-vi"])[1]
    Article.objects.filter(slug="fever-vi").update(body=body.replace("\n", "\r\n").strip())

    assert "fever-vi" in _run()
    _assert_current(Article.objects.get(slug="fever-vi"))


@pytest.mark.django_db
def test_an_edited_summary_or_title_is_kept_while_the_unedited_body_is_updated() -> None:
    _install_first_shipped_text(Article)
    Article.objects.filter(slug="fever").update(summary="Our ward's own summary.")
    Article.objects.filter(slug="rash").update(title="Rash (ward version)")

    updated = _run()

    assert {"fever", "rash"} <= set(updated)
    fever = Article.objects.get(slug="fever")
    assert fever.summary == "Our ward's own summary."
    assert fever.body == PAGES["fever"].body
    rash = Article.objects.get(slug="rash")
    assert rash.title == "Rash (ward version)"
    assert rash.body == PAGES["rash"].body


@pytest.mark.django_db
def test_pages_that_already_have_the_current_text_are_not_touched(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A new installation: 0002 loaded the current text, and 0003 ran after it.
    before = _snapshot()

    with caplog.at_level(logging.WARNING, logger=MIGRATION.__name__):
        assert _run() == []

    assert _snapshot() == before
    assert caplog.records == []


@pytest.mark.django_db
def test_a_deleted_starter_page_stays_deleted() -> None:
    _install_first_shipped_text(Article)
    Article.objects.filter(slug="rash-vi").delete()

    assert "rash-vi" not in _run()
    assert not Article.objects.filter(slug="rash-vi").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_an_installation_with_the_first_shipped_pages() -> None:
    executor = MigrationExecutor(connection)
    before = [("education", "0002_starter_content")]
    executor.migrate(before)
    old_article = executor.loader.project_state(before).apps.get_model("education", "Article")
    _install_first_shipped_text(old_article, ["diarrhea", "diarrhea-vi"])
    old_article.objects.filter(slug="diarrhea-vi").update(body="Trang do khoa tự viết.\n")

    executor = MigrationExecutor(connection)  # reload the graph: 0003 is unapplied now
    executor.migrate([("education", MIGRATION_NAME)])
    # On to the latest migrations (later columns), as `migrate` on that installation would:
    # also leaves the database as the next tests expect it.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    diarrhoea = Article.objects.get(slug="diarrhea")
    _assert_current(diarrhoea)
    assert "The oncology nurse will call you within 1 hour." in diarrhoea.safe_body_html
    assert Article.objects.get(slug="diarrhea-vi").body == "Trang do khoa tự viết.\n"
    assert diarrhoea.search_title == " diarrhoea "  # filled by 0007 for existing pages
