from django.urls import path

from opinion import views

# Mounted at /workbench/publicity/incidents/, where the pages were before 舆情 had its own app, so
# bookmarks, alert links already sent and the dashboard's links keep working.
app_name = "opinion"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("new/", views.IncidentFormView.as_view(), name="incident_create"),
    path("<int:pk>/", views.incident_detail, name="incident_detail"),
    path("<int:pk>/edit/", views.IncidentFormView.as_view(), name="incident_edit"),
    path("<int:pk>/status/", views.incident_transition, name="incident_transition"),
    path("<int:pk>/report/", views.incident_report, name="incident_report"),
]
