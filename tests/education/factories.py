"""factory_boy factories for education pages."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from education.models import Article, Audience, Language, Status, Topic


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    """A published English families' page; pass ``translation_of=`` for a translation."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    language = Language.EN
    topic = Topic.SYMPTOMS
    summary = factory.LazyAttribute(lambda a: f"Summary of {a.title}.")
    body = "Plain words about it."
    symptom_codes = factory.LazyFunction(list)
    audience = Audience.FAMILIES
    status = Status.PUBLISHED
    last_reviewed = factory.LazyFunction(timezone.localdate)
    next_review_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


def translate(original: Article, **fields: object) -> Article:
    """A published Vietnamese translation of ``original``, following its topic and symptoms."""
    defaults: dict[str, object] = {
        "title": f"{original.title} (vi)",
        "slug": f"{original.slug}-vi",
        "language": Language.VI,
        "translation_of": original,
        "topic": original.topic,
        "symptom_codes": list(original.symptom_codes),
        "audience": original.audience,
    }
    return ArticleFactory.create(**{**defaults, **fields})
