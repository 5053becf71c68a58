"""Admins set up care teams, nurses and who is on duty. Health records are not edited here."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from reporting.models import (
    CaregiverLink,
    CareTeam,
    CareTeamMembership,
    Invitation,
    Notification,
    Patient,
    ReferenceRange,
    User,
)
from reporting.triage import LAB_CATALOGUE


class MembershipInline(admin.TabularInline):
    model = CareTeamMembership
    extra = 1
    autocomplete_fields = ["nurse"]


@admin.register(User)
class ImmunoWatchUserAdmin(UserAdmin):
    """Django's user admin, with the display name and the language messages use."""

    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # a tuple; the stubs have ModelAdmin's Optional
        (_("ImmunoWatch"), {"fields": ("display_name", "language")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("ImmunoWatch"), {"fields": ("display_name", "language")}),
    )
    list_display = ("username", "display_name", "email", "language", "is_staff", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")


@admin.register(ReferenceRange)
class ReferenceRangeAdmin(admin.ModelAdmin):
    """This hospital's reference limits: the nurse's lab form is pre-filled from them."""

    list_display = ("test", "unit", "lln", "uln")
    list_filter = ("test",)
    ordering = ("test", "unit")

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        units = sorted({unit for test in LAB_CATALOGUE.values() for unit in test.unit_codes})
        form.base_fields["unit"].widget = forms.Select(choices=[(u, u) for u in units])
        return form


@admin.register(CareTeam)
class CareTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "escalation_contact"]
    search_fields = ["name"]
    inlines = [MembershipInline]
    autocomplete_fields = ["escalation_contact"]


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["full_name", "hospital_number", "care_team"]
    list_filter = ["care_team"]
    search_fields = ["full_name", "hospital_number"]


@admin.register(CaregiverLink)
class CaregiverLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "patient", "relationship", "reminder_channel"]
    autocomplete_fields = ["user", "patient"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "patient", "relationship", "created_at", "expires_at", "accepted_at"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        # Invitations carry a secret shown once; only the nurse view can create them.
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the alerts services and delivered by the workers."""

    list_display = [
        "pk",
        "purpose",
        "channel",
        "status",
        "attempts",
        "care_team",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "purpose", "care_team"]
    search_fields = ["idempotency_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
