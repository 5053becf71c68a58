"""A signed-in person's language follows them from device to device (README, "For families").

At the first request of a sign-in their account's language is used (and set in the
language cookie), unless they chose one on this device just before signing in: that choice
is then saved on their account. Switching language while signed in saves it on the account
too. Messages to them (e-mail, SMS) use the account's language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from reporting.models import Language, User

# Session keys: the language a sign-in was given, and a choice made before signing in.
APPLIED = "_account_language"
CHOSEN = "_language_chosen"


def _save(user: User, language: str) -> None:
    if language in Language.values and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


class AccountLanguageMiddleware:
    """After authentication: give a new sign-in the account's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.session.get(APPLIED):
            return self.get_response(request)
        assert isinstance(user, User)
        chosen = request.session.pop(CHOSEN, None)
        if chosen:
            _save(user, chosen)
        language = chosen or user.language
        request.session[APPLIED] = language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switch; signed in, the choice is saved on the account, and before
    signing in it is kept for the sign-in that follows."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in Language.values:
        if request.user.is_authenticated:
            assert isinstance(request.user, User)
            _save(request.user, language)
            request.session[APPLIED] = language
        else:
            request.session[CHOSEN] = language
    return response
