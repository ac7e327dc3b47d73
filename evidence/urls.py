from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("<int:pk>/", views.photo_image, name="image"),
    path("<int:pk>/thumb/", views.photo_thumbnail, name="thumbnail"),
    path("pending/", views.pending_upload, name="pending_upload"),
    path("pending/<str:token>/thumb/", views.pending_thumbnail, name="pending_thumbnail"),
]
