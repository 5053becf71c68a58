"""Patient-education pages that admins keep, in English and Vietnamese."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from education.rendering import render_markdown, sanitize_html
from education.textsearch import search_text, synonym_phrases
from reporting.triage import CATALOGUE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ORIGINAL_LANGUAGE = "en"


class Language(models.TextChoices):
    EN = "en", _("English")
    VI = "vi", _("Vietnamese")


class Audience(models.TextChoices):
    FAMILIES = "families", _("Patients and families")
    STAFF = "staff", _("Staff")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Topic(models.TextChoices):
    # Declaration order is the order of the sections on /learn/.
    ABOUT_TREATMENT = "about_treatment", _("About immunotherapy")
    WHEN_TO_CALL = "when_to_call", _("When to call")
    SYMPTOMS = "symptoms", _("Symptoms")
    OTHER = "other", _("Other topics")


# What families read, so what a draft of a published page holds: (live field, draft field).
DRAFTED_FIELDS = (("title", "draft_title"), ("summary", "draft_summary"), ("body", "draft_body"))
TOPIC_ORDER: dict[str, int] = {value: index for index, value in enumerate(Topic.values)}
REVIEW_INTERVAL_MONTHS = 12


def one_review_interval_after(day: dt.date) -> dt.date:
    """The date a page reviewed on ``day`` is due again (29 February falls back to the 28th)."""
    years, month_index = divmod(day.month - 1 + REVIEW_INTERVAL_MONTHS, 12)
    year, month = day.year + years, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def default_next_review() -> dt.date:
    return one_review_interval_after(timezone.localdate())


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def originals(self) -> ArticleQuerySet:
        return self.filter(translation_of__isnull=True)

    def versions_of_pages(self, original_ids: Iterable[int]) -> ArticleQuerySet:
        """Every language's version of the pages whose originals have these ids."""
        ids = list(original_ids)
        return self.filter(Q(pk__in=ids) | Q(translation_of_id__in=ids))

    def past_review(self, today: dt.date | None = None) -> ArticleQuerySet:
        return self.filter(next_review_due__lt=today or timezone.localdate())


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_(
            "The last part of the page address, e.g. fever for /learn/fever/. A translation "
            "has its own, e.g. fever-vi."
        ),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.PROTECT,  # deleting an original must not silently drop its translations
        null=True,
        blank=True,
        related_name="translations",
        help_text=_(
            "Leave empty for an original. A translation follows its original's topic, "
            "symptoms and audience."
        ),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two plain sentences shown in lists.")
    )
    body = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(_("body (sanitized HTML)"), editable=False, default="")
    symptom_codes = models.JSONField(
        _("symptoms"),
        default=list,
        blank=True,
        help_text=_("The catalogue symptoms this page is about; linked from their reports."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.FAMILIES
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    next_review_due = models.DateField(_("next review due"), default=default_next_review)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="education_articles",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # A published page's edits wait here until an admin publishes them (services.publish):
    # families keep reading title, summary and body meanwhile.
    draft_title = models.CharField(_("draft title"), max_length=200, blank=True, default="")
    draft_summary = models.CharField(_("draft summary"), max_length=300, blank=True, default="")
    draft_body = models.TextField(_("draft body (Markdown)"), blank=True, default="")
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True, editable=False)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_(
            "Set when the page in another language was published with changes: check that "
            "this page still says the same, then clear it."
        ),
    )
    # The words of title, summary and body without case or accents (education.textsearch),
    # kept in step by save(): the search where PostgreSQL's unaccent is missing (SQLite).
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("education page")
        verbose_name_plural = _("education pages")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=models.Q(translation_of__isnull=False),
                name="education_one_translation_per_language",
            ),
            models.CheckConstraint(
                condition=models.Q(next_review_due__gte=models.F("last_reviewed")),
                name="education_review_due_after_last_review",
            ),
        ]
        indexes = [models.Index(fields=["status", "audience"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rendered at every save so that the stored HTML always matches the Markdown.
        self.body_html = render_markdown(self.body)
        self.search_title = search_text(self.title)
        self.search_summary = search_text(self.summary)
        self.search_body = search_text(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {name for source, name in _DERIVED_FIELDS if source in update_fields}
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("education:article_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[StrOrPromise]] = {}
        errors.update(_symptom_code_errors(self.symptom_codes))
        errors.update(_translation_errors(self))
        last, due = self.last_reviewed, self.next_review_due
        if last and due and due < last:
            errors["next_review_due"] = [_("The next review cannot be before the last review.")]
        if errors:
            raise ValidationError(errors)

    @property
    def original(self) -> Article:
        return self.translation_of or self

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def has_draft(self) -> bool:
        """Edits of a published page that families do not see yet."""
        return self.draft_saved_at is not None

    def text_to_publish(self) -> dict[str, str]:
        """Title, summary and body as they would be once published: the draft, if any."""
        if not self.has_draft:
            return {live: getattr(self, live) for live, _draft in DRAFTED_FIELDS}
        return {live: getattr(self, draft) for live, draft in DRAFTED_FIELDS}

    @property
    def is_past_review(self) -> bool:
        return self.next_review_due < timezone.localdate()

    @property
    def safe_body_html(self) -> SafeString:
        # Sanitized again on display: rows written around save() (bulk_update, SQL, a data
        # migration) must not reach a browser unsanitized. nh3 takes microseconds.
        html = self.body_html or render_markdown(self.body)
        return mark_safe(sanitize_html(html))  # noqa: S308 - sanitized on the line above


# (field, what save() derives from it)
_DERIVED_FIELDS = (
    ("body", "body_html"),
    ("title", "search_title"),
    ("summary", "search_summary"),
    ("body", "search_body"),
)


class SynonymGroup(models.Model):
    """Words that mean the same to the search on /learn/, in any of our languages."""

    terms = models.TextField(
        _("words that mean the same"),
        help_text=_(
            "Separate them with commas, e.g. tiêu chảy, ỉa chảy, đi ngoài, diarrhoea. A search "
            "for any of them finds pages with any of them. Capitals and accents do not matter."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonym groups")

    def __str__(self) -> str:
        return self.terms.replace("\n", ", ")[:80]

    def clean(self) -> None:
        super().clean()
        if not synonym_phrases([self.terms]):
            raise ValidationError(
                {"terms": [_("Give at least two different words or phrases, with commas between.")]}
            )


def _symptom_code_errors(codes: Any) -> dict[str, list[StrOrPromise]]:
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        return {"symptom_codes": [_("Give a list of symptom codes.")]}
    unknown = sorted({code for code in codes if code not in CATALOGUE})
    if unknown:
        message = _("Unknown symptom codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        return {"symptom_codes": [message]}
    if len(set(codes)) != len(codes):
        return {"symptom_codes": [_("Each symptom may appear only once.")]}
    return {}


def _translation_errors(article: Article) -> dict[str, list[StrOrPromise]]:
    original = article.translation_of
    if original is None:
        return {}
    if original.pk is not None and original.pk == article.pk:
        return {"translation_of": [_("A page cannot be a translation of itself.")]}
    if original.translation_of_id is not None:
        return {"translation_of": [_("Choose the original page, not another translation.")]}
    if original.language == article.language:
        return {"language": [_("A translation must be in another language than its original.")]}
    if article.pk is not None and article.translations.exists():
        return {"translation_of": [_("This page has translations, so it must stay an original.")]}
    return {}
