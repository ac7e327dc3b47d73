"""Every instruments admin's history page answers: the rows without a simple-history table (ratings,
problem reports, reminder claims) show Django's own history instead of a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from instruments.models import InstrumentRating, RegisteredInstrument

pytestmark = pytest.mark.django_db


def test_a_ratings_history_page_answers_for_the_bureau(
    client, bureau_admin, instrument_a: RegisteredInstrument
):
    rating = InstrumentRating.objects.create(instrument=instrument_a, score=2)
    client.force_login(bureau_admin)
    response = client.get(reverse("admin:instruments_instrumentrating_history", args=[rating.pk]))
    assert response.status_code == 200


def test_a_register_lines_history_page_lists_its_simple_history(client, bureau_admin, instrument_a):
    client.force_login(bureau_admin)
    response = client.get(reverse("admin:instruments_registeredinstrument_history", args=[instrument_a.pk]))
    assert response.status_code == 200
    assert instrument_a.history.count() >= 1
