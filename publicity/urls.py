from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.ProgressView.as_view(), name="progress"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/<slug:action>/", views.activity_review, name="activity_review"),
    path("news/", views.NewsListView.as_view(), name="news_list"),
    path("news/new/", views.NewsCreateView.as_view(), name="news_create"),
    path("news/ranking/", views.NewsRankingView.as_view(), name="news_ranking"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("news/<int:pk>/edit/", views.NewsUpdateView.as_view(), name="news_edit"),
    path("news/<int:pk>/adoptions/", views.news_adopt, name="news_adopt"),
    path("news/<int:pk>/<slug:action>/", views.news_review, name="news_review"),
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.IncidentUpdateView.as_view(), name="incident_edit"),
    path("incidents/<int:pk>/status/", views.incident_transition, name="incident_transition"),
    path("incidents/<int:pk>/report/", views.incident_report, name="incident_report"),
]
