"""A 协办单位 (the testing institute) reads the inspections it joined as the technical unit, no others,
and writes none (issue 18)."""

from __future__ import annotations

import pytest

from inspections import selectors
from organizations.models import Unit
from organizations.roles import Role
from tests.factories import UnitFactory, UserFactory
from tests.inspections.factories import InspectionFactory, InstrumentFactory

pytestmark = pytest.mark.django_db


def test_the_testing_institute_reads_only_the_inspections_it_joined(
    client, campaign, inspection_a, inspection_b
):
    institute = UnitFactory(name="巫山检测所", kind=Unit.Kind.TESTING)
    user = UserFactory(unit=institute, roles=[Role.COOPERATOR])
    joined = InspectionFactory(
        unit=inspection_a.unit, created_by=inspection_a.created_by, joint_unit=institute
    )
    instrument = InstrumentFactory(inspection=joined)

    assert list(selectors.inspection_list_for_user(user=user)) == [joined]
    assert list(selectors.instrument_list_for_user(user=user)) == [instrument]
    client.force_login(user)
    assert client.get(joined.get_absolute_url()).status_code == 200
    assert client.get(inspection_a.get_absolute_url()).status_code == 404
    assert client.get(f"/workbench/inspections/{joined.pk}/edit/").status_code in (403, 404)
