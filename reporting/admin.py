"""Admins set up care teams, nurses and who is on duty. Health records are not edited here."""

from django.contrib import admin

from reporting.models import CaregiverLink, CareTeam, CareTeamMembership, Invitation, Patient


class MembershipInline(admin.TabularInline):
    model = CareTeamMembership
    extra = 1
    autocomplete_fields = ["nurse"]


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
    list_display = ["user", "patient", "relationship"]
    autocomplete_fields = ["user", "patient"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "patient", "relationship", "created_at", "expires_at", "accepted_at"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        # Invitations carry a secret shown once; only the nurse view can create them.
        return False
