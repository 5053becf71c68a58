"""The starter education pages shipped in ``starter_content/``, and loading them.

Used by the data migration ``0002_starter_content`` with the historical model, so this module
must not import models or the live triage catalogue. Loading is idempotent: a page whose slug
exists is left alone, so admins' edits survive any later run.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from education.rendering import render_markdown

STARTER_DIR = Path(__file__).resolve().parent / "starter_content"
ORIGINAL_LANGUAGE = "en"
TRANSLATION_LANGUAGES = ("vi",)
FRONT_MATTER_FENCE = "---"


@dataclass(frozen=True, slots=True)
class StarterPage:
    slug: str
    language: str
    original_slug: str | None  # None for an original
    topic: str
    symptom_codes: tuple[str, ...]
    title: str
    summary: str
    body: str


def read_index() -> dict[str, Any]:
    return json.loads((STARTER_DIR / "pages.json").read_text(encoding="utf-8"))


def parse_page_file(text: str) -> tuple[dict[str, str], str]:
    """(front matter as a dict, Markdown body) of a page file; see any file in en/."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ValueError("a page file starts with a '---' line")
    end = lines.index(FRONT_MATTER_FENCE, 1)
    meta = {}
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta, "\n".join(lines[end + 1 :]).strip() + "\n"


def read_starter_pages() -> list[StarterPage]:
    """Every starter page, each original before its translations."""
    pages: list[StarterPage] = []
    for entry in read_index()["pages"]:
        for language in (ORIGINAL_LANGUAGE, *TRANSLATION_LANGUAGES):
            pages.append(_read_page(entry, language))
    return pages


def _read_page(entry: dict[str, Any], language: str) -> StarterPage:
    slug = entry["slug"]
    path = STARTER_DIR / language / f"{slug}.md"
    meta, body = parse_page_file(path.read_text(encoding="utf-8"))
    is_original = language == ORIGINAL_LANGUAGE
    return StarterPage(
        slug=slug if is_original else f"{slug}-{language}",
        language=language,
        original_slug=None if is_original else slug,
        topic=entry["topic"],
        symptom_codes=tuple(entry["symptom_codes"]),
        title=meta["title"],
        summary=meta["summary"],
        body=body,
    )


def twelve_months_after(day: dt.date) -> dt.date:
    # Kept here (not imported from models) so that the migration's behaviour never changes.
    last_day = calendar.monthrange(day.year + 1, day.month)[1]
    return day.replace(year=day.year + 1, day=min(day.day, last_day))


def load_starter_pages(article_model: Any, today: dt.date) -> int:
    """Create the starter pages that do not exist yet; the number created."""
    created_count = 0
    by_slug: dict[str, Any] = {}
    for page in read_starter_pages():
        article, created = article_model.objects.get_or_create(
            slug=page.slug, defaults=_fields(page, by_slug, today)
        )
        by_slug[page.slug] = article
        created_count += created
    return created_count


def _fields(page: StarterPage, by_slug: dict[str, Any], today: dt.date) -> dict[str, Any]:
    return {
        "title": page.title,
        "language": page.language,
        "translation_of": by_slug.get(page.original_slug) if page.original_slug else None,
        "topic": page.topic,
        "summary": page.summary,
        "body": page.body,
        # Historical models have no custom save(): render here, as Article.save() would.
        "body_html": render_markdown(page.body),
        "symptom_codes": list(page.symptom_codes),
        "audience": "families",
        "status": "published",
        "last_reviewed": today,
        "next_review_due": twelve_months_after(today),
        "author": None,
    }
