from django.urls import path

from enterprises import picker

app_name = "enterprise_picker"

urlpatterns = [
    path("search/", picker.search, name="search"),
    path("new/", picker.quick_add, name="quick_add"),
]
