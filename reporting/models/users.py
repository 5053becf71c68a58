"""The people who sign in: our own user model, with the language messages to them use.

One user model for everyone (families, nurses, admins; roles are groups and `is_staff`), made
ours from the start so that a person's language and the name others see are on the person
(README, "Roles"): notifications, reminders, invitations and password resets are written in
`language`, and pages show `display_name`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    VIETNAMESE = "vi", _("Vietnamese")


def default_language() -> str:
    """The site's language (DJANGO_LANGUAGE_CODE) until the person chooses theirs."""
    code = str(settings.LANGUAGE_CODE).split("-")[0]
    return code if code in Language.values else Language.ENGLISH


class User(AbstractUser):
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("How the name is shown to others, e.g. “Nguyễn Văn Minh”."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Language.choices,
        default=default_language,
        help_text=_("Pages, e-mails and text messages to this person use it."),
    )
    # "Log out everywhere" adds one: every session signed with the old value stops working.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    # AbstractUser.Meta is real at runtime; django-stubs does not declare it.
    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """The display name, else first and last name (Django's own order)."""
        return self.display_name.strip() or super().get_full_name()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash (from the password), with the session generation mixed in
        once "Log out everywhere" was used; unchanged before, so nobody is logged out."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        key_salt = "reporting.User.session_generation"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def name(self) -> str:
        """What others read: the display name, the full name, else the user name."""
        return self.get_full_name() or self.get_username()
