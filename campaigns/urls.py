from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="workbench"),
    path("tasks/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("tasks/<int:pk>/<slug:to_status>/", views.assignment_transition, name="assignment_transition"),
]
