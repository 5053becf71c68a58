"""Admins keep the education pages here: edit, preview, publish, review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from education import selectors, services, views
from education.models import Article, SynonymGroup
from education.views import AS_IS_PARAMETER
from reporting.triage import CATALOGUE

REVIEW_SOON_DAYS = 30


def symptom_choices() -> list[tuple[str, str]]:
    # Called per form, so the labels come in the admin's language; labels, not codes.
    return [(code, gettext(symptom.label)) for code, symptom in CATALOGUE.items()]


class ArticleAdminForm(forms.ModelForm):
    symptom_codes = forms.MultipleChoiceField(
        label=_("Symptoms"),
        choices=symptom_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Reports of these symptoms link to this page. A translation takes its original's."
        ),
    )

    class Meta:
        model = Article
        fields = (
            "title",
            "slug",
            "language",
            "translation_of",
            "summary",
            "body",
            "topic",
            "audience",
            "symptom_codes",
            "last_reviewed",
            "next_review_due",
            "needs_review",
            "author",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("translation_of")
        if isinstance(field, forms.ModelChoiceField):
            # Only originals can be translated; a page is never its own translation.
            originals = Article.objects.originals()
            if self.instance.pk is not None:
                originals = originals.exclude(pk=self.instance.pk)
            field.queryset = originals
        if self.instance.pk is not None and not self.is_bound:
            # A published page is edited through its draft: the admin goes on from there.
            self.initial.update(self.instance.text_to_publish())


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("past", _("Past review date")),
            ("soon", _("Due within %(days)d days") % {"days": REVIEW_SOON_DAYS}),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        today = timezone.localdate()
        if self.value() == "past":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + dt.timedelta(days=REVIEW_SOON_DAYS),
            )
        return queryset


class UnpublishedChangesFilter(admin.SimpleListFilter):
    title = _("unpublished changes")
    parameter_name = "changes"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("waiting", _("Published, with changes waiting"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "waiting":
            return queryset.filter(draft_saved_at__isnull=False)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "page_title",
        "language",
        "publication_state",
        "review_flag",
        "other_versions",
        "next_review_due",
        "review_up_to_date",
    )
    list_filter = (
        ReviewDueFilter,
        "status",
        UnpublishedChangesFilter,
        "needs_review",
        "language",
        "topic",
        "audience",
    )
    list_select_related = ("translation_of",)
    # Each page followed by its translations, pages by their original's title. Django takes
    # expressions here (as in Meta.ordering); django-stubs knows only names.
    ordering = (  # type: ignore[assignment]
        Lower(Coalesce("translation_of__title", "title")),
        Coalesce("translation_of_id", "id"),
        F("translation_of_id").asc(nulls_first=True),
        "pk",
    )
    search_fields = ("title", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("author",)
    readonly_fields = (
        "publication",
        "preview",
        "translation_links",
        "created_at",
        "updated_at",
    )
    actions = (
        "publish_selected",
        "unpublish_selected",
        "mark_reviewed_today",
        "clear_needs_review_selected",
    )
    fieldsets = (
        (None, {"fields": ("publication", "title", "slug", "language", "translation_of")}),
        (_("Content"), {"fields": ("summary", "body", "preview")}),
        (_("Where it is shown"), {"fields": ("topic", "audience", "symptom_codes")}),
        (_("Review"), {"fields": ("last_reviewed", "next_review_due", "needs_review", "author")}),
        (_("History"), {"fields": ("translation_links", "created_at", "updated_at")}),
    )

    class Media:
        css = {"all": ("css/education-admin.css",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("translations", "translation_of__translations")
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        own = [
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="education_article_preview",
            ),
            path(
                "<path:object_id>/discard-draft/",
                wrap(require_POST(self.discard_draft_view)),
                name="education_article_discard_draft",
            ),
        ]
        return own + super().get_urls()

    def view_on_site(self, obj: Article) -> str:
        # Exactly this version (drafts too, for staff), not the admin's language's.
        return f"{obj.get_absolute_url()}?{AS_IS_PARAMETER}=1"

    # --- list columns -----------------------------------------------------------------------

    @admin.display(description=_("title"), ordering="title")
    def page_title(self, obj: Article) -> str:
        # A translation sits under its original: the arrow says so.
        return f"↳ {obj.title}" if obj.translation_of_id else obj.title

    @admin.display(description=_("status"), ordering="status")
    def publication_state(self, obj: Article) -> str:
        if obj.is_published and obj.has_draft:
            return gettext("Published, changes waiting")
        return str(obj.get_status_display())

    @admin.display(description=_("needs review"), ordering="needs_review")
    def review_flag(self, obj: Article) -> str:
        # Words only where it needs doing: a column of red crosses would read as alarms.
        return gettext("Needs review") if obj.needs_review else ""

    @admin.display(description=_("other languages"))
    def other_versions(self, obj: Article) -> SafeString | str:
        rows = []
        for version in _other_versions(obj):
            state = version.get_status_display()
            if version.needs_review:
                state = f"{state}, {gettext('needs review')}"
            url = reverse("admin:education_article_change", args=[version.pk])
            rows.append((version.get_language_display(), url, version.title, state))
        html = format_html_join("<br>", '{}: <a href="{}">{}</a> ({})', rows)
        return html or gettext("Not translated")

    @admin.display(boolean=True, description=_("review up to date"))
    def review_up_to_date(self, obj: Article) -> bool:
        return not obj.is_past_review

    # --- change form --------------------------------------------------------------------------

    @admin.display(description=_("publication"))
    def publication(self, obj: Article) -> str:
        if obj.pk is None:
            return gettext("A new page starts as a draft: save it, preview it, then publish it.")
        if not obj.is_published:
            return gettext(
                "Draft: only staff can see this page. “Save and publish” shows it to families."
            )
        if obj.has_draft:
            return gettext(
                "Published, with changes waiting: families still see the published page. "
                "Below are your changes. Preview them, then “Save and publish”."
            )
        return gettext(
            "Published. Changes to the title, summary and body are kept as a draft until "
            "you publish them; the other fields change at once."
        )

    @admin.display(description=_("preview (as families see it; save to update)"))
    def preview(self, obj: Article) -> SafeString | str:
        if obj.pk is None:
            return gettext("Save the page to see a preview.")
        return format_html(
            '<div lang="{}" class="education-preview">{}</div>',
            obj.language,
            selectors.draft_preview(obj).safe_body_html,
        )

    @admin.display(description=_("translations"))
    def translation_links(self, obj: Article) -> SafeString | str:
        if obj.pk is None:
            return "-"
        rows = (
            (reverse("admin:education_article_change", args=[t.pk]), t.get_language_display())
            for t in obj.translations.all()
        )
        return format_html_join(", ", '<a href="{}">{}</a>', rows) or "-"

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        services.save_article(obj, editor=request.user)

    def response_add(
        self, request: HttpRequest, obj: Article, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self._after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: Article) -> HttpResponse:
        response = self._after_save(request, obj)
        if response is not None:
            return response
        if obj.is_published and obj.has_draft:
            # Saved as a draft: stay, so that the admin can preview and publish it.
            self.message_user(
                request,
                gettext("Draft saved. Families still see the published page until you publish it."),
                messages.WARNING,
            )
            return HttpResponseRedirect(_change_url(obj))
        return super().response_change(request, obj)

    def _after_save(self, request: HttpRequest, obj: Article) -> HttpResponse | None:
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("admin:education_article_preview", args=[obj.pk]))
        if "_publish" in request.POST:
            self._publish_one(request, obj)
            return HttpResponseRedirect(reverse("admin:education_article_changelist"))
        return None

    def _publish_one(self, request: HttpRequest, obj: Article) -> None:
        if not services.publish_article(obj):
            self.message_user(request, gettext("Nothing to publish: no changes."), messages.INFO)
            return
        self.message_user(
            request, gettext("“%(title)s” is published.") % {"title": obj.title}, messages.SUCCESS
        )
        flagged = [v for v in services.other_versions(obj) if v.needs_review]
        if flagged:
            names = ", ".join(f"{v.title} ({v.get_language_display()})" for v in flagged)
            self.message_user(
                request,
                gettext("Check that these pages still say the same: %(pages)s.") % {"pages": names},
                messages.WARNING,
            )

    # --- preview and discarding a draft ---------------------------------------------------------

    def _article_or_404(self, request: HttpRequest, object_id: str) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        return article

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._article_or_404(request, object_id)
        return views.article_preview(request, article, edit_url=_change_url(article))

    def discard_draft_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise Http404
        if services.discard_draft(article):
            self.message_user(
                request,
                gettext("Changes discarded: the page is as families see it."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(_change_url(article))

    # --- actions --------------------------------------------------------------------------------

    @admin.action(
        description=_("Publish selected pages (with their waiting changes)"),
        permissions=["change"],
    )
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = services.publish(queryset)
        message = ngettext("%(count)d page published.", "%(count)d pages published.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish selected pages (back to draft)"), permissions=["change"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = services.unpublish(queryset)
        message = ngettext(
            "%(count)d page is now a draft.", "%(count)d pages are now drafts.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark selected pages as reviewed today"), permissions=["change"])
    def mark_reviewed_today(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = services.mark_reviewed(queryset)
        message = ngettext(
            "%(count)d page marked as reviewed.", "%(count)d pages marked as reviewed.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Clear “needs review”: checked against the other language"),
        permissions=["change"],
    )
    def clear_needs_review_selected(
        self, request: HttpRequest, queryset: QuerySet[Article]
    ) -> None:
        count = services.clear_needs_review(queryset)
        message = ngettext(
            "%(count)d page no longer needs review.",
            "%(count)d pages no longer need review.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


def _change_url(article: Article) -> str:
    return reverse("admin:education_article_change", args=[article.pk])


def _other_versions(article: Article) -> list[Article]:
    """The other languages' versions of ``article``'s page, from the prefetched rows."""
    if article.translation_of is not None:
        original = article.translation_of
        siblings = [original, *original.translations.all()]
    else:
        siblings = list(article.translations.all())
    return sorted((v for v in siblings if v.pk != article.pk), key=lambda v: v.language)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("terms", "note")
    search_fields = ("terms", "note")
