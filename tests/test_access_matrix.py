"""The access matrix: every URL pattern of the site (pages, API, admin, photo and report downloads,
exports), for every role, against an object of the role's own unit and one of another unit.

Each pattern has one line in MATRIX: a profile (who may GET it) and, for a pattern that takes an id, the
kind of object whose id fills it. A pattern without a line fails `test_every_url_pattern_has_an_entry`;
the admin's per-model patterns get their lines from the admin registry (`admin_entries`). Lists,
exports and JSON read as 甲地所 (office_a) must not carry 乙地所's rows: every 乙地所 object carries
OTHER in its text, and no answer to office_a may contain it.

Statuses: 200 read, 302 to the login page (anonymous pages), 401 (anonymous API), 403 (role may not),
404 (out of scope, or no such object), 405 (the pattern takes POST only).

Writes: every unsafe API operation (POST, PATCH, DELETE) has a line in WRITES with each role's answers,
the 协办单位 included, for its own unit's object and another's; a new one without a line fails
`test_every_unsafe_api_operation_has_a_write_entry`. Every page outside the admin has a line in
PAGE_WRITES with each role's answer to a POST (`test_every_page_has_a_page_write_entry`). The 协办单位
reads under COOPERATOR_PROFILES and COOPERATOR_GETS, and no answer to it carries 乙地所's rows either.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from microstations.models import MicroStation
from notifications.models import Notification
from organizations.models import Unit, User
from organizations.roles import Role
from reports.models import Report
from tests.api.world import unit_objects
from tests.enterprises.factories import PartnershipFactory
from tests.factories import UnitFactory, UserFactory
from tests.inspections.factories import instrument_type
from tests.microstations.factories import campaign_2025
from tests.opinion.factories import level as opinion_level

OTHER = "乙地专属标记"
ROLES = ("anonymous", "office_a", "leader", "bureau_admin")


@dataclass(frozen=True)
class E:
    """One pattern's line: `profile` names who may GET it (PROFILES); `obj` the kind of object whose id
    fills the pattern's argument (None for a pattern without one, "missing" for an id nobody has);
    `args` fixed arguments (a year, an action slug)."""

    profile: str
    obj: str | None = None
    args: tuple[Any, ...] = ()


def statuses(anonymous: int, office_own: int, office_other: int, leader: int, admin: int) -> dict:
    return {
        "anonymous": (anonymous, anonymous),
        "office_a": (office_own, office_other),
        "leader": (leader, leader),
        "bureau_admin": (admin, admin),
    }


# role -> (status for the role's own unit's object, status for another unit's object)
PROFILES: dict[str, dict[str, tuple[int, int]]] = {
    # Unit-scoped reads: the office its own only; leadership and the bureau everything.
    "scoped": statuses(302, 200, 404, 200, 200),
    "scoped_api": statuses(401, 200, 404, 200, 200),
    # Edit forms of unit-scoped records: leadership is read-only.
    "edit": statuses(302, 200, 404, 403, 200),
    # Pages and API reads every signed-in user has.
    "signed_in": statuses(302, 200, 200, 200, 200),
    "signed_in_api": statuses(401, 200, 200, 200, 200),
    # A form that creates: leadership is read-only.
    "create": statuses(302, 200, 200, 403, 200),
    # Reviewers only (the bureau).
    "reviewer": statuses(302, 403, 403, 403, 200),
    "reviewer_api": statuses(401, 403, 403, 403, 200),
    # All units' figures: leadership and the bureau.
    "all_units": statuses(302, 403, 403, 200, 200),
    "all_units_api": statuses(401, 403, 403, 200, 200),
    # POST-only buttons: a GET is refused once signed in.
    "post_only": statuses(302, 405, 405, 405, 405),
    "post_only_api": statuses(401, 405, 405, 405, 405),
    # No such object: nobody learns more than 404.
    "missing": statuses(302, 404, 404, 404, 404),
    "missing_api": statuses(401, 404, 404, 404, 404),
    # The admin: only staff get in; the rest are sent to its login.
    "admin": statuses(302, 302, 302, 302, 200),
    "admin_missing": statuses(302, 302, 302, 302, 302),
    # No login needed.
    "public": statuses(200, 200, 200, 200, 200),
}


def api(name: str) -> str:
    return f"api:{name}"


MATRIX: dict[str, E] = {
    # --- top level and accounts
    "home": E("signed_in_redirect"),
    "healthz": E("public"),
    "favicon.ico": E("skip"),  # a static redirect
    "login": E("login"),
    "logout": E("post_only_logout"),
    "organizations:otp_verify": E("otp"),
    "organizations:otp_setup": E("otp_setup"),
    # --- review queue
    "records:review_queue": E("review_queue"),
    "records:review_queue_bulk": E("post_only"),
    "records:review_queue_count": E("signed_in"),
    # --- workbench: tasks and plan
    "campaigns:workbench": E("signed_in"),
    "campaigns:assignment_detail": E("scoped", "assignment"),
    "campaigns:assignment_transition": E("post_only", "assignment", ("acknowledged",)),
    "campaigns:notice": E("signed_in"),
    "campaigns:notice_year": E("signed_in", args=(2025,)),
    "campaigns:plan_index": E("planner_redirect"),
    "campaigns:plan": E("planner", args=(2025,)),
    "campaigns:plan_task": E("planner_missing", "missing", (2025,)),
    "campaigns:plan_milestone_delete": E("post_only", "missing", (2025,)),
    "campaigns:plan_group": E("planner_missing", "missing", (2025,)),
    "campaigns:plan_windows_generate": E("post_only", args=(2025,)),
    "campaigns:plan_window_delete": E("post_only", "missing", (2025,)),
    "campaigns:plan_requirement": E("post_only", "missing", (2025,)),
    "campaigns:plan_clone": E("post_only", args=(2025,)),
    "campaigns:notice_import": E("planner"),
    "campaigns:requirement": E("scoped", "requirement"),
    # --- micro-stations and volunteers
    "microstations:station_list": E("scoped"),
    "microstations:station_detail": E("scoped", "station"),
    "microstations:station_set_stage": E("post_only", "station"),
    "microstations:activity_list": E("scoped"),
    "microstations:activity_create": E("create"),
    "microstations:activity_detail": E("scoped", "activity"),
    "microstations:activity_edit": E("edit", "activity"),
    "microstations:activity_review": E("post_only", "activity", ("submit",)),
    "volunteers:volunteer_list": E("scoped"),
    "volunteers:volunteer_create": E("create"),
    "volunteers:volunteer_edit": E("edit", "volunteer"),
    "volunteers:link_issue": E("post_only", "volunteer"),
    "volunteers:link_revoke": E("post_only", "volunteer"),
    "volunteers:act_detail": E("missing", "missing"),
    "volunteers:act_review": E("post_only", "missing", ("approve",)),
    # --- publicity, news, 舆情
    "publicity:progress": E("signed_in"),
    "publicity:activity_list": E("scoped"),
    "publicity:activity_create": E("create"),
    "publicity:activity_detail": E("scoped", "publicity"),
    "publicity:activity_edit": E("edit", "publicity"),
    "publicity:activity_review": E("post_only", "publicity", ("submit",)),
    "publicity:news_list": E("scoped"),
    "publicity:news_create": E("create"),
    "publicity:news_ranking": E("signed_in"),
    "publicity:news_detail": E("scoped", "news"),
    "publicity:news_edit": E("edit", "news"),
    "publicity:news_adopt": E("post_only", "news"),
    "publicity:news_review": E("post_only", "news", ("submit",)),
    "opinion:incident_list": E("scoped"),
    "opinion:incident_create": E("create"),
    "opinion:incident_detail": E("scoped", "incident"),
    "opinion:incident_edit": E("edit", "incident"),
    "opinion:incident_transition": E("post_only", "incident"),
    "opinion:incident_report": E("post_only", "incident"),
    # --- enterprises and visits
    "enterprises:enterprise_list": E("signed_in"),
    "enterprises:enterprise_create": E("create"),
    "enterprises:enterprise_detail": E("signed_in", "enterprise"),
    "enterprises:enterprise_edit": E("create", "enterprise"),
    "enterprise_picker:search": E("signed_in"),
    "enterprise_picker:quick_add": E("create"),
    "enterprises:integrity_list": E("scoped"),
    "enterprises:integrity_create": E("create", "enterprise"),
    "enterprises:integrity_end": E("edit", "integrity_entry"),
    "enterprises:commitment_list": E("scoped"),
    "enterprises:commitment_create": E("create", "enterprise"),
    "enterprises:commitment_detail": E("scoped", "commitment"),
    "enterprises:visit_list": E("scoped"),
    "enterprises:visit_create": E("create"),
    "enterprises:visit_detail": E("scoped", "visit"),
    "enterprises:visit_edit": E("edit", "visit"),
    "enterprises:problem_raise": E("post_only", "visit"),
    "enterprises:visit_review": E("post_only", "visit", ("submit",)),
    "enterprises:problem_transition": E("post_only", "problem", ("assign",)),
    # --- inspections
    "inspections:inspection_list": E("scoped"),
    "inspections:inspection_create": E("create"),
    "inspections:statistics": E("signed_in"),
    "inspections:statistics_export": E("signed_in"),
    "inspections:inspection_detail": E("scoped", "inspection"),
    "inspections:inspection_edit": E("edit", "inspection"),
    "inspections:inspection_follow_up": E("post_only", "inspection", ("rectify",)),
    "inspections:inspection_review": E("post_only", "inspection", ("submit",)),
    # --- the instrument register (helper 07's lines) and its risk pages
    "instruments:instrument_list": E("scoped"),
    "instruments:instrument_create": E("create"),
    "instruments:instrument_import": E("create"),
    "instruments:instrument_detail": E("scoped", "instrument"),
    "instruments:instrument_edit": E("edit", "instrument"),
    "instruments:instrument_review": E("post_only", "instrument", ("confirm",)),
    "instruments:owner_contact": E("create", "enterprise"),
    "instruments:lead_list": E("scoped"),
    "instruments:lead_from_report": E("post_only", "instrument_problem"),
    "instruments:lead_from_incident": E("post_only", "incident"),
    "instruments:lead_plan": E("post_only", "lead"),
    "instruments:lead_dismiss": E("post_only", "lead"),
    "instruments_risk:risk_list": E("signed_in"),
    "instruments_risk:risk_plan": E("post_only", "enterprise"),
    # --- photos, inbox, reports, dashboard
    "evidence:image": E("scoped", "photo"),
    "evidence:thumbnail": E("scoped", "photo"),
    "evidence:pending_upload": E("post_only"),
    "evidence:pending_thumbnail": E("missing", args=("no-such-token",)),
    "notifications:inbox": E("signed_in"),
    "notifications:mark_read": E("post_only", "notification"),
    "notifications:mark_all_read": E("post_only"),
    "notifications:unread_count": E("signed_in"),
    "reports:list": E("all_units"),
    "reports:request": E("post_only"),
    "reports:status": E("all_units", "report"),
    "reports:download": E("all_units", "report"),
    "reports:retry": E("post_only", "report"),
    "dashboard:index": E("all_units"),
    # --- public pages (no login): a station's page by plaque, a volunteer's by token
    "public:station": E("public_station", "plaque"),
    "public:station_qr": E("public_station", "plaque"),
    "public:station_poster": E("public_station", "plaque"),
    "public:station_feedback": E("public_post_only", "plaque"),
    "public:station_thanks": E("public_station", "plaque"),
    "volunteer_self:page": E("public_missing", args=("no-such-token",)),
    "volunteer_self:certificate": E("public_missing", args=("no-such-token",)),
    "public_instruments:due_list": E("public"),
    "public_instruments:due_list_xlsx": E("public"),
    "public_instruments:instrument": E("public_missing", args=("no-such-code",)),
    "public_instruments:instrument_qr": E("public_missing", args=("no-such-code",)),
    "public_instruments:thanks": E("public_missing", args=("no-such-code",)),
    "public_instruments:report": E("public_post_only", args=("no-such-code",)),
    "public_instruments:rate": E("public_post_only", args=("no-such-code",)),
    "public_instruments:owner_labels": E("scoped", "enterprise"),
    # --- API
    api("api-root"): E("signed_in_api"),
    api("instrument-list"): E("scoped_api"),
    api("instrument-detail"): E("scoped_api", "instrument"),
    api("instrument-confirm"): E("post_only_api", "instrument"),
    api("instrument-return-entry"): E("post_only_api", "instrument"),
    api("inspection-lead-list"): E("scoped_api"),
    api("inspection-lead-detail"): E("scoped_api", "lead"),
    api("inspection-lead-plan"): E("post_only_api", "lead"),
    api("inspection-lead-dismiss"): E("post_only_api", "lead"),
    api("instrument-problem-list"): E("scoped_api"),
    api("instrument-problem-detail"): E("scoped_api", "instrument_problem"),
    api("me"): E("signed_in_api"),
    api("unit-list"): E("signed_in_api"),
    api("unit-detail"): E("scoped_api", "unit"),
    api("campaign-list"): E("signed_in_api"),
    api("campaign-detail"): E("signed_in_api", "campaign"),
    api("workstream-list"): E("signed_in_api"),
    api("workstream-detail"): E("missing_api", "missing"),
    api("task-list"): E("signed_in_api"),
    api("task-detail"): E("scoped_api", "task"),
    api("assignment-list"): E("signed_in_api"),
    api("assignment-detail"): E("scoped_api", "assignment"),
    api("assignment-acknowledge"): E("post_only_api", "assignment"),
    api("assignment-start"): E("post_only_api", "assignment"),
    api("assignment-complete"): E("post_only_api", "assignment"),
    api("party-group-list"): E("signed_in_api"),
    api("party-group-detail"): E("signed_in_api", "group"),
    api("milestone-list"): E("signed_in_api"),
    api("milestone-detail"): E("scoped_api", "milestone"),
    api("reporting-window-list"): E("signed_in_api"),
    api("reporting-window-detail"): E("signed_in_api", "window"),
    api("reporting-window-generate"): E("post_only_api"),
    api("requirement-list"): E("signed_in_api"),
    api("requirement-detail"): E("scoped_api", "requirement"),
    api("requirement-report"): E("post_only_api", "requirement"),
    api("station-list"): E("signed_in_api"),
    api("station-detail"): E("scoped_api", "station"),
    api("volunteer-list"): E("signed_in_api"),
    api("volunteer-detail"): E("scoped_api", "volunteer"),
    api("opinion-level-list"): E("signed_in_api"),
    api("opinion-level-detail"): E("missing_api", "missing"),
    api("enterprise-list"): E("signed_in_api"),
    api("enterprise-detail"): E("signed_in_api", "enterprise"),
    api("enterprise-problem-list"): E("signed_in_api"),
    api("enterprise-problem-detail"): E("scoped_api", "problem"),
    api("enterprise-problem-assign"): E("post_only_api", "problem"),
    api("enterprise-problem-solve"): E("post_only_api", "problem"),
    api("enterprise-problem-confirm"): E("post_only_api", "problem"),
    api("partnership-list"): E("signed_in_api"),
    api("partnership-detail"): E("missing_api", "missing"),
    api("instrument-type-list"): E("signed_in_api"),
    api("instrument-type-detail"): E("missing_api", "missing"),
    api("review-queue-list"): E("review_queue_api"),
    api("review-queue-bulk"): E("post_only_api"),
    api("report-list"): E("all_units_api"),
    api("report-detail"): E("all_units_api", "report"),
    api("report-download"): E("all_units_api", "report"),
    api("report-retry"): E("post_only_api", "report"),
    api("inbox-list"): E("signed_in_api"),
    api("inbox-detail"): E("own_api", "notification"),
    api("inbox-read"): E("post_only_api", "notification"),
    api("inbox-read-all"): E("post_only_api"),
    "api:": E("missing_api"),  # the catch-all JSON 404
    # The schema and its docs page are public: they describe the API, never data.
    "schema": E("public"),
    "api-docs": E("public"),
}
# The record kit's viewsets: the same seven lines each.
for prefix, kind in [
    ("station-activity", "activity"),
    ("publicity-activity", "publicity"),
    ("news-item", "news"),
    ("enterprise-visit", "visit"),
    ("inspection", "inspection"),
]:
    MATRIX[api(f"{prefix}-list")] = E("signed_in_api")
    MATRIX[api(f"{prefix}-detail")] = E("scoped_api", kind)
    MATRIX[api(f"{prefix}-photos")] = E("scoped_api", kind)
    for verb in ("submit", "approve", "return-"):
        MATRIX[api(f"{prefix}-{verb}")] = E("post_only_api", kind)
MATRIX[api("news-item-adoptions")] = E("post_only_api", "news")
for verb in ("order-rectification", "record-rectified", "file-case", "close-case"):
    MATRIX[api(f"inspection-{verb}")] = E("post_only_api", "inspection")
MATRIX[api("opinion-incident-list")] = E("signed_in_api")
MATRIX[api("opinion-incident-detail")] = E("scoped_api", "incident")
MATRIX[api("opinion-incident-transition")] = E("post_only_api", "incident")
MATRIX[api("opinion-incident-report")] = E("post_only_api", "incident")

# Profiles that are the same rule under another name, or need a word of their own.
PROFILES.update(
    {
        "signed_in_redirect": statuses(302, 302, 302, 302, 302),
        "login": statuses(200, 302, 302, 302, 302),
        "post_only_logout": statuses(405, 405, 405, 405, 405),
        # Second factor: staff only (the others have no admin to protect).
        "otp": statuses(302, 403, 403, 403, 302),
        "otp_setup": statuses(302, 403, 403, 403, 200),
        "admin_autocomplete": statuses(302, 302, 302, 302, 403),  # no field named: refused
        "planner_redirect": statuses(302, 403, 403, 403, 302),
        "planner": statuses(302, 403, 403, 403, 200),
        "planner_missing": statuses(302, 403, 403, 403, 404),
        "own_api": statuses(401, 200, 404, 200, 404),
        "public_station": statuses(200, 200, 200, 200, 200),
        "public_missing": statuses(404, 404, 404, 404, 404),
        "public_post_only": statuses(405, 405, 405, 405, 405),
        "admin_404": statuses(302, 302, 302, 302, 404),
        "admin_add": statuses(302, 302, 302, 302, 200),
        "admin_receipt": statuses(302, 302, 302, 302, 404),
        # Offices review their volunteers' and 协办单位's entries (issue 18): their queue opens.
        "review_queue": statuses(302, 200, 200, 403, 200),
        "review_queue_api": statuses(401, 200, 200, 403, 200),
    }
)
# "own_api" (a user's own inbox message): the "other" message is another user's, whoever asks.
PROFILES["own_api"] = dict.fromkeys(ROLES, (200, 404)) | {"anonymous": (401, 401)}

# The 协办单位 (cooperator, e.g. the power company hosting 甲地所's station): its "own" objects are those of
# 甲地所 (the station it hosts, that station's activities and volunteers are in its scope; the rest is
# not). By profile its answers are these; the lines below name where it differs (it keeps the ledger of
# its market, logs its station's activities and volunteers, and has no 舆情, 信息报送 or integrity pages).
COOPERATOR_PROFILES: dict[str, tuple[int, int]] = {
    "scoped": (404, 404),
    "scoped_api": (404, 404),
    "edit": (404, 404),
    "create": (403, 403),
    "signed_in": (200, 200),
    "signed_in_api": (200, 200),
    "signed_in_redirect": (302, 302),
    "own_api": (200, 404),
    "all_units": (403, 403),
    "all_units_api": (403, 403),
    "review_queue": (403, 403),
    "review_queue_api": (403, 403),
    "planner": (403, 403),
    "planner_missing": (403, 403),
    "planner_redirect": (403, 403),
    "otp": (403, 403),
    "otp_setup": (403, 403),
    "post_only": (405, 405),
    "post_only_api": (405, 405),
    "post_only_logout": (405, 405),
    "missing": (404, 404),
    "missing_api": (404, 404),
    "login": (302, 302),
    "public": (200, 200),
    "public_station": (200, 200),
    "public_missing": (404, 404),
    "public_post_only": (405, 405),
}
COOPERATOR_GETS: dict[str, tuple[int, int]] = {
    # Its hosted station, the station's activities and volunteers: its own (200), another's 404.
    "microstations:station_list": (200, 200),
    "microstations:station_detail": (200, 404),
    "microstations:activity_list": (200, 200),
    "microstations:activity_create": (200, 200),
    "microstations:activity_detail": (200, 404),
    "microstations:activity_edit": (200, 404),
    "volunteers:volunteer_list": (200, 200),
    "volunteers:volunteer_create": (200, 200),
    "volunteers:volunteer_edit": (200, 404),
    api("station-detail"): (200, 404),
    api("station-activity-detail"): (200, 404),
    api("station-activity-photos"): (200, 404),
    api("volunteer-detail"): (200, 404),
    # Lists in its scope (visits and inspections it supported as technical unit, its market's ledger).
    "enterprises:visit_list": (200, 200),
    "inspections:inspection_list": (200, 200),
    "instruments:instrument_list": (200, 200),
    "instruments:instrument_create": (200, 200),
    "instruments:instrument_import": (200, 200),
    "publicity:activity_list": (200, 200),
    "publicity:activity_create": (200, 200),
    api("instrument-list"): (200, 200),
    api("inspection-lead-list"): (200, 200),
    api("instrument-problem-list"): (200, 200),
    # No view permission: refused before the row (403 for every id).
    "enterprises:commitment_list": (403, 403),
    "enterprises:commitment_detail": (403, 403),
    "enterprises:integrity_list": (403, 403),
    "instruments:lead_list": (403, 403),
    "opinion:incident_list": (403, 403),
    "opinion:incident_detail": (403, 403),
    "publicity:news_list": (403, 403),
    "publicity:news_detail": (403, 403),
    "publicity:news_ranking": (403, 403),
    "publicity:news_adopt": (403, 403),
    api("news-item-list"): (403, 403),
    api("news-item-detail"): (403, 403),
    api("opinion-incident-list"): (403, 403),
    api("opinion-incident-detail"): (403, 403),
    api("opinion-level-list"): (403, 403),
    api("opinion-level-detail"): (403, 403),
}
GET_ROLES = (*ROLES, "cooperator")


def admin_entries() -> dict[str, E]:
    """The admin's per-model patterns, from its registry: every model's list, add, history, delete and
    change pages are staff-only; a change page of a record type is checked against both units' rows."""
    entries = {"admin:index": E("admin"), "admin:login": E("skip"), "admin:logout": E("skip")}
    entries |= {"admin:password_change": E("admin"), "admin:password_change_done": E("admin")}
    entries |= {
        "admin:jsi18n": E("admin"),
        "admin:autocomplete": E("admin_autocomplete"),
        "admin:view_on_site": E("skip"),
    }
    entries |= {"admin:app_list": E("admin", args=("inspections",))}
    # The admin's catch-all (an unknown admin address) answers as its login does.
    entries |= {"admin:": E("skip")}
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        label = f"{opts.app_label}.{opts.model_name}"
        entries[f"{base}_changelist"] = E(f"admin_model:{label}:view")
        entries[f"{base}_add"] = E(f"admin_model:{label}:add")
        entries[f"{base}_change"] = E(f"admin_model:{label}:change", "missing")
        entries[f"{base}_delete"] = E(f"admin_model:{label}:delete", "missing")
        entries[f"{base}_history"] = E("admin_history", "missing")
        # django-simple-history's page of one historical version: (object id, history id).
        entries[f"{base}_simple_history"] = E("admin_history", "missing", (999999,))
    # The spreadsheet import pages the workstreams' admins add (one line per view, for the three).
    for base in ("enterprises_enterprise", "microstations_microstation", "volunteers_volunteer"):
        entries[f"admin:{base}_import"] = E("admin")
        entries[f"admin:{base}_template"] = E("admin")
        entries[f"admin:{base}_import_receipt"] = E("admin_receipt")
        for view in ("import_job", "import_job_status", "import_job_receipt"):
            entries[f"admin:{base}_{view}"] = E("admin_404", "missing")
    entries["admin:auth_user_password_change"] = E("admin_404", "missing")
    # django-otp's device config and QR views (wushan_metrology/admin.py answers an unknown id with 404).
    entries["admin:otp_totp_totpdevice_config"] = E("admin_404", "missing")
    entries["admin:otp_totp_totpdevice_qrcode"] = E("admin_404", "missing")
    return entries


def walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else (namespace or str(pattern.pattern))
            yield name, pattern


def all_entries() -> dict[str, E]:
    return {**admin_entries(), **MATRIX}


def test_every_url_pattern_has_an_entry():
    entries = all_entries()
    missing = sorted({name for name, _pattern in walk(get_resolver()) if name not in entries})
    assert not missing, f"URL patterns without a line in tests/test_access_matrix.py MATRIX: {missing}"


# --- The world: one object of each kind per unit ------------------------------------------------


@pytest.fixture
def cooperator(db) -> User:
    """A 协办单位 account: the power company that hosts 甲地所's station."""
    company = UnitFactory(name="国网巫山县供电公司", short_name="供电公司", kind=Unit.Kind.UTILITY)
    return UserFactory(username="power_co", unit=company, roles=[Role.COOPERATOR])


@pytest.fixture
def world(db, settings, tmp_path, unit_a, unit_b, office_a, office_b, leader, bureau_admin, cooperator):
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = campaign_2025()
    objects: dict[str, dict[str, Any]] = {"own": {}, "other": {}}
    for side, unit, user, mark in (("own", unit_a, office_a, "甲地"), ("other", unit_b, office_b, OTHER)):
        objects[side] = unit_objects(
            unit=unit, user=user, campaign=campaign, mark=mark, plaque_no=f"WS-{side}"
        )
    # The 协办单位 hosts 甲地所's station: that station and its activity are the cooperator's "own".
    MicroStation.objects.filter(pk=objects["own"]["station"].pk).update(host_unit=cooperator.unit)
    # Rows no unit owns (the bureau's reference tables): the same row on both sides.
    shared = {
        "level": opinion_level("general"),
        "instrument_type": instrument_type("price_scale"),
        "partnership": PartnershipFactory(campaign=campaign),
    }
    for side in ("own", "other"):
        objects[side] |= shared
    report = Report(
        campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader, status=Report.Status.DONE
    )
    report.file.save("matrix.xlsx", ContentFile(b"PK matrix"), save=False)
    report.save()
    objects["report"] = report
    return objects


def pk_for(world: dict[str, Any], kind: str, side: str, user: User | None) -> Any:
    if kind == "missing":
        return 999999
    if kind == "report":
        return world["report"].pk
    if kind == "notification":
        recipient = user if side == "own" and user is not None else world["other"]["unit"].users.first()
        return Notification.objects.create(recipient=recipient, subject="矩阵消息", body="…").pk
    value = world[side][kind]
    return value if isinstance(value, str) else value.pk


def url_for(name: str, entry: E, world: dict[str, Any], side: str, user: User | None) -> str:
    if name == "api:":
        return "/api/v1/no-such-route/"
    args = list(entry.args)
    if entry.obj is not None:
        key = pk_for(world, entry.obj, side, user)
        args = [args[0], key, *args[1:]] if name.startswith("campaigns:plan") else [key, *args]
    return reverse(name, args=args)


def expected_for(profile: str, role: str, user: User | None, name: str = "") -> tuple[set[int], set[int]]:
    """(own, other) sets of acceptable statuses. The admin's per-model pages follow the model
    permissions the role's group grants: staff without the permission get 403; with it, the list or
    form (200) or, for an id nobody has, the admin's redirect (302). A history page of a missing id is
    a redirect or simple-history's 404, never a page. The 协办单位 is not staff: the admin sends it to
    its login as it does an office."""
    if role == "cooperator":
        if profile.startswith("admin"):
            return expected_for(profile, "office_a", user, name)
        own, other = COOPERATOR_GETS.get(name, COOPERATOR_PROFILES[profile])
        return {own}, {other}
    if profile.startswith("admin_model:"):
        _prefix, label, action = profile.split(":")
        if role != "bureau_admin":
            return {302}, {302}
        assert user is not None
        model_admin = admin.site._registry[apps.get_model(label)]
        request = RequestFactory().get("/admin/")
        request.user = user
        allowed = {
            "view": model_admin.has_view_or_change_permission,
            "change": model_admin.has_view_or_change_permission,
            "add": model_admin.has_add_permission,
            "delete": model_admin.has_delete_permission,
        }[action](request)
        if action in ("view", "add"):
            return ({200}, {200}) if allowed else ({403}, {403})
        return ({302}, {302}) if allowed else ({403}, {403})
    if profile == "admin_history":
        statuses_ = {302} if role != "bureau_admin" else {302, 403, 404}
        return statuses_, statuses_
    own, other = PROFILES[profile][role]
    return {own}, {other}


def body_text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # .xlsx / .docx: the text is in the zip's XML parts
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(part).decode("utf-8", "replace") for part in archive.namelist())
    return content.decode("utf-8", "replace")


def test_every_get_profile_has_a_cooperator_answer():
    """A new profile, or a new line, without the 协办单位's answer fails here."""
    used = {entry.profile for entry in all_entries().values()} - {"skip"}
    assert {p for p in used if not p.startswith("admin")} <= set(COOPERATOR_PROFILES)
    assert set(COOPERATOR_GETS) <= set(MATRIX)


@pytest.mark.parametrize("role", GET_ROLES)
def test_every_role_gets_the_answer_its_profile_gives_for_every_url(request, world, role):
    user: User | None = None if role == "anonymous" else request.getfixturevalue(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    wrong: list[str] = []
    leaks: list[str] = []
    checked = 0
    for name, entry in sorted(all_entries().items()):
        if entry.profile == "skip" or name not in {n for n, _p in walk(get_resolver())}:
            continue
        expected = expected_for(entry.profile, role, user, name)
        for side, status in zip(("own", "other"), expected, strict=True):  # status: a set
            if entry.obj is None and side == "other":
                continue
            url = url_for(name, entry, world, side, user)
            response = client.get(url)
            checked += 1
            if response.status_code not in status:
                wrong.append(f"{role} GET {url} ({name}, {side}): {response.status_code}, expected {status}")
            elif (
                role in ("office_a", "cooperator")
                and response.status_code == 200
                and not entry.profile.startswith("public")  # a station's public page is for all
                and OTHER in body_text(response)
            ):
                leaks.append(f"{url} ({name}) shows another unit's rows to {role}")
    # Shown in CI's log even when the test passes: past pytest's output capture.
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\naccess matrix: {role}: {checked} URL × object checks")
    problems = wrong + leaks
    assert not problems, "\n".join(problems)


# --- Writes: every unsafe API operation, for every role, the 协办单位 included -------------------------
#
# Each write runs in a savepoint that is rolled back, so every role meets the same world. A create or
# an action is sent an empty body: a role past the gate then gets 400 (the input is refused) or does
# the action; a change is sent one valid field, a delete nothing. The answers follow the rules: out of
# scope 404 (never the row), not allowed 403 whatever was sent, a state that refuses the step 409.

WRITE_ROLES = (*ROLES, "cooperator")
UNSAFE = ("post", "patch", "delete")


@dataclass(frozen=True)
class W:
    """One unsafe operation: its route, method, the kind of object whose id fills the route (None for
    a list route), the body, and (own, other) statuses for each role (WRITE_ROLES' order)."""

    name: str
    method: str
    obj: str | None
    body: dict[str, Any]
    expect: tuple[tuple[int, int], ...]


def answers(
    anonymous: int, office: Any, leader: Any, admin: Any, cooperator: Any
) -> tuple[tuple[int, int], ...]:
    """Each role's (own, other) statuses; a single number stands for both sides."""
    pairs = [
        value if isinstance(value, tuple) else (value, value) for value in (office, leader, admin, cooperator)
    ]
    return ((anonymous, anonymous), *pairs)


# (route, method, object kind, body) of every unsafe API operation, with its answers below.
WRITE_CASES: list[tuple[str, str, str | None, dict[str, Any]]] = [
    ("campaign-detail", "patch", "campaign", {"reminder_days_ahead": 4}),
    ("task-detail", "patch", "task", {"due_date": "2025-05-20"}),
    ("party-group-list", "post", None, {}),
    ("party-group-detail", "patch", "group", {"label": "矩阵单位组"}),
    ("milestone-list", "post", None, {}),
    ("milestone-detail", "patch", "milestone", {"title": "矩阵节点"}),
    ("milestone-detail", "delete", "milestone", {}),
    ("reporting-window-generate", "post", None, {}),
    ("reporting-window-detail", "delete", "window", {}),
    ("requirement-detail", "patch", "requirement", {"evidence": "矩阵落实情况"}),
    ("requirement-report", "post", "requirement", {}),
    ("assignment-acknowledge", "post", "assignment", {}),
    ("assignment-start", "post", "assignment", {}),
    ("assignment-complete", "post", "assignment", {}),
    ("station-list", "post", None, {}),
    ("station-detail", "patch", "station", {"address": "矩阵新址"}),
    ("station-detail", "delete", "station", {}),
    ("volunteer-list", "post", None, {}),
    ("volunteer-detail", "patch", "volunteer", {"work_unit": "矩阵学校"}),
    ("opinion-level-list", "post", None, {}),
    ("opinion-level-detail", "patch", "level", {"guidance": "矩阵处置要求"}),
    ("opinion-level-detail", "delete", "level", {}),
    ("opinion-incident-list", "post", None, {}),
    ("opinion-incident-detail", "patch", "incident", {"summary": "矩阵摘要"}),
    ("opinion-incident-detail", "delete", "incident", {}),
    ("opinion-incident-report", "post", "incident", {}),
    ("opinion-incident-transition", "post", "incident", {}),
    ("enterprise-list", "post", None, {}),
    ("enterprise-detail", "patch", "enterprise", {"address": "矩阵地址"}),
    ("enterprise-problem-list", "post", None, {}),
    ("enterprise-problem-assign", "post", "problem", {}),
    ("enterprise-problem-solve", "post", "problem", {}),
    ("enterprise-problem-confirm", "post", "problem", {}),
    ("partnership-list", "post", None, {}),
    ("partnership-detail", "patch", "partnership", {"note": "矩阵结对内容"}),
    ("partnership-detail", "delete", "partnership", {}),
    ("instrument-type-list", "post", None, {}),
    ("instrument-type-detail", "patch", "instrument_type", {"basis": "JJG 矩阵"}),
    ("instrument-type-detail", "delete", "instrument_type", {}),
    ("inspection-order-rectification", "post", "inspection", {}),
    ("inspection-record-rectified", "post", "inspection", {}),
    ("inspection-file-case", "post", "inspection", {}),
    ("inspection-close-case", "post", "inspection", {}),
    ("news-item-adoptions", "post", "news", {}),
    ("review-queue-bulk", "post", None, {}),
    ("report-list", "post", None, {}),
    ("report-retry", "post", "report", {}),
    ("inbox-read", "post", "notification", {}),
    ("inbox-read-all", "post", None, {}),
    ("instrument-list", "post", None, {}),
    ("instrument-detail", "patch", "instrument", {"location": "矩阵位置"}),
    ("instrument-confirm", "post", "instrument", {}),
    ("instrument-return-entry", "post", "instrument", {}),
    ("inspection-lead-plan", "post", "lead", {}),
    ("inspection-lead-dismiss", "post", "lead", {}),
]
# The record kit's viewsets: the same eight operations each, with one text field to change.
for prefix, kind, field in [
    ("station-activity", "activity", "summary"),
    ("publicity-activity", "publicity", "title"),
    ("news-item", "news", "title"),
    ("enterprise-visit", "visit", "summary"),
    ("inspection", "inspection", "inspectors"),
]:
    WRITE_CASES += [
        (f"{prefix}-list", "post", None, {}),
        (f"{prefix}-detail", "patch", kind, {field: "矩阵修改"}),
        (f"{prefix}-detail", "delete", kind, {}),
        (f"{prefix}-photos", "post", kind, {}),
        (f"{prefix}-submit", "post", kind, {}),
        (f"{prefix}-approve", "post", kind, {}),
        (f"{prefix}-return-", "post", kind, {}),
    ]


# Each role's answers: answers(anonymous, office_a, leader, bureau_admin, cooperator), a pair being
# (own unit's object, another unit's). Leadership is read-only (403) and reads everything (no 404).
# The 协办单位 writes only its hosted stations' activities and volunteers (its other answers are 403 or
# 404). A body
# that is refused once past the gate is 400 ({} to a create or an action; JSON to a photo upload,
# which takes multipart, is 415). 409: the row's state refuses (an opened station, a level or an
# instrument type in use is not deleted, a draft is not approved, a finished report is not retried, a visit with problem
# tickets is kept).
WRITES: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {
    # The plan (campaign dates, task deadlines, groups): the bureau admin's alone, 403 before the row.
    ("campaign-detail", "patch"): answers(401, 403, 403, 200, 403),
    ("task-detail", "patch"): answers(401, 403, 403, 200, 403),
    ("party-group-list", "post"): answers(401, 403, 403, 400, 403),
    ("party-group-detail", "patch"): answers(401, 403, 403, 200, 403),
    # Milestones, reporting windows and 工作要求 (owner, evidence, met): the same planner's gate.
    ("milestone-list", "post"): answers(401, 403, 403, 400, 403),
    ("milestone-detail", "patch"): answers(401, 403, 403, 200, 403),
    ("milestone-detail", "delete"): answers(401, 403, 403, 204, 403),
    ("reporting-window-generate", "post"): answers(401, 403, 403, 400, 403),
    ("reporting-window-detail", "delete"): answers(401, 403, 403, 204, 403),
    ("requirement-detail", "patch"): answers(401, 403, 403, 200, 403),
    # Reporting on a 工作要求 is the owning unit's (and the bureau's); leadership 403 before the row.
    ("requirement-report", "post"): answers(401, (400, 404), 403, 400, 403),
    ("assignment-acknowledge", "post"): answers(401, (200, 404), 403, 200, 404),
    ("assignment-start", "post"): answers(401, (400, 404), 403, 400, 404),
    ("assignment-complete", "post"): answers(401, (400, 404), 403, 400, 404),
    ("station-list", "post"): answers(401, 403, 403, 400, 403),
    ("station-detail", "patch"): answers(401, (403, 404), 403, 200, (403, 404)),
    ("station-detail", "delete"): answers(401, (403, 404), 403, 409, (403, 404)),
    ("volunteer-list", "post"): answers(401, 400, 403, 400, 400),
    ("volunteer-detail", "patch"): answers(401, (200, 404), 403, 200, (200, 404)),
    ("opinion-level-list", "post"): answers(401, 403, 403, 400, 403),
    ("opinion-level-detail", "patch"): answers(401, 403, 403, 200, 403),
    ("opinion-level-detail", "delete"): answers(401, 403, 403, 409, 403),
    ("opinion-incident-list", "post"): answers(401, 400, 403, 400, 403),
    ("opinion-incident-detail", "patch"): answers(401, (200, 404), 403, 200, 403),
    ("opinion-incident-detail", "delete"): answers(401, 403, 403, 204, 403),
    ("opinion-incident-report", "post"): answers(401, (200, 404), 403, 200, 403),
    ("opinion-incident-transition", "post"): answers(401, (400, 404), 403, 400, 403),
    ("enterprise-list", "post"): answers(401, 400, 403, 400, 403),
    ("enterprise-detail", "patch"): answers(401, 200, 403, 200, 403),
    ("enterprise-problem-list", "post"): answers(401, 400, 403, 400, 403),
    ("enterprise-problem-assign", "post"): answers(401, (400, 404), 403, 400, 403),
    ("enterprise-problem-solve", "post"): answers(401, (400, 404), 403, 400, 403),
    ("enterprise-problem-confirm", "post"): answers(401, (400, 404), 403, 400, 403),
    ("partnership-list", "post"): answers(401, 403, 403, 400, 403),
    ("partnership-detail", "patch"): answers(401, 403, 403, 200, 403),
    ("partnership-detail", "delete"): answers(401, 403, 403, 204, 403),
    ("instrument-type-list", "post"): answers(401, 403, 403, 400, 403),
    ("instrument-type-detail", "patch"): answers(401, 403, 403, 200, 403),
    ("instrument-type-detail", "delete"): answers(401, 403, 403, 409, 403),
    ("inspection-order-rectification", "post"): answers(401, (400, 404), 403, 400, 404),
    ("inspection-record-rectified", "post"): answers(401, (400, 404), 403, 400, 404),
    ("inspection-file-case", "post"): answers(401, (400, 404), 403, 400, 404),
    ("inspection-close-case", "post"): answers(401, (400, 404), 403, 400, 404),
    ("news-item-adoptions", "post"): answers(401, 403, 403, 400, 403),
    ("review-queue-bulk", "post"): answers(401, 400, 403, 400, 403),
    ("report-list", "post"): answers(401, 403, 400, 400, 403),
    ("report-retry", "post"): answers(401, 403, 409, 409, 403),
    ("inbox-read", "post"): answers(401, (200, 404), (200, 404), (200, 404), (200, 404)),
    ("inbox-read-all", "post"): answers(401, 200, 200, 200, 200),
    # The instrument register (helper 07): a 协办单位 market enters its own ledger lines.
    ("instrument-list", "post"): answers(401, 400, 403, 400, 400),
    ("instrument-detail", "patch"): answers(401, (200, 404), 403, 200, 404),
    ("instrument-confirm", "post"): answers(401, (409, 404), 403, 409, 404),
    ("instrument-return-entry", "post"): answers(401, (400, 404), 403, 400, 404),
    ("inspection-lead-plan", "post"): answers(401, (400, 404), 403, 400, 403),
    ("inspection-lead-dismiss", "post"): answers(401, (400, 404), 403, 400, 403),
    ("station-activity-list", "post"): answers(401, 400, 403, 400, 400),
    ("station-activity-detail", "patch"): answers(401, (200, 404), 403, 200, (200, 404)),
    ("station-activity-detail", "delete"): answers(401, (403, 404), 403, 204, (403, 404)),
    ("station-activity-photos", "post"): answers(401, (415, 404), 403, 415, (415, 404)),
    ("station-activity-submit", "post"): answers(401, (200, 404), 403, 200, (200, 404)),
    ("station-activity-approve", "post"): answers(401, (403, 404), 403, 409, (403, 404)),
    ("station-activity-return-", "post"): answers(401, (403, 404), 403, 400, (403, 404)),
    # A 协办单位 logs publicity activities at its hosted stations (issue 18): past the gate, 甲地所's own is
    # not at its station (404).
    ("publicity-activity-list", "post"): answers(401, 400, 403, 400, 400),
    ("publicity-activity-detail", "patch"): answers(401, (200, 404), 403, 200, 404),
    ("publicity-activity-detail", "delete"): answers(401, 403, 403, 204, 403),
    ("publicity-activity-photos", "post"): answers(401, (415, 404), 403, 415, 404),
    ("publicity-activity-submit", "post"): answers(401, (200, 404), 403, 200, 404),
    ("publicity-activity-approve", "post"): answers(401, (403, 404), 403, 409, 404),
    ("publicity-activity-return-", "post"): answers(401, (403, 404), 403, 400, 404),
    ("news-item-list", "post"): answers(401, 400, 403, 400, 403),
    ("news-item-detail", "patch"): answers(401, (200, 404), 403, 200, 403),
    ("news-item-detail", "delete"): answers(401, 403, 403, 204, 403),
    ("news-item-photos", "post"): answers(401, (415, 404), 403, 415, 404),
    ("news-item-submit", "post"): answers(401, (200, 404), 403, 200, 404),
    ("news-item-approve", "post"): answers(401, (403, 404), 403, 409, 404),
    ("news-item-return-", "post"): answers(401, (403, 404), 403, 400, 404),
    ("enterprise-visit-list", "post"): answers(401, 400, 403, 400, 403),
    ("enterprise-visit-detail", "patch"): answers(401, (200, 404), 403, 200, 404),
    ("enterprise-visit-detail", "delete"): answers(401, (403, 404), 403, 409, 404),
    ("enterprise-visit-photos", "post"): answers(401, (415, 404), 403, 415, 404),
    ("enterprise-visit-submit", "post"): answers(401, (200, 404), 403, 200, 404),
    ("enterprise-visit-approve", "post"): answers(401, (403, 404), 403, 409, 404),
    ("enterprise-visit-return-", "post"): answers(401, (403, 404), 403, 400, 404),
    ("inspection-list", "post"): answers(401, 400, 403, 400, 403),
    ("inspection-detail", "patch"): answers(401, (200, 404), 403, 200, 404),
    ("inspection-detail", "delete"): answers(401, (403, 404), 403, 204, 404),
    ("inspection-photos", "post"): answers(401, (415, 404), 403, 415, 404),
    ("inspection-submit", "post"): answers(401, (200, 404), 403, 200, 404),
    ("inspection-approve", "post"): answers(401, (403, 404), 403, 409, 404),
    ("inspection-return-", "post"): answers(401, (403, 404), 403, 400, 404),
}


def write_status(
    client: Client,
    case: tuple[str, str, str | None, dict[str, Any]],
    world: dict[str, Any],
    side: str,
    user: User | None,
) -> int:
    """The status of one unsafe call, with whatever it wrote rolled back."""
    name, method, kind, body = case
    args = [] if kind is None else [pk_for(world, kind, side, user)]
    url = reverse(api(name), args=args)
    with transaction.atomic():
        response = getattr(client, method)(url, body, content_type="application/json")
        transaction.set_rollback(True)
    return int(response.status_code)


def test_every_unsafe_api_operation_has_a_write_entry():
    """A new POST, PATCH or DELETE under /api/v1/ fails here until WRITES gives its answers (PUT is
    PATCH's route and answers as it does)."""
    listed = {(name, method) for name, method, _kind, _body in WRITE_CASES}
    assert set(WRITES) == listed
    missing = set()
    for name, pattern in walk(get_resolver()):
        actions = getattr(pattern.callback, "actions", None) or {}
        for method in UNSAFE:
            if name.startswith("api:") and method in actions and (name[4:], method) not in listed:
                missing.add(f"{name} {method.upper()}")
    assert not missing, f"unsafe API operations without a line in WRITES: {sorted(missing)}"


@pytest.mark.parametrize("role", WRITE_ROLES)
def test_every_role_gets_the_answer_its_line_gives_for_every_write(request, world, role):
    user: User | None = None if role == "anonymous" else request.getfixturevalue(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    column = WRITE_ROLES.index(role)
    wrong: list[str] = []
    checked = 0
    for case in WRITE_CASES:
        name, method, kind, _body = case
        expected = WRITES[(name, method)][column]
        for side, status in zip(("own", "other"), expected, strict=True):
            if kind is None and side == "other":
                continue
            answer = write_status(client, case, world, side, user)
            checked += 1
            if answer != status:
                wrong.append(f"{role} {method.upper()} {name} ({side}): {answer}, expected {status}")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\naccess matrix: {role}: {checked} unsafe API operation × object checks")
    assert not wrong, "\n".join(wrong)


# --- Page writes: every non-API URL (pages, buttons, downloads, public forms), POSTed by every role ---
#
# Each POST sends an empty form, in a savepoint that is rolled back. Answers: 302 to the login page
# (anonymous), 405 a read-only page (GET_ONLY), 403 the role may not, 404 out of scope (or no such
# object), 200 the form again with its errors (past the gate, the input is refused), 302 a button past
# the gate (back to the page, its message saying what was refused), 400 an upload refused. The admin's
# own pages are not here (its forms follow the model permissions: admin_entries above). A new page
# without a line fails `test_every_page_has_a_page_write_entry`.

GET_ONLY = answers(302, 405, 405, 405, 405)
PUBLIC_GET_ONLY = answers(405, 405, 405, 405, 405)
# A button whose args in MATRIX are for the GET check: the POST uses a real step.
PAGE_WRITE_ARGS: dict[str, tuple[Any, ...]] = {"inspections:inspection_follow_up": ("order",)}

PAGE_WRITES: dict[str, tuple[tuple[int, int], ...]] = {
    "campaigns:assignment_detail": GET_ONLY,
    "campaigns:assignment_transition": answers(302, (302, 404), 403, 302, 404),
    # A read page that answers any method (nothing is written).
    "campaigns:notice": answers(302, 200, 200, 200, 200),
    "campaigns:notice_import": answers(302, 403, 403, 200, 403),
    # A read page that answers any method (nothing is written).
    "campaigns:notice_year": answers(302, 200, 200, 200, 200),
    "campaigns:plan": answers(302, 403, 403, 200, 403),
    "campaigns:plan_clone": answers(302, 403, 403, 302, 403),
    "campaigns:plan_group": answers(302, 403, 403, 404, 403),
    "campaigns:plan_index": answers(302, 403, 403, 302, 403),
    "campaigns:plan_milestone_delete": answers(302, 403, 403, 404, 403),
    "campaigns:plan_requirement": answers(302, 403, 403, 404, 403),
    "campaigns:plan_task": answers(302, 403, 403, 404, 403),
    "campaigns:plan_window_delete": answers(302, 403, 403, 404, 403),
    "campaigns:plan_windows_generate": answers(302, 403, 403, 302, 403),
    "campaigns:requirement": answers(302, (200, 404), 403, 200, 404),
    "campaigns:workbench": GET_ONLY,
    "dashboard:index": answers(302, 403, 405, 405, 403),
    "enterprise_picker:quick_add": answers(302, 200, 403, 200, 403),
    # A read page that answers any method (nothing is written).
    "enterprise_picker:search": answers(302, 200, 200, 200, 200),
    "enterprises:commitment_create": answers(302, 200, 403, 200, 403),
    "enterprises:commitment_detail": answers(302, 405, 405, 405, 403),
    "enterprises:commitment_list": answers(302, 405, 405, 405, 403),
    "enterprises:enterprise_create": answers(302, 200, 403, 200, 403),
    "enterprises:enterprise_detail": GET_ONLY,
    "enterprises:enterprise_edit": answers(302, 200, 403, 200, 403),
    "enterprises:enterprise_list": GET_ONLY,
    "enterprises:integrity_create": answers(302, 200, 403, 200, 403),
    "enterprises:integrity_end": answers(302, (200, 404), 403, 200, 404),
    "enterprises:integrity_list": answers(302, 405, 405, 405, 403),
    "enterprises:problem_raise": answers(302, (302, 404), 403, 302, 404),
    "enterprises:problem_transition": answers(302, (302, 404), 403, 302, 404),
    "enterprises:visit_create": answers(302, 200, 403, 200, 403),
    "enterprises:visit_detail": GET_ONLY,
    "enterprises:visit_edit": answers(302, (200, 404), 403, 200, 404),
    "enterprises:visit_list": GET_ONLY,
    "enterprises:visit_review": answers(302, (302, 404), 403, 302, 404),
    "evidence:image": GET_ONLY,
    "evidence:pending_thumbnail": GET_ONLY,
    "evidence:pending_upload": answers(302, 400, 403, 400, 400),
    "evidence:thumbnail": GET_ONLY,
    "healthz": PUBLIC_GET_ONLY,
    "home": answers(302, 302, 302, 302, 302),
    "inspections:inspection_create": answers(302, 200, 403, 200, 403),
    "inspections:inspection_detail": GET_ONLY,
    "inspections:inspection_edit": answers(302, (200, 404), 403, 200, 404),
    "inspections:inspection_follow_up": answers(302, (302, 404), 403, 302, 404),
    "inspections:inspection_list": GET_ONLY,
    "inspections:inspection_review": answers(302, (302, 404), 403, 302, 404),
    "inspections:statistics": GET_ONLY,
    "inspections:statistics_export": PUBLIC_GET_ONLY,
    "instruments:instrument_create": answers(302, 200, 403, 200, 200),
    "instruments:instrument_detail": GET_ONLY,
    "instruments:instrument_edit": answers(302, (200, 404), 403, 200, 404),
    "instruments:instrument_import": answers(302, 200, 403, 200, 200),
    "instruments:instrument_list": GET_ONLY,
    "instruments:instrument_review": answers(302, (302, 404), 403, 302, 404),
    "instruments:lead_dismiss": answers(302, (302, 404), 403, 302, 404),
    "instruments:lead_from_incident": answers(302, (302, 404), 403, 302, 404),
    "instruments:lead_from_report": answers(302, (302, 404), 403, 302, 404),
    "instruments:lead_list": answers(302, 405, 405, 405, 403),
    "instruments:lead_plan": answers(302, (302, 404), 403, 302, 404),
    "instruments:owner_contact": answers(302, 200, 403, 200, 403),
    "instruments_risk:risk_list": GET_ONLY,
    "instruments_risk:risk_plan": answers(302, (302, 404), 403, 302, 404),
    "login": answers(200, 302, 302, 302, 302),
    "logout": answers(302, 302, 302, 302, 302),
    "microstations:activity_create": answers(302, 200, 403, 200, 200),
    "microstations:activity_detail": GET_ONLY,
    "microstations:activity_edit": answers(302, (200, 404), 403, 200, (200, 404)),
    "microstations:activity_list": GET_ONLY,
    "microstations:activity_review": answers(302, (302, 404), 403, 302, (302, 404)),
    "microstations:station_detail": GET_ONLY,
    "microstations:station_list": GET_ONLY,
    "microstations:station_set_stage": answers(302, (403, 404), 403, 302, (403, 404)),
    "notifications:inbox": GET_ONLY,
    "notifications:mark_all_read": answers(302, 302, 302, 302, 302),
    "notifications:mark_read": answers(302, (302, 404), (302, 404), (302, 404), (302, 404)),
    "notifications:unread_count": GET_ONLY,
    "opinion:incident_create": answers(302, 200, 403, 200, 403),
    # A read page that answers any method (nothing is written).
    "opinion:incident_detail": answers(302, (200, 404), 200, 200, 403),
    "opinion:incident_edit": answers(302, (200, 404), 403, 200, 404),
    "opinion:incident_list": answers(302, 405, 405, 405, 403),
    "opinion:incident_report": answers(302, (302, 404), 403, 302, 404),
    "opinion:incident_transition": answers(302, (302, 404), 403, 302, 404),
    "organizations:otp_setup": answers(302, 403, 403, 200, 403),
    "organizations:otp_verify": answers(302, 403, 403, 302, 403),
    "public:station": PUBLIC_GET_ONLY,
    "public:station_feedback": answers(400, 400, 400, 400, 400),
    "public:station_poster": PUBLIC_GET_ONLY,
    "public:station_qr": PUBLIC_GET_ONLY,
    "public:station_thanks": PUBLIC_GET_ONLY,
    "public_instruments:due_list": PUBLIC_GET_ONLY,
    "public_instruments:due_list_xlsx": PUBLIC_GET_ONLY,
    "public_instruments:instrument": PUBLIC_GET_ONLY,
    "public_instruments:instrument_qr": PUBLIC_GET_ONLY,
    "public_instruments:owner_labels": GET_ONLY,
    "public_instruments:rate": answers(404, 404, 404, 404, 404),
    "public_instruments:report": answers(404, 404, 404, 404, 404),
    "public_instruments:thanks": PUBLIC_GET_ONLY,
    "publicity:activity_create": answers(302, 200, 403, 200, 200),
    "publicity:activity_detail": GET_ONLY,
    "publicity:activity_edit": answers(302, (200, 404), 403, 200, 404),
    "publicity:activity_list": GET_ONLY,
    "publicity:activity_review": answers(302, (302, 404), 403, 302, 404),
    "publicity:news_adopt": answers(302, (403, 404), 403, 302, 403),
    "publicity:news_create": answers(302, 200, 403, 200, 403),
    "publicity:news_detail": answers(302, 405, 405, 405, 403),
    "publicity:news_edit": answers(302, (200, 404), 403, 200, 404),
    "publicity:news_list": answers(302, 405, 405, 405, 403),
    "publicity:news_ranking": answers(302, 405, 405, 405, 403),
    "publicity:news_review": answers(302, (302, 404), 403, 302, 404),
    "publicity:progress": GET_ONLY,
    "records:review_queue": GET_ONLY,
    "records:review_queue_bulk": answers(302, 302, 403, 302, 403),
    "records:review_queue_count": GET_ONLY,
    "reports:download": GET_ONLY,
    "reports:list": GET_ONLY,
    "reports:request": answers(302, 403, 302, 302, 403),
    "reports:retry": answers(302, 403, 302, 302, 403),
    "reports:status": GET_ONLY,
    "volunteer_self:certificate": PUBLIC_GET_ONLY,
    "volunteer_self:page": answers(404, 404, 404, 404, 404),
    "volunteers:act_detail": GET_ONLY,
    "volunteers:act_review": answers(302, 404, 404, 404, 404),
    "volunteers:link_issue": answers(302, (302, 404), 403, 302, (302, 404)),
    "volunteers:link_revoke": answers(302, (302, 404), 403, 302, (302, 404)),
    "volunteers:volunteer_create": answers(302, 200, 403, 200, 200),
    "volunteers:volunteer_edit": answers(302, (200, 404), 403, 200, (200, 404)),
    "volunteers:volunteer_list": GET_ONLY,
    "schema": PUBLIC_GET_ONLY,
    "api-docs": PUBLIC_GET_ONLY,
}


def page_names() -> set[str]:
    entries = all_entries()
    return {
        name
        for name, _pattern in walk(get_resolver())
        if not name.startswith(("admin:", "api:")) and entries.get(name, E("")).profile != "skip"
    }


def test_every_page_has_a_page_write_entry():
    """Every non-API URL outside the admin has its POST answers for every role (and no stale line)."""
    assert page_names() == set(PAGE_WRITES)


@pytest.mark.parametrize("role", WRITE_ROLES)
def test_every_role_gets_the_answer_its_line_gives_for_every_page_write(request, world, role):
    user: User | None = None if role == "anonymous" else request.getfixturevalue(role)
    client = Client()
    column = WRITE_ROLES.index(role)
    entries = all_entries()
    wrong: list[str] = []
    checked = 0
    for number, name in enumerate(sorted(page_names())):
        entry = entries[name]
        if name in PAGE_WRITE_ARGS:
            entry = E(entry.profile, entry.obj, PAGE_WRITE_ARGS[name])
        expected = PAGE_WRITES[name][column]
        for side, status in zip(("own", "other"), expected, strict=True):
            if entry.obj is None and side == "other":
                continue
            if user is not None:
                client.force_login(user)  # again: a POST to the logout page signs out
            url = url_for(name, entry, world, side, user)
            with transaction.atomic():
                # Each request from its own address: the public forms' per-address limits stay out of it.
                answer = client.post(
                    url, {}, REMOTE_ADDR=f"10.4.{number}.{1 + (side == 'other')}"
                ).status_code
                transaction.set_rollback(True)
            checked += 1
            if answer != status:
                wrong.append(f"{role} POST {url} ({name}, {side}): {answer}, expected {status}")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\naccess matrix: {role}: {checked} page POST × object checks")
    assert not wrong, "\n".join(wrong)
