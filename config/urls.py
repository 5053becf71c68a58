from django.contrib import admin
from django.urls import include, path

from reporting.language import language_switch
from reporting.views import accounts, health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Before Django's own: a signed-in person's choice is saved on their account.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before Django's own: the reset e-mail goes through the notification outbox, in the
    # person's language (reporting.forms.OutboxPasswordResetForm), throttled per address.
    path(
        "accounts/password_reset/",
        accounts.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/two-factor/", accounts.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/code/", accounts.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/backup-codes/",
        accounts.backup_codes_renew,
        name="backup_codes_renew",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("learn/", include("education.urls")),
    path("", include("reporting.urls")),
]


handler500 = "reporting.views.errors.server_error"
