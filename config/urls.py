from django.contrib import admin
from django.urls import include, path

from reporting.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("learn/", include("education.urls")),
    path("", include("reporting.urls")),
]


handler500 = "reporting.views.errors.server_error"
