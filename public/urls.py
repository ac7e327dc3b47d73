from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("<str:plaque_no>/", views.station_page, name="station"),
    path("<str:plaque_no>/qr.png", views.station_qr, name="station_qr"),
    path("<str:plaque_no>/poster.pdf", views.station_poster, name="station_poster"),
    path("<str:plaque_no>/feedback/", views.station_feedback, name="station_feedback"),
    path("<str:plaque_no>/thanks/", views.station_thanks, name="station_thanks"),
]
