from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("new/", views.InspectionFormView.as_view(), name="inspection_create"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/edit/", views.InspectionFormView.as_view(), name="inspection_edit"),
    path("<int:pk>/follow-up/<slug:action>/", views.inspection_follow_up, name="inspection_follow_up"),
    path("<int:pk>/<slug:action>/", views.inspection_review, name="inspection_review"),
]
