from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.ProgressView.as_view(), name="progress"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityFormView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/<slug:action>/", views.activity_review, name="activity_review"),
    path("news/", views.NewsListView.as_view(), name="news_list"),
    path("news/new/", views.NewsFormView.as_view(), name="news_create"),
    path("news/ranking/", views.NewsRankingView.as_view(), name="news_ranking"),
    path("news/<int:pk>/", views.NewsDetailView.as_view(), name="news_detail"),
    path("news/<int:pk>/edit/", views.NewsFormView.as_view(), name="news_edit"),
    path("news/<int:pk>/adoptions/", views.NewsAdoptView.as_view(), name="news_adopt"),
    path("news/<int:pk>/<slug:action>/", views.news_review, name="news_review"),
]
