"""Query budgets of the lead list and the register's admin changelists: the same number of queries at
two data sizes (and within a small budget)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instruments import services
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db


def populate(size, unit, user, campaign):
    for number in range(size):
        line = RegisteredInstrumentFactory(unit=unit, created_by=user)
        report = services.problem_report(instrument=line, text=f"第{number}个问题")
        if number % 2 == 0:
            services.lead_from_problem_report(actor=user, report=report)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "actor", "budget"),
    [
        ("/workbench/instruments/leads/", "office_a", 14),
        ("/admin/instruments/registeredinstrument/", "bureau_admin", 14),
        ("/admin/instruments/inspectionlead/", "bureau_admin", 14),
        ("/admin/instruments/problemreport/", "bureau_admin", 14),
    ],
)
def test_pages_run_the_same_queries_whatever_the_data_size(
    client, request, campaign, office_a, url, actor, budget
):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    populate(2, office_a.unit, office_a, campaign)
    count_queries(client, url)  # fills the process-wide caches (content types) first
    small = count_queries(client, url)
    populate(10, office_a.unit, office_a, campaign)
    large = count_queries(client, url)
    assert small == large <= budget
