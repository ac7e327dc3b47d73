from django.urls import path

from campaigns import notice_urls, planning_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="workbench"),
    path("tasks/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("tasks/<int:pk>/<slug:to_status>/", views.assignment_transition, name="assignment_transition"),
    path("notice/", planning_views.notice, name="notice"),
    path("notice/<int:year>/", planning_views.notice, name="notice_year"),
    path("requirements/<int:pk>/", planning_views.requirement, name="requirement"),
    path("plan/", planning_views.plan_index, name="plan_index"),
    path("plan/<int:year>/", planning_views.plan_campaign, name="plan"),
    path("plan/<int:year>/tasks/<int:pk>/", planning_views.plan_task, name="plan_task"),
    path(
        "plan/<int:year>/milestones/<int:pk>/delete/",
        planning_views.plan_milestone_delete,
        name="plan_milestone_delete",
    ),
    path("plan/<int:year>/groups/<int:pk>/", planning_views.plan_group, name="plan_group"),
    path("plan/<int:year>/windows/", planning_views.plan_windows_generate, name="plan_windows_generate"),
    path(
        "plan/<int:year>/windows/<int:pk>/delete/",
        planning_views.plan_window_delete,
        name="plan_window_delete",
    ),
    path("plan/<int:year>/requirements/<int:pk>/", planning_views.plan_requirement, name="plan_requirement"),
    path("plan/<int:year>/clone/", planning_views.plan_clone, name="plan_clone"),
]
urlpatterns += notice_urls.urlpatterns
