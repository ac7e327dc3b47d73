from django.urls import path

from volunteers import self_service

app_name = "volunteer_self"

urlpatterns = [
    path("<str:token>/", self_service.self_service_page, name="page"),
    path("<str:token>/certificate.pdf", self_service.certificate, name="certificate"),
]
