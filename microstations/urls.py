from django.urls import path

from microstations import views

app_name = "microstations"

urlpatterns = [
    path("stations/", views.StationListView.as_view(), name="station_list"),
    path("stations/<int:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path("stations/<int:pk>/stage/", views.station_set_stage, name="station_set_stage"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityFormView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/<slug:action>/", views.activity_review, name="activity_review"),
]
