from django.urls import path

from enterprises import integrity_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_edit"),
    path(
        "<int:pk>/commitments/new/", integrity_views.CommitmentCreateView.as_view(), name="commitment_create"
    ),
    path(
        "<int:pk>/integrity/new/", integrity_views.IntegrityEntryCreateView.as_view(), name="integrity_create"
    ),
    path("commitments/", integrity_views.CommitmentListView.as_view(), name="commitment_list"),
    path("commitments/<int:pk>/", integrity_views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path("integrity/", integrity_views.IntegrityEntryListView.as_view(), name="integrity_list"),
    path("integrity/<int:pk>/end/", integrity_views.IntegrityEntryEndView.as_view(), name="integrity_end"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitFormView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/edit/", views.VisitFormView.as_view(), name="visit_edit"),
    path("visits/<int:pk>/problems/", views.problem_raise, name="problem_raise"),
    path("visits/<int:pk>/<slug:action>/", views.visit_review, name="visit_review"),
    path("problems/<int:pk>/<slug:action>/", views.problem_transition, name="problem_transition"),
]
