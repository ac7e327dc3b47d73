from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from wushan_metrology import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/otp/", include("organizations.urls")),
    path("workbench/review/", include("records.urls")),
    path("workbench/", include("campaigns.urls")),
    path("workbench/microstations/", include("microstations.urls")),
    path("workbench/volunteers/", include("volunteers.urls")),
    path("workbench/publicity/", include("publicity.urls")),
    # 舆情 kept its pages' addresses when it moved out of publicity (alerts already sent link there).
    path("workbench/publicity/incidents/", include("opinion.urls")),
    path("workbench/enterprises/picker/", include("enterprises.picker_urls")),
    path("workbench/enterprises/", include("enterprises.urls")),
    path("workbench/inspections/", include("inspections.urls")),
    path("workbench/instruments/risk/", include("instruments.risk_urls")),
    path("workbench/instruments/", include("instruments.urls")),
    path("evidence/", include("evidence.urls")),
    path("inbox/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("dashboard.urls")),
    # A station's public page, QR code and feedback form: no login (public/).
    path("s/", include("public.urls")),
    # A registered instrument's scan page, QR code, rating and problem form: no login (public/).
    path("i/", include("public.instrument_urls")),
    # A volunteer's self-service pages: the personal link is the only key (volunteers/self_service.py).
    path("v/", include("volunteers.self_service_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("wushan_metrology.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
handler404 = "wushan_metrology.views.not_found"
