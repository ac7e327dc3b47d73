from django.urls import path

from organizations import otp_views

app_name = "organizations"

urlpatterns = [
    path("verify/", otp_views.otp_verify, name="otp_verify"),
    path("setup/", otp_views.otp_setup, name="otp_setup"),
]
