"""Admins set up care teams, nurses and who is on duty. Health records are not edited here.

The audit trail is read here (README, "Audit trail"): access records and the change history
of clinical records, searchable by patient and by user, never editable.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import (
    AccessRecord,
    Alert,
    BaselineChoice,
    CaregiverLink,
    CareTeam,
    CareTeamMembership,
    CheckinCall,
    Infusion,
    Invitation,
    Notification,
    Patient,
    ReferenceRange,
    Snooze,
    User,
)
from reporting.security.audit import What, access_record
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
    actions = ["log_out_everywhere", "reset_two_factor"]

    @admin.action(description=_("Log out everywhere"))
    def log_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Every session of these users stops working at its next request (their session
        hash changes; reporting.models.User)."""
        count = queryset.update(session_generation=F("session_generation") + 1)
        self.message_user(
            request,
            ngettext(
                "%(count)d user was logged out everywhere.",
                "%(count)d users were logged out everywhere.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Remove their authenticator apps and backup codes and end their sessions: they set
        up a new app at their next log-in."""
        TOTPDevice.objects.filter(user__in=queryset).delete()
        StaticDevice.objects.filter(user__in=queryset).delete()
        count = queryset.update(session_generation=F("session_generation") + 1)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d user.",
                "Two-factor sign-in was reset for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


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
class CareTeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "escalation_contact"]
    search_fields = ["name"]
    inlines = [MembershipInline]
    autocomplete_fields = ["escalation_contact"]


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "hospital_number", "care_team"]
    list_filter = ["care_team"]
    search_fields = ["full_name", "hospital_number"]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        patient = Patient.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if patient is not None and response.status_code == 200:
            access_record(request, patient=patient, what=What.PATIENT_ADMIN)
        return response


@admin.register(CaregiverLink)
class CaregiverLinkAdmin(SimpleHistoryAdmin):
    list_display = ["user", "patient", "relationship", "reminder_channel"]
    autocomplete_fields = ["user", "patient"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail: readable by admins, changed by nobody."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "hospital_number", "what", "object_id", "address"]
    list_filter = ["what"]
    search_fields = ["=hospital_number", "patient__full_name", "=username"]
    date_hierarchy = "at"
    list_select_related = False


def _history_admin(model: Any, search: list[str]) -> None:
    """A read-only list of one model's change history: who, when, what kind of change."""
    history = model.history.model
    admin_class = type(
        f"{history.__name__}Admin",
        (ReadOnlyAdmin,),
        {
            "list_display": ["history_date", "history_user", "history_type", "__str__"],
            "list_filter": ["history_type"],
            "search_fields": [*search, "history_user__username"],
            "date_hierarchy": "history_date",
            "list_select_related": ["history_user"],
        },
    )
    admin.site.register(history, admin_class)


for _model, _search in [
    (Patient, ["=hospital_number", "full_name"]),
    (CareTeam, ["name"]),
    (CareTeamMembership, ["nurse__username", "care_team__name"]),
    (CaregiverLink, ["=patient__hospital_number", "user__username"]),
    (Invitation, ["=patient__hospital_number"]),
    (Snooze, ["=patient__hospital_number"]),
    (BaselineChoice, ["=patient__hospital_number"]),
    (Infusion, ["=patient__hospital_number"]),
    (Alert, ["=patient__hospital_number"]),
    (CheckinCall, ["=patient__hospital_number"]),
]:
    _history_admin(_model, _search)
