"""A published page is edited as a draft: preview it as families see it, then publish it.

Publishing changes flags the page in the other language as needing review; the admin list
shows each page with its translations.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from education import services
from education.models import Article, Status
from education.selectors import search_articles
from reporting.models import User
from tests.education.conftest import client_for
from tests.education.factories import ArticleFactory, translate
from tests.reporting.security.test_headers import assert_headers, inline_parts

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/education/article/"


@pytest.fixture
def fever() -> dict[str, Article]:
    original = ArticleFactory.create(
        slug="t-fever", title="Fever", summary="Old summary.", body="Old **advice**."
    )
    return {"en": original, "vi": translate(original, title="Sốt", body="Lời khuyên cũ.")}


def _form(client: Client, article: Article, **changes: Any) -> dict[str, Any]:
    """The change form as the admin sees it, with ``changes`` typed in."""
    form = client.get(f"{CHANGELIST}{article.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {key: ("" if value is None else value) for key, value in data.items()}


def _edit(client: Client, article: Article, button: str = "_save", **changes: Any) -> Any:
    return client.post(
        f"{CHANGELIST}{article.pk}/change/", {**_form(client, article, **changes), button: "1"}
    )


def _preview_url(article: Article) -> str:
    return f"{CHANGELIST}{article.pk}/preview/"


# --- editing a live page ---------------------------------------------------------------------


def test_saving_a_published_page_keeps_the_changes_as_a_draft(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    page = fever["en"]
    response = _edit(admin_client, page, title="Fever (high temperature)", body="New quokka.")
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{page.pk}/change/"  # stay: preview, publish

    page.refresh_from_db()
    assert (page.title, page.body, page.status) == ("Fever", "Old **advice**.", Status.PUBLISHED)
    assert (page.draft_title, page.draft_body) == ("Fever (high temperature)", "New quokka.")
    assert page.has_draft
    family_page = client_for(None).get("/learn/t-fever/").content.decode()
    assert "Old <strong>advice</strong>." in family_page and "quokka" not in family_page
    assert search_articles(AnonymousUser(), "quokka", "en") == []  # drafts are not searched

    change = admin_client.get(f"{CHANGELIST}{page.pk}/change/")
    body = change.content.decode()
    assert change.context["adminform"].form["title"].value() == "Fever (high temperature)"
    assert "Draft saved. Families still see the published page" in body
    assert 'value="Save draft"' in body and 'name="_publish"' in body


def test_saving_it_unchanged_makes_no_draft(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    _edit(admin_client, fever["en"])
    fever["en"].refresh_from_db()
    assert not fever["en"].has_draft


def test_a_page_families_cannot_see_is_saved_as_it_is(admin_client: Client) -> None:
    page = ArticleFactory.create(slug="t-new", title="New", status=Status.DRAFT)
    _edit(admin_client, page, title="Newer")
    page.refresh_from_db()
    assert (page.title, page.has_draft, page.status) == ("Newer", False, Status.DRAFT)


def test_the_status_is_not_a_field_publishing_is_its_own_button(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    _edit(admin_client, fever["en"], status=Status.DRAFT)
    fever["en"].refresh_from_db()
    assert fever["en"].status == Status.PUBLISHED


# --- preview -----------------------------------------------------------------------------------


def test_preview_shows_the_draft_in_the_families_page(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    page = fever["en"]
    _edit(admin_client, page, title="Fever, new", body="New **advice**.\n\n<script>x()</script>")
    response = admin_client.get(_preview_url(page))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "education/article_detail.html"
    assert "css/immunowatch.css" in body  # the families' stylesheet, not the admin's
    assert '<h1 class="h2">Fever, new</h1>' in body
    assert "New <strong>advice</strong>." in body and "<script>x()" not in body
    assert "Families still see the published page" in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert_headers(response, "preview")
    assert not inline_parts(body)


def test_save_and_preview_goes_to_the_preview(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    response = _edit(admin_client, fever["en"], "_preview", title="Fever, again")
    assert response["Location"] == _preview_url(fever["en"])
    assert "Fever, again" in admin_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "family", "nurse"])
def test_preview_is_for_admins_only(
    reader: str, fever: dict[str, Article], family: User, nurse: User
) -> None:
    page = fever["en"]
    services.save_article(Article(**{**_fields(page), "title": "Secret draft title"}), editor=None)
    user = {"anonymous": None, "family": family, "nurse": nurse}[reader]
    response = client_for(user).get(_preview_url(page))
    assert response.status_code in (302, 404)
    assert "Secret draft title" not in response.content.decode()
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def test_preview_of_an_unknown_page_is_not_found(admin_client: Client) -> None:
    assert admin_client.get(f"{CHANGELIST}999999/preview/").status_code == 404


def _fields(article: Article) -> dict[str, Any]:
    """``article`` as constructor arguments, so that a save goes through the service."""
    names = [f.attname for f in Article._meta.concrete_fields]
    return {name: getattr(article, name) for name in names}


# --- publishing ---------------------------------------------------------------------------------


def test_publishing_changes_flags_the_other_language(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    english, vietnamese = fever["en"], fever["vi"]
    response = _edit(admin_client, english, "_publish", body="New advice.")
    assert response["Location"] == CHANGELIST
    english.refresh_from_db()
    vietnamese.refresh_from_db()
    assert (english.body, english.has_draft, english.needs_review) == ("New advice.", False, False)
    assert vietnamese.needs_review
    assert "New advice." in client_for(None).get("/learn/t-fever/").content.decode()

    listing = admin_client.get(CHANGELIST).content.decode()
    assert "“Fever” is published." in listing
    assert "Check that these pages still say the same: Sốt (Vietnamese)." in listing
    assert "Published, needs review" in listing


def test_publishing_the_page_that_needed_review_clears_it_and_flags_nothing(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    english, vietnamese = fever["en"], fever["vi"]
    _edit(admin_client, english, "_publish", body="New advice.")
    _edit(admin_client, vietnamese, "_publish", body="Lời khuyên mới.")
    english.refresh_from_db()
    vietnamese.refresh_from_db()
    assert (english.needs_review, vietnamese.needs_review) == (False, False)
    assert vietnamese.body == "Lời khuyên mới."


def test_a_translations_change_flags_its_original(fever: dict[str, Article]) -> None:
    vietnamese = fever["vi"]
    vietnamese.summary = "Tóm tắt mới."
    services.save_article(vietnamese)
    assert services.publish_article(vietnamese)
    fever["en"].refresh_from_db()
    assert fever["en"].needs_review


def test_publishing_a_first_draft_flags_nothing(admin_client: Client) -> None:
    original = ArticleFactory.create(slug="t-gums", title="Gums")
    draft = translate(original, status=Status.DRAFT)
    _edit(admin_client, draft, "_publish", title="Lợi")
    draft.refresh_from_db()
    original.refresh_from_db()
    assert (draft.status, draft.title, original.needs_review) == (Status.PUBLISHED, "Lợi", False)


def test_publish_with_nothing_changed_says_so(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    response = _edit(admin_client, fever["en"], "_publish")
    assert "Nothing to publish" in admin_client.get(response["Location"]).content.decode()
    fever["vi"].refresh_from_db()
    assert not fever["vi"].needs_review


def test_the_publish_action_publishes_waiting_changes(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    _edit(admin_client, fever["en"], title="Fever, new")
    response = admin_client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [str(fever["en"].pk)]},
        follow=True,
    )
    assert "1 page published." in response.content.decode()
    fever["en"].refresh_from_db()
    fever["vi"].refresh_from_db()
    assert (fever["en"].title, fever["vi"].needs_review) == ("Fever, new", True)


def test_adding_a_page_and_publishing_it_at_once(admin_client: Client) -> None:
    data = _form(admin_client, ArticleFactory.create(slug="t-model"))
    data.update(title="Mouth sores", slug="t-mouth", translation_of="", _publish="1")
    assert admin_client.post(f"{CHANGELIST}add/", data).status_code == 302
    assert Article.objects.get(slug="t-mouth").status == Status.PUBLISHED


def test_discarding_the_changes_keeps_the_published_page(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    page = fever["en"]
    _edit(admin_client, page, title="Not this")
    discard = f"{CHANGELIST}{page.pk}/discard-draft/"
    assert admin_client.get(discard).status_code == 405
    assert f'action="{discard}"' in (
        admin_client.get(f"{CHANGELIST}{page.pk}/change/").content.decode()
    )
    assert admin_client.post(discard).status_code == 302
    page.refresh_from_db()
    assert (page.title, page.has_draft) == ("Fever", False)


def test_discarding_is_for_admins_only(fever: dict[str, Article], family: User) -> None:
    page = fever["en"]
    page.draft_title, page.draft_saved_at = "Keep me", page.updated_at
    page.save()
    client_for(family).post(f"{CHANGELIST}{page.pk}/discard-draft/")
    page.refresh_from_db()
    assert page.has_draft


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_each_page_with_its_translation(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    ArticleFactory.create(slug="t-a", title="Aaa first")
    ArticleFactory.create(slug="t-z", title="Fever zzz")
    fever["vi"].needs_review = True
    fever["vi"].save()
    response = admin_client.get(CHANGELIST)
    rows = [a.slug for a in response.context["cl"].result_list if a.slug.startswith("t-")]
    assert rows == ["t-a", "t-fever", "t-fever-vi", "t-z"]
    body = response.content.decode()
    assert "↳ Sốt" in body
    assert f'Vietnamese: <a href="{CHANGELIST}{fever["vi"].pk}/change/">Sốt</a>' in body
    assert "(Published, needs review)" in body
    assert "Not translated" in body

    flagged = admin_client.get(CHANGELIST, {"needs_review__exact": "1"})
    assert [a.slug for a in flagged.context["cl"].result_list] == ["t-fever-vi"]


def test_clearing_needs_review(admin_client: Client, fever: dict[str, Article]) -> None:
    fever["vi"].needs_review = True
    fever["vi"].save()
    response = admin_client.post(
        CHANGELIST,
        {"action": "clear_needs_review_selected", "_selected_action": [str(fever["vi"].pk)]},
        follow=True,
    )
    assert "1 page no longer needs review." in response.content.decode()
    fever["vi"].refresh_from_db()
    assert not fever["vi"].needs_review


def test_needs_review_can_be_cleared_in_the_form(
    admin_client: Client, fever: dict[str, Article]
) -> None:
    fever["vi"].needs_review = True
    fever["vi"].save()
    _edit(admin_client, fever["vi"], needs_review="")
    fever["vi"].refresh_from_db()
    assert not fever["vi"].needs_review


def test_waiting_changes_filter_and_status(admin_client: Client, fever: dict[str, Article]) -> None:
    _edit(admin_client, fever["en"], title="Fever, new")
    response = admin_client.get(CHANGELIST, {"changes": "waiting"})
    assert [a.slug for a in response.context["cl"].result_list] == ["t-fever"]
    assert "Published, changes waiting" in response.content.decode()


def test_admin_pages_need_nothing_inline(admin_client: Client, fever: dict[str, Article]) -> None:
    _edit(admin_client, fever["en"], title="Fever, new")
    for url in (
        CHANGELIST,
        f"{CHANGELIST}{fever['en'].pk}/change/",
        "/admin/education/synonymgroup/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert not inline_parts(response.content.decode()), url
