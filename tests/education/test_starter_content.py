"""The starter pages loaded by the data migration, in English and Vietnamese."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import timezone

from education.models import Article, Audience, Language, Status, Topic
from education.rendering import render_markdown
from education.selectors import articles_for_symptoms
from education.starter import load_starter_pages, read_index, read_starter_pages
from reporting.triage import CATALOGUE
from tests.education.conftest import client_for

pytestmark = pytest.mark.django_db

STARTER_SLUGS = [page.slug for page in read_starter_pages()]
DOES_NOT_REPLACE = {"en": "does not replace calling", "vi": "không thay thế việc gọi"}
HOTLINE_WORDS = {"en": "24-hour oncology line", "vi": "đường dây ung bướu 24 giờ"}


def _starter(slug: str) -> Article:
    return Article.objects.get(slug=slug)


def test_the_data_file_holds_a_true_copy_of_the_catalogue_codes() -> None:
    assert read_index()["catalogue_codes"] == list(CATALOGUE)
    covered = {code for page in read_index()["pages"] for code in page["symptom_codes"]}
    assert covered == set(CATALOGUE)


@pytest.mark.parametrize("code", list(CATALOGUE))
@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_catalogue_symptom_has_a_published_page_in_both_languages(
    code: str, language: str
) -> None:
    [article] = articles_for_symptoms([code], language)
    assert article.language == language
    assert article.status == Status.PUBLISHED
    assert article.original.audience == Audience.FAMILIES
    assert code in article.original.symptom_codes
    response = client_for(None, language).get(f"/learn/{article.slug}/")
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_the_migration_loaded_every_starter_page_published_for_families() -> None:
    today = timezone.localdate()
    articles = Article.objects.filter(slug__in=STARTER_SLUGS).select_related("translation_of")
    assert len(articles) == len(STARTER_SLUGS) == 2 * len(read_index()["pages"])
    for article in articles:
        assert article.status == Status.PUBLISHED
        assert article.audience == Audience.FAMILIES
        assert article.author is None
        assert abs((article.last_reviewed - today).days) <= 1
        assert 365 <= (article.next_review_due - article.last_reviewed).days <= 366
        assert article.body_html == render_markdown(article.body)
        if article.language == Language.VI:
            assert article.translation_of is not None
            assert article.slug == f"{article.translation_of.slug}-vi"
            assert article.symptom_codes == article.translation_of.symptom_codes
        else:
            assert article.translation_of is None


@pytest.mark.parametrize("slug", STARTER_SLUGS)
def test_every_page_says_to_call_and_leaves_the_numbers_to_the_template(slug: str) -> None:
    article = _starter(slug)
    assert DOES_NOT_REPLACE[article.language] in article.body
    # The numbers come from settings on every page; content must not carry its own.
    for number in (settings.IMMUNOWATCH_EMERGENCY_NUMBER, settings.IMMUNOWATCH_HOTLINE, "115"):
        assert number not in article.body
    assert "tel:" not in article.body
    if article.original.topic == Topic.SYMPTOMS:
        assert HOTLINE_WORDS[article.language] in article.body


@pytest.mark.parametrize(
    ("slug", "phrases"),
    [
        (
            "immunotherapy",
            [
                "atezolizumab",
                "immune checkpoint inhibitor",
                "anti-PD-L1",
                "targeted therapy",
                "bevacizumab",
                "anti-VEGF",
                "Chemotherapy",
                "any time",
            ],
        ),
        (
            "immunotherapy-vi",
            [
                "atezolizumab",
                "thuốc ức chế điểm kiểm soát miễn dịch",
                "kháng PD-L1",
                "điều trị đích",
                "bevacizumab",
                "kháng VEGF",
                "Hóa trị",
                "bất cứ lúc nào",
            ],
        ),
    ],
)
def test_the_immunotherapy_page_explains_the_liver_cancer_regimen(
    slug: str, phrases: list[str]
) -> None:
    body = _starter(slug).body
    missing = [phrase for phrase in phrases if phrase not in body]
    assert missing == []


@pytest.mark.parametrize(
    ("slug", "emergencies"),
    [
        (
            "when-to-call",
            [
                "Chest pain",
                "Breathless even at rest",
                "Confusion",
                "Black, tarry",
                "vomiting blood",
                "38 °C or more",
            ],
        ),
        (
            "when-to-call-vi",
            [
                "Đau ngực",
                "Khó thở cả khi ngồi nghỉ",
                "Lú lẫn",
                "phân đen",
                "nôn ra máu",
                "38 °C trở lên",
            ],
        ),
    ],
)
def test_when_to_call_lists_the_emergencies_of_the_contract(
    slug: str, emergencies: list[str]
) -> None:
    body = _starter(slug).body
    assert [phrase for phrase in emergencies if phrase not in body] == []


def test_links_between_starter_pages_point_to_pages_that_exist() -> None:
    targets = {
        target
        for article in Article.objects.filter(slug__in=STARTER_SLUGS)
        for target in re.findall(r"\]\(/learn/([\w-]+)/\)", article.body)
    }
    assert targets  # the pages do link to each other
    assert set(Article.objects.filter(slug__in=targets).values_list("slug", flat=True)) == targets


def test_loading_again_keeps_admins_edits_and_restores_only_what_is_missing() -> None:
    edited = _starter("fever")
    edited.title = "Fever (edited by the ward)"
    edited.save()
    _starter("rash-vi").delete()

    created = load_starter_pages(Article, timezone.localdate())

    assert created == 1
    assert _starter("fever").title == "Fever (edited by the ward)"
    restored = _starter("rash-vi")
    assert restored.translation_of == _starter("rash")
    assert Article.objects.filter(slug__in=STARTER_SLUGS).count() == len(STARTER_SLUGS)
