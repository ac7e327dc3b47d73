from django.urls import path

from instruments import risk_views

app_name = "instruments_risk"

urlpatterns = [
    path("", risk_views.risk_list, name="risk_list"),
    path("<int:owner_pk>/plan/", risk_views.risk_plan, name="risk_plan"),
]
