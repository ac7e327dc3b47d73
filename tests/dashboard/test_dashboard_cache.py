"""The dashboard's panels are reused from the cache (dashboard.panels, DASHBOARD_CACHE_SECONDS): the
page then runs a handful of queries, an approval shows on the next request, each user and each filter
has its own copy, and a cache that fails costs only the rendering."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache

from dashboard import panels
from records.models import ReviewStatus
from reports.models import Report
from tests.dashboard import test_dashboard
from tests.dashboard.test_dashboard import URL, populate
from tests.html import select, text_of
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

campaign = test_dashboard.campaign  # the same campaign fixture (a workstream 1 with its targets)


@pytest.fixture(autouse=True)
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def figure(response, label: str) -> str:
    return text_of(response, f'a.summary-tile[data-figure="{label}"] .figure')


def test_a_cached_dashboard_runs_a_handful_of_queries_whatever_the_panels_need(
    client, django_assert_num_queries, leader, campaign, unit_a, unit_b
):
    populate(campaign, unit_a, unit_b, 3)
    client.force_login(leader)
    first = client.get(URL)

    # 1 session, 2 user, 3-4 permissions, 5 the current campaign with when its figures last changed
    # (the panels' cache key) and its newest report (the extras' key), 6 open serious incidents
    # (banner, always live), 7 the user's groups (header). The forms' choices and the recent reports
    # come from the cache with the panels (was 13: those were five queries, the campaign and the
    # figures' last change two).
    with django_assert_num_queries(7):
        second = client.get(URL)

    assert second.status_code == 200
    assert figure(second, "微站活动") == figure(first, "微站活动") == "6"
    assert "本页各栏生成于" in second.content.decode()
    assert "最多沿用 60 秒" in second.content.decode()


def test_a_change_of_the_official_figures_shows_on_the_next_request(client, leader, campaign, unit_a):
    station = MicroStationFactory(campaign=campaign, supervising_unit=unit_a, opened=True)
    StationActivityFactory(station=station, review_status=ReviewStatus.APPROVED)
    client.force_login(leader)
    before = client.get(URL)

    # An approval moves the facts (here the tests' recount does, tests/dashboard/conftest.py): the
    # cache key holds when the figures last changed.
    StationActivityFactory(station=station, review_status=ReviewStatus.APPROVED)
    after = client.get(URL)

    assert (figure(before, "微站活动"), figure(after, "微站活动")) == ("1", "2")


def test_each_user_and_each_filter_has_its_own_copy(client, leader, bureau_admin, campaign, unit_a, unit_b):
    populate(campaign, unit_a, unit_b, 1)
    client.force_login(leader)
    everyone = client.get(URL)
    only_a = client.get(URL, {"unit": unit_a.pk})
    client.force_login(bureau_admin)
    other_user = client.get(URL)

    assert (figure(everyone, "微站活动"), figure(only_a, "微站活动")) == ("2", "1")
    assert figure(other_user, "微站活动") == "2"
    # The leader's copy was not handed to the bureau admin: theirs was rendered for them.
    assert "cards" in other_user.context


def test_a_failing_cache_costs_only_the_rendering(client, leader, campaign, unit_a, unit_b):
    populate(campaign, unit_a, unit_b, 1)
    client.force_login(leader)

    with (
        mock.patch("dashboard.panels.cache.get_many", side_effect=ConnectionError("redis down")) as get,
        mock.patch("dashboard.panels.cache.set_many", side_effect=ConnectionError("redis down")) as put,
    ):
        response = client.get(URL)

    assert (get.call_count, put.call_count) == (1, 1)
    assert response.status_code == 200
    assert figure(response, "微站活动") == "2"
    assert [
        option.get("value") for option in select(response, "form.filter-form select[name=unit] option")
    ] == [
        "",
        str(unit_a.pk),
        str(unit_b.pk),
    ]


def test_the_cached_form_choices_are_offered_and_a_bad_choice_is_still_refused(
    client, leader, campaign, unit_a, unit_b
):
    populate(campaign, unit_a, unit_b, 1)
    client.force_login(leader)
    client.get(URL)  # caches the panels, the forms' choices and the recent reports

    cached = client.get(URL, {"unit": unit_a.pk})
    refused = client.get(URL, {"unit": 999999})

    options = select(cached, "form.filter-form select[name=unit] option")
    assert [(o.get("value"), o.text_content()) for o in options[1:]] == [
        (str(unit_a.pk), unit_a.name),
        (str(unit_b.pk), unit_b.name),
    ]
    assert [o.get("value") for o in options if o.get("selected") is not None] == [str(unit_a.pk)]
    assert cached.context["filters"].unit == unit_a
    # A unit that is no choice is refused by the form (validated against its queryset, not the cache):
    # the page shows the error and every unit's figures.
    assert refused.status_code == 200
    assert "unit" in refused.context["filter_form"].errors
    assert refused.context["filters"].unit is None
    assert figure(refused, "微站活动") == "2"


def test_the_forms_fields_are_rendered_once_per_query_and_keep_its_choices(
    client, leader, campaign, unit_a, unit_b
):
    populate(campaign, unit_a, unit_b, 1)
    client.force_login(leader)
    with mock.patch("dashboard.panels._render_forms", wraps=panels._render_forms) as render:
        client.get(URL)
        again = client.get(URL)
        only_a = client.get(URL, {"unit": unit_a.pk})
        only_a_again = client.get(URL, {"unit": unit_a.pk})

    assert render.call_count == 2  # once for each query
    for response, chosen in ((again, ""), (only_a, str(unit_a.pk)), (only_a_again, str(unit_a.pk))):
        selected = select(response, "form.filter-form select[name=unit] option[selected]")
        assert [o.get("value") for o in selected] == [chosen]
        # The report form beside the panels offers the same scope.
        report_unit = select(response, "form.report-form select[name=unit] option[selected]")
        assert [o.get("value") for o in report_unit] == [chosen]
    assert len(select(again, "form.report-form select[name=campaign] option")) >= 1


def test_a_newly_requested_report_is_listed_on_the_next_request(client, leader, campaign):
    client.force_login(leader)
    before = client.get(URL)

    Report.objects.create(campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader)
    after = client.get(URL)

    # The recent reports are cached under the campaign's newest report: a new one is a new key.
    assert (len(before.context["recent_reports"]), len(after.context["recent_reports"])) == (0, 1)
    assert len(select(after, "li[data-report-status-url]")) == 1
