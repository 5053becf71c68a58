"""Admins keep the education pages here: edit, preview, publish, review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from education import services
from education.models import Article
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
            "status",
            "summary",
            "body",
            "topic",
            "audience",
            "symptom_codes",
            "last_reviewed",
            "next_review_due",
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "language",
        "topic",
        "audience",
        "status",
        "next_review_due",
        "review_up_to_date",
    )
    list_filter = (ReviewDueFilter, "status", "language", "topic", "audience")
    list_select_related = ("translation_of",)
    search_fields = ("title", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("author",)
    readonly_fields = ("preview", "translation_links", "created_at", "updated_at")
    actions = ("publish_selected", "unpublish_selected", "mark_reviewed_today")
    fieldsets = (
        (None, {"fields": ("title", "slug", "language", "translation_of", "status")}),
        (_("Content"), {"fields": ("summary", "body", "preview")}),
        (_("Where it is shown"), {"fields": ("topic", "audience", "symptom_codes")}),
        (_("Review"), {"fields": ("last_reviewed", "next_review_due", "author")}),
        (_("History"), {"fields": ("translation_links", "created_at", "updated_at")}),
    )

    def view_on_site(self, obj: Article) -> str:
        # Exactly this version (drafts too, for staff), not the admin's language's.
        return f"{obj.get_absolute_url()}?{AS_IS_PARAMETER}=1"

    @admin.display(boolean=True, description=_("review up to date"))
    def review_up_to_date(self, obj: Article) -> bool:
        return not obj.is_past_review

    @admin.display(description=_("preview (as families see it; save to update)"))
    def preview(self, obj: Article) -> SafeString | str:
        if obj.pk is None:
            return gettext("Save the page to see a preview.")
        return format_html(
            '<div lang="{}" style="max-width:40rem;border:1px solid #ccc;padding:1rem;">{}</div>',
            obj.language,
            obj.safe_body_html,
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

    @admin.action(description=_("Publish selected pages"), permissions=["change"])
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
