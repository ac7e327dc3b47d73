from django.urls import path

from instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="instrument_list"),
    path("new/", views.InstrumentFormView.as_view(), name="instrument_create"),
    path("import/", views.InstrumentImportView.as_view(), name="instrument_import"),
    path("<int:pk>/", views.InstrumentDetailView.as_view(), name="instrument_detail"),
    path("<int:pk>/edit/", views.InstrumentFormView.as_view(), name="instrument_edit"),
    path("<int:pk>/<slug:action>/", views.instrument_review, name="instrument_review"),
    path("owners/<int:owner_pk>/contact/", views.owner_contact, name="owner_contact"),
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/from-report/<int:pk>/", views.lead_from_report, name="lead_from_report"),
    path("leads/from-incident/<int:pk>/", views.lead_from_incident, name="lead_from_incident"),
    path("leads/<int:pk>/plan/", views.lead_plan, name="lead_plan"),
    path("leads/<int:pk>/dismiss/", views.lead_dismiss, name="lead_dismiss"),
]
