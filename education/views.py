"""/learn/: public education pages (not health data, so no log-in needed)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from education import selectors
from education.models import Article

# `?as_is=1` shows the very version asked for: links between versions and the admin's
# "view on site" use it so that a reader can choose the other language on purpose.
AS_IS_PARAMETER = "as_is"


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    language = selectors.normalize_language(get_language())
    query = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    context: dict[str, object] = {"query": query}
    if query:
        context["results"] = selectors.search_articles(request.user, query, language)
    else:
        context["sections"] = selectors.articles_by_topic(request.user, language)
    return render(request, "education/article_list.html", context)


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = selectors.normalize_language(get_language())
    article = selectors.visible_articles(request.user).filter(slug=slug).first()
    if article is None:
        raise Http404
    if not request.GET.get(AS_IS_PARAMETER):
        preferred = selectors.version_in_language(article, request.user, language)
        if preferred is not None and preferred.pk != article.pk:
            return redirect(preferred)
    return _render_article(request, article, language)


def _render_article(
    request: HttpRequest, article: Article, language: str, **extra: object
) -> HttpResponse:
    versions = selectors.versions_of(article, request.user)
    context = {
        "article": article,
        "other_versions": [version for version in versions if version.pk != article.pk],
        "not_translated": article.language != language,
        "as_is_parameter": AS_IS_PARAMETER,
        **extra,
    }
    return render(request, "education/article_detail.html", context)


def article_preview(request: HttpRequest, article: Article, *, edit_url: str) -> HttpResponse:
    """``article`` with its unpublished changes, in the families' page and stylesheet.

    Only for the admin (education.admin wraps it in the admin's log-in and permission
    checks); never indexed or cached.
    """
    language = selectors.normalize_language(get_language())
    preview = selectors.draft_preview(article)
    response = _render_article(request, preview, language, preview=True, edit_url=edit_url)
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response
