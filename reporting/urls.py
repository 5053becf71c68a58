from django.urls import path

from reporting.views import checkins, cycles, dashboard, home, invitations, labs, patients, quality
from reporting.views import reports as report_views

urlpatterns = [
    path("", home.landing, name="landing"),
    path("home/", home.home, name="home"),
    path("my/", home.family_home, name="family_home"),
    # The e-mailed link moves its token into the session; the form is at a token-free URL.
    path("invite/accept/", invitations.invitation_accept, name="invitation_accept"),
    path("invite/<str:token>/", invitations.invitation_link, name="invitation_link"),
    path("patients/", patients.nurse_home, name="nurse_home"),
    path("patients/new/", patients.patient_enroll, name="patient_enroll"),
    path("patients/<int:patient_id>/", patients.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/invite/", patients.patient_invite, name="patient_invite"),
    path(
        "patients/<int:patient_id>/invitations/<int:invitation_id>/sent/",
        patients.invitation_sent,
        name="invitation_sent",
    ),
    path("report/new/", report_views.report_new, name="report_new"),
    path("reports/<int:report_id>/", report_views.report_result, name="report_result"),
    path(
        "patients/<int:patient_id>/history/", report_views.patient_history, name="patient_history"
    ),
    # The nurse dashboard (reporting/views/dashboard.py): nurses only, care-team scoped.
    path("triage/", dashboard.triage_queue, name="triage_queue"),
    path("triage/missed/", dashboard.missed_checkins_list, name="missed_checkins"),
    path("triage/quality/", quality.quality, name="quality"),
    path("triage/quality.csv", quality.quality_csv, name="quality_csv"),
    path("triage/alerts/<int:alert_id>/", dashboard.alert_detail, name="alert_detail"),
    path("triage/alerts/<int:alert_id>/act/", dashboard.alert_act, name="alert_act"),
    path("triage/patients/<int:patient_id>/", dashboard.nurse_patient, name="nurse_patient"),
    path("triage/patients/<int:patient_id>/labs/new/", labs.lab_panel_new, name="lab_panel_new"),
    path(
        "triage/patients/<int:patient_id>/baseline/", labs.baseline_choose, name="baseline_choose"
    ),
    path(
        "triage/patients/<int:patient_id>/cycles/",
        cycles.treatment_cycles,
        name="treatment_cycles",
    ),
    path(
        "triage/patients/<int:patient_id>/cycles/next/",
        cycles.next_infusion_plan,
        name="next_infusion_plan",
    ),
    path(
        "triage/patients/<int:patient_id>/snooze/",
        dashboard.snooze_create,
        name="snooze_create",
    ),
    path("triage/snoozes/<int:snooze_id>/cancel/", dashboard.snooze_cancel, name="snooze_cancel"),
    path(
        "triage/patients/<int:patient_id>/calls/",
        checkins.checkin_call_create,
        name="checkin_call_create",
    ),
]
