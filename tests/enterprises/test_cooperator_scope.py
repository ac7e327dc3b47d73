"""A 协办单位 account of 巫山检测所 reads the SME visits it supported as technical partner, and their
problems; other visits are 404 to it, and it writes nothing (issue 18)."""

from __future__ import annotations

import pytest

from enterprises import selectors
from enterprises.models import MetrologyProblem
from organizations.access import scope_to_user
from organizations.roles import Role
from tests.enterprises.factories import EnterpriseVisitFactory, MetrologyProblemFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab_account(testing_unit):
    return UserFactory(username="lab", unit=testing_unit, roles=[Role.COOPERATOR])


def test_the_lab_reads_the_visits_it_supported_and_no_others(
    client, lab_account, testing_unit, visit_a, visit_b
):
    supported = EnterpriseVisitFactory(
        enterprise=visit_a.enterprise,
        unit=visit_a.unit,
        created_by=visit_a.created_by,
        technical_partner=testing_unit,
    )
    problem = MetrologyProblemFactory(visit=supported)
    MetrologyProblemFactory(visit=visit_a)

    assert list(selectors.visit_list_for_user(user=lab_account)) == [supported]
    problems = scope_to_user(MetrologyProblem.objects.all(), lab_account, unit_field="visit__unit")
    assert list(problems) == [problem]
    client.force_login(lab_account)
    assert client.get(supported.get_absolute_url()).status_code == 200
    assert client.get(visit_a.get_absolute_url()).status_code == 404
    assert client.get(f"/workbench/enterprises/visits/{supported.pk}/edit/").status_code == 403
