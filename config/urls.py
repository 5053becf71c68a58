from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reporting.forms import OutboxPasswordResetForm
from reporting.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before Django's own: the reset e-mail goes through the notification outbox, in the
    # person's language (reporting.forms.OutboxPasswordResetForm).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("learn/", include("education.urls")),
    path("", include("reporting.urls")),
]


handler500 = "reporting.views.errors.server_error"
