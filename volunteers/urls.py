from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.VolunteerListView.as_view(), name="volunteer_list"),
    path("new/", views.VolunteerCreateView.as_view(), name="volunteer_create"),
    path("<int:pk>/", views.VolunteerUpdateView.as_view(), name="volunteer_edit"),
]
