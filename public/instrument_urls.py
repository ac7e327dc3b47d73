from django.urls import path

from public import instrument_views

app_name = "public_instruments"

urlpatterns = [
    path("due/", instrument_views.due_list, name="due_list"),
    path("due.xlsx", instrument_views.due_list_download, name="due_list_xlsx"),
    path("labels/<int:owner_pk>.pdf", instrument_views.owner_labels, name="owner_labels"),
    path("<str:code>/", instrument_views.instrument_page, name="instrument"),
    path("<str:code>/qr.png", instrument_views.instrument_qr, name="instrument_qr"),
    path("<str:code>/report/", instrument_views.instrument_report, name="report"),
    path("<str:code>/rate/", instrument_views.instrument_rate, name="rate"),
    path("<str:code>/thanks/", instrument_views.instrument_thanks, name="thanks"),
]
