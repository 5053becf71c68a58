"""Admins keep the pages in the Django admin: edit, preview, publish, review."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from education.models import Article, Status, Topic
from reporting.models import User
from tests.education.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/education/article/"


def _form_data(**fields: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title": "Mouth sores",
        "slug": "t-mouth-sores",
        "language": "en",
        "translation_of": "",
        "status": "draft",
        "summary": "Sore mouth on treatment.",
        "body": "Rinse with salt water.",
        "topic": Topic.SYMPTOMS,
        "audience": "families",
        "symptom_codes": ["other"],
        "last_reviewed": today.isoformat(),
        "next_review_due": (today + dt.timedelta(days=365)).isoformat(),
        "author": "",
    }
    data.update(fields)
    return data


def _act(client: Client, action: str, articles: list[Article]) -> Any:
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(article.pk) for article in articles]},
        follow=True,
    )


def test_changelist_filters_pages_past_their_review_date(admin_client: Client) -> None:
    today = timezone.localdate()
    ArticleFactory.create(
        slug="t-overdue",
        title="Overdue page",
        last_reviewed=today - dt.timedelta(days=400),
        next_review_due=today - dt.timedelta(days=1),
    )
    ArticleFactory.create(slug="t-fresh", title="Fresh page")
    body = admin_client.get(CHANGELIST, {"review": "past"}).content.decode()
    assert "Overdue page" in body
    assert "Fresh page" not in body
    assert "Diarrhoea" not in body  # the starter pages were reviewed today
    assert "Overdue page" in admin_client.get(CHANGELIST).content.decode()


def test_publish_and_unpublish_actions(admin_client: Client) -> None:
    first = ArticleFactory.create(slug="t-one", status=Status.DRAFT)
    second = ArticleFactory.create(slug="t-two", status=Status.DRAFT)
    response = _act(admin_client, "publish_selected", [first, second])
    assert "2 pages published." in response.content.decode()
    statuses = Article.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    assert set(statuses) == {Status.PUBLISHED}
    _act(admin_client, "unpublish_selected", [first])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.DRAFT, Status.PUBLISHED)
    assert Client().get("/learn/t-one/").status_code == 404


def test_mark_reviewed_action_moves_the_next_review_a_year_on(admin_client: Client) -> None:
    today = timezone.localdate()
    old = ArticleFactory.create(
        slug="t-old", last_reviewed=dt.date(2020, 1, 1), next_review_due=dt.date(2021, 1, 1)
    )
    _act(admin_client, "mark_reviewed_today", [old])
    old.refresh_from_db()
    assert old.last_reviewed == today
    assert old.next_review_due.year == today.year + 1


def test_change_page_previews_the_sanitized_body(admin_client: Client) -> None:
    article = ArticleFactory.create(
        slug="t-preview", body='**Call now.**\n\n<img src="x" onerror="alert(1)">'
    )
    body = admin_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    # A class, not a style="" attribute: the CSP allows nothing inline.
    preview = re.search(r'<div lang="en" class="education-preview">(.*?)</div>', body, re.S)
    assert preview is not None
    assert "<p><strong>Call now.</strong></p>" in preview.group(1)
    assert "<img" not in preview.group(1)
    assert "onerror" not in preview.group(1)


def test_view_on_site_shows_exactly_this_version_even_a_draft(admin_client: Client) -> None:
    original = ArticleFactory.create(slug="t-site")
    draft = translate(original, status=Status.DRAFT)
    body = admin_client.get(f"{CHANGELIST}{draft.pk}/change/").content.decode()
    assert 'href="/learn/t-site-vi/?as_is=1"' in body
    page = admin_client.get("/learn/t-site-vi/?as_is=1")  # the admin reads English
    assert page.status_code == 200
    assert draft.title in page.content.decode()


def test_adding_a_page_records_the_author_and_checks_symptom_codes(
    admin_client: Client, admin_user: User
) -> None:
    refused = admin_client.post(f"{CHANGELIST}add/", _form_data(symptom_codes=["cough"]))
    assert refused.status_code == 200
    assert not Article.objects.filter(slug="t-mouth-sores").exists()

    response = admin_client.post(f"{CHANGELIST}add/", _form_data())
    assert response.status_code == 302
    article = Article.objects.get(slug="t-mouth-sores")
    assert article.author == admin_user
    assert article.symptom_codes == ["other"]
    assert article.body_html == "<p>Rinse with salt water.</p>"


def test_a_translation_follows_its_originals_topic_symptoms_and_audience(
    admin_client: Client,
) -> None:
    original = ArticleFactory.create(
        slug="t-gums", topic=Topic.SYMPTOMS, symptom_codes=["bleeding"]
    )
    data = _form_data(
        title="Chảy máu chân răng",
        slug="t-gums-vi",
        language="vi",
        translation_of=str(original.pk),
        topic=Topic.OTHER,
        symptom_codes=["rash"],
    )
    assert admin_client.post(f"{CHANGELIST}add/", data).status_code == 302
    translation = Article.objects.get(slug="t-gums-vi")
    assert (translation.topic, translation.symptom_codes) == (Topic.SYMPTOMS, ["bleeding"])

    change = admin_client.get(f"{CHANGELIST}{original.pk}/change/")
    form = change.context["adminform"].form
    original_data = {name: form[name].value() for name in form.fields}
    original_data.update(symptom_codes=["bleeding", "nosebleed"], translation_of="", author="")
    original_data = {k: ("" if v is None else v) for k, v in original_data.items()}
    assert admin_client.post(f"{CHANGELIST}{original.pk}/change/", original_data).status_code == 302
    translation.refresh_from_db()
    assert translation.symptom_codes == ["bleeding", "nosebleed"]


def test_only_originals_can_be_chosen_as_the_page_translated(admin_client: Client) -> None:
    original = ArticleFactory.create(slug="t-orig")
    vietnamese = translate(original)
    form = admin_client.get(f"{CHANGELIST}add/").context["adminform"].form
    choices = set(form.fields["translation_of"].queryset.values_list("pk", flat=True))
    assert original.pk in choices
    assert vietnamese.pk not in choices
