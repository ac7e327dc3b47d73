from django.urls import path

from campaigns import notice_views

# Included from campaigns/urls.py (app_name "campaigns").
urlpatterns = [
    path("plan/import/", notice_views.notice_import, name="notice_import"),
]
