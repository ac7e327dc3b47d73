from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.VolunteerListView.as_view(), name="volunteer_list"),
    path("new/", views.VolunteerCreateView.as_view(), name="volunteer_create"),
    path("<int:pk>/", views.VolunteerUpdateView.as_view(), name="volunteer_edit"),
    path("<int:pk>/link/", views.link_issue, name="link_issue"),
    path("<int:pk>/link/revoke/", views.link_revoke, name="link_revoke"),
    path("acts/<int:pk>/", views.ActDetailView.as_view(), name="act_detail"),
    path("acts/<int:pk>/<slug:action>/", views.act_review, name="act_review"),
]
