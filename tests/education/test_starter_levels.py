"""The starter pages tell families what the app does at each level of the triage contract.

The tables are in ``starter_levels.py``, written from docs/TRIAGE-2026.1.md. The pages as first
shipped (``starter_content_first_shipped/``, the text that migration 0003 replaces) fail these
checks, and the last test keeps it so: the checks would catch that text again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from education.starter import StarterPage, parse_page_file, read_index, read_starter_pages
from reporting.triage import CATALOGUE
from tests.education.starter_levels import (
    SYMPTOM_THRESHOLDS,
    WHEN_TO_CALL_THRESHOLDS,
    level_sections,
    plain,
    problems,
)

LANGUAGES = ("en", "vi")
FIRST_SHIPPED_DIR = Path(__file__).resolve().parent / "starter_content_first_shipped"
SLUG_OF_CODE = {
    code: entry["slug"] for entry in read_index()["pages"] for code in entry["symptom_codes"]
}
PAGES = {(page.original_slug or page.slug, page.language): page for page in read_starter_pages()}


def _page(code: str, language: str) -> StarterPage:
    return PAGES[(SLUG_OF_CODE[code], language)]


def _first_shipped(slug: str, language: str) -> tuple[str, str]:
    """(summary, body) of a page as first shipped."""
    meta, body = parse_page_file((FIRST_SHIPPED_DIR / language / f"{slug}.md").read_text("utf-8"))
    return meta["summary"], body


def test_the_tables_have_a_row_for_every_catalogue_symptom_in_both_languages() -> None:
    assert set(SYMPTOM_THRESHOLDS) == set(CATALOGUE)
    assert all(set(rows) == set(LANGUAGES) for rows in SYMPTOM_THRESHOLDS.values())
    assert set(WHEN_TO_CALL_THRESHOLDS) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(CATALOGUE))
def test_each_symptom_page_states_the_thresholds_of_the_contract_at_their_level(
    code: str, language: str
) -> None:
    page = _page(code, language)
    found = problems(
        language=language,
        summary=page.summary,
        body=page.body,
        thresholds=SYMPTOM_THRESHOLDS[code][language],
    )
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_when_to_call_lists_each_level_as_the_contract_gives_it(language: str) -> None:
    page = PAGES[("when-to-call", language)]
    found = problems(
        language=language,
        summary=page.summary,
        body=page.body,
        thresholds=WHEN_TO_CALL_THRESHOLDS[language],
        symptom_page=False,
    )
    assert found == []


@pytest.mark.parametrize(
    ("language", "four_or_more", "nurse_calls", "hotline"),
    [
        ("en", "4 or more times", "The oncology nurse will call you within 1 hour", "24-hour"),
        (
            "vi",
            "từ 4 lần/ngày trở lên",
            "Điều dưỡng ung bướu sẽ gọi lại trong vòng 1 giờ",
            "24 giờ",
        ),
    ],
    ids=["en", "vi"],
)
def test_diarrhoea_4_or_more_stools_is_the_nurse_calling_within_the_hour_not_the_24_hour_line(
    language: str, four_or_more: str, nurse_calls: str, hotline: str
) -> None:
    body = _page("diarrhea", language).body
    # The item that names 4 or more stools does not send the family to the 24-hour line...
    items = [plain(block) for block in body.split("\n- ")]
    [item] = [item for item in items if four_or_more in item]
    assert hotline not in item
    # ...its section is the urgent one, which says the nurse calls within the hour, and the
    # 24-hour line only when nobody has called.
    urgent = level_sections(body, language)["urgent"]
    assert four_or_more in urgent
    assert nurse_calls in urgent
    assert urgent.index(nurse_calls) < urgent.index(hotline)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(CATALOGUE))
def test_the_checks_reject_each_symptom_page_as_first_shipped(code: str, language: str) -> None:
    summary, body = _first_shipped(SLUG_OF_CODE[code], language)
    found = problems(
        language=language, summary=summary, body=body, thresholds=SYMPTOM_THRESHOLDS[code][language]
    )
    assert found != []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checks_reject_when_to_call_as_first_shipped(language: str) -> None:
    summary, body = _first_shipped("when-to-call", language)
    found = problems(
        language=language,
        summary=summary,
        body=body,
        thresholds=WHEN_TO_CALL_THRESHOLDS[language],
        symptom_page=False,
    )
    assert found != []


def test_the_first_shipped_diarrhoea_page_fails_on_its_4_or_more_stools() -> None:
    summary, body = _first_shipped("diarrhea", "en")
    found = problems(
        language="en", summary=summary, body=body, thresholds=SYMPTOM_THRESHOLDS["diarrhea"]["en"]
    )
    assert "no urgent section" in found
    assert "the body has '^## Call the 24-hour oncology line'" in found
