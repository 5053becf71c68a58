from django.urls import path

from reporting.views import home, invitations, patients

urlpatterns = [
    path("", home.landing, name="landing"),
    path("home/", home.home, name="home"),
    path("my/", home.family_home, name="family_home"),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("patients/", patients.nurse_home, name="nurse_home"),
    path("patients/new/", patients.patient_enroll, name="patient_enroll"),
    path("patients/<int:patient_id>/", patients.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/invite/", patients.patient_invite, name="patient_invite"),
]
