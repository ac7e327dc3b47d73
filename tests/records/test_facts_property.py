"""The precomputed figures (records.facts) equal a recount after any sequence of writes.

A Hypothesis state machine creates, edits, submits, approves, returns and deletes station activities
and inspections (entered or listed instruments), and files and closes cases on approved inspections,
all through the services, as two offices and the bureau would. After every step:

- the stored cells equal a from-scratch recount of the records (records.facts.facts_recount), and
- the dashboard's figures built from them equal the workstreams' own selectors, which count the
  records directly (the statistics table's 合计 row, the station activities and people reached).

Refused steps (an edit of an approved record, an approval of a draft …) must change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from dashboard.selectors import Filters, inspection_rows, official_figures
from inspections import services as inspection_services
from inspections.models import Domain, InspectionRecord
from inspections.selectors import inspection_statistics
from inspections.verification import Result
from microstations.models import StationActivity
from microstations.selectors import station_summary
from records import services
from records.facts import facts_recount, facts_stored
from records.models import ReviewStatus
from tests.inspections.factories import EnterpriseFactory, instrument_type
from tests.microstations.factories import MicroStationFactory, campaign_2025

DAYS = [dt.date(2025, 5, 10), dt.date(2025, 5, 20), dt.date(2025, 6, 1)]
RESULTS = [Result.PASSED, Result.FAILED, Result.NONE]


def scales(party: Any, day: dt.date, checked: int, unverified: int) -> dict[str, Any]:
    return {
        "domain": Domain.SCALES,
        "inspected_party": party,
        "date": day,
        "inspectors": "张三、李四",
        "staff_turnout": 2,
        "instruments_checked": checked,
        "mandatory_count": checked,
        "unverified_count": unverified,
        "fair_scale_present": True,
        "instruments_registered": True,
        "problems_found": unverified,
        "problem_types": ["unverified"] if unverified else [],
    }


def scale(number: int, result: str, overdue: bool) -> dict[str, Any]:
    return {
        "instrument_type": instrument_type("price_scale"),
        "serial_no": f"S-{number}",
        "certificate_no": f"JD-{number}",
        "verified_on": dt.date(2024, 3, 1),
        "valid_until": dt.date(2025, 3, 1) if overdue else dt.date(2026, 3, 1),
        "verifying_body": "巫山检测所",
        "result": result,
        "mark_present": True,
        "seal_intact": number % 2 == 0,
        "service_life_end": None,
    }


class FiguresMachine(RuleBasedStateMachine):
    # Set by the test below (pytest fixtures cannot reach a state machine's constructor).
    context: dict[str, Any] = {}

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint that teardown rolls back: examples share nothing.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        ctx = self.context
        self.offices, self.admin, self.campaign = ctx["offices"], ctx["admin"], ctx["campaign"]
        self.stations = ctx["stations"]
        self.parties = ctx["parties"]
        self.records: list[tuple[type, int]] = []
        self.serial = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _office(self, n: int) -> Any:
        return self.offices[n % len(self.offices)]

    def _record(self, index: int) -> Any:
        model, pk = self.records[index % len(self.records)]
        return model.objects.filter(pk=pk).first()

    def _attempt(self, action: Any) -> None:
        """A refused step must leave everything as it was (its savepoint is rolled back)."""
        try:
            with transaction.atomic():
                action()
        except ValidationError:
            pass

    @rule(
        office=st.integers(0, 1), people=st.integers(1, 400), day=st.sampled_from(DAYS), submit=st.booleans()
    )
    def create_station_activity(self, office: int, people: int, day: dt.date, submit: bool) -> None:
        actor = self._office(office)
        activity = services.record_save(
            actor=actor,
            model=StationActivity,
            data={
                "station": self.stations[actor.unit_id],
                "date": day,
                "topic": StationActivity.Topic.SCIENCE,
                "title": "计量科普进社区",
                "people_reached": people,
                "materials_distributed": 10,
                "volunteers_present": 1,
                "summary": "现场解答群众咨询。",
            },
            submit=submit,
        )
        self.records.append((StationActivity, activity.pk))

    @rule(
        office=st.integers(0, 1),
        party=st.integers(0, 2),
        day=st.sampled_from(DAYS),
        checked=st.integers(1, 12),
        unverified=st.integers(0, 1),
        listed=st.lists(st.tuples(st.sampled_from(RESULTS), st.booleans()), max_size=3),
        submit=st.booleans(),
        approve=st.booleans(),
    )
    def create_inspection(
        self,
        office: int,
        party: int,
        day: dt.date,
        checked: int,
        unverified: int,
        listed: list,
        submit: bool,
        approve: bool,
    ) -> None:
        rows = []
        for result, overdue in listed:
            self.serial += 1
            rows.append(scale(self.serial, result, overdue))
        record = inspection_services.inspection_save(
            actor=self._office(office),
            campaign=self.campaign,
            data=scales(self.parties[party], day, checked, unverified),
            instruments=rows,
            submit=submit or approve,
        )
        if approve:
            services.record_approve(actor=self.admin, record=record)
        self.records.append((InspectionRecord, record.pk))

    @precondition(lambda self: self.records)
    @rule(index=st.integers(0, 99), value=st.integers(1, 400), day=st.sampled_from(DAYS))
    def edit(self, index: int, value: int, day: dt.date) -> None:
        record = self._record(index)
        if record is None:
            return
        actor = next(o for o in self.offices if o.unit_id == record.unit_id)
        if isinstance(record, StationActivity):
            self._attempt(
                lambda: services.record_save(
                    actor=actor,
                    model=StationActivity,
                    record=record,
                    data={"people_reached": value, "date": day},
                )
            )
        else:
            self._attempt(
                lambda: inspection_services.inspection_save(
                    actor=actor,
                    record=record,
                    data={"staff_turnout": value % 9 + 1, "date": day},
                    instruments=None,
                )
            )

    @precondition(lambda self: self.records)
    @rule(index=st.integers(0, 99))
    def submit(self, index: int) -> None:
        record = self._record(index)
        if record is not None:
            actor = next(o for o in self.offices if o.unit_id == record.unit_id)
            self._attempt(lambda: services.record_submit(actor=actor, record=record))

    @precondition(lambda self: self.records)
    @rule(index=st.integers(0, 99))
    def approve(self, index: int) -> None:
        record = self._record(index)
        if record is not None:
            self._attempt(lambda: services.record_approve(actor=self.admin, record=record))

    @precondition(lambda self: self.records)
    @rule(index=st.integers(0, 99))
    def return_(self, index: int) -> None:
        record = self._record(index)
        if record is not None:
            self._attempt(
                lambda: services.record_return(actor=self.admin, record=record, reason="请补充照片。")
            )

    @precondition(lambda self: self.records)
    @rule(index=st.integers(0, 99))
    def delete(self, index: int) -> None:
        record = self._record(index)
        if record is not None:
            # Offices may not delete records; the bureau may, until one is approved.
            self._attempt(lambda: services.record_delete(actor=self.admin, record=record))

    @precondition(lambda self: any(model is InspectionRecord for model, _pk in self.records))
    @rule(index=st.integers(0, 99), close=st.booleans())
    def file_or_close_case(self, index: int, close: bool) -> None:
        """Follow-up happens on approved inspections too, weeks after the visit."""
        inspections = [pk for model, pk in self.records if model is InspectionRecord]
        record = InspectionRecord.objects.filter(pk=inspections[index % len(inspections)]).first()
        if record is None:
            return
        actor = next(o for o in self.offices if o.unit_id == record.unit_id)
        if close and record.case_no:
            self._attempt(
                lambda: inspection_services.inspection_close_case(
                    actor=actor, inspection=record, closed_on=dt.date(2025, 6, 10)
                )
            )
        elif not record.case_no:
            self._attempt(
                lambda: inspection_services.inspection_file_case(
                    actor=actor,
                    inspection=record,
                    case_no=f"巫市监立〔2025〕{record.pk}号",
                    filed_on=record.date,
                )
            )

    @invariant()
    def the_figures_equal_a_recount(self) -> None:
        assert facts_stored(self.campaign) == facts_recount(self.campaign)

    @invariant()
    def the_dashboard_agrees_with_the_workstreams_own_counts(self) -> None:
        official = official_figures(Filters(campaign=self.campaign))
        from_facts = inspection_rows(official)[-1]
        from_records = inspection_statistics(campaign=self.campaign)[-1]
        assert from_facts.values() == from_records.values()
        live = station_summary(campaign=self.campaign)
        assert int(official.total("microstations.stationactivity", "count")) == live["activities"]
        assert int(official.total("microstations.stationactivity", "people_reached")) == live["people"]
        approved = StationActivity.objects.filter(review_status=ReviewStatus.APPROVED)
        assert live["activities"] == approved.count()


def test_the_precomputed_figures_equal_a_recount_after_any_writes(office_a, office_b, bureau_admin):
    campaign = campaign_2025()
    FiguresMachine.context = {
        "offices": [office_a, office_b],
        "admin": bureau_admin,
        "campaign": campaign,
        "stations": {
            office.unit_id: MicroStationFactory(campaign=campaign, supervising_unit=office.unit, opened=True)
            for office in (office_a, office_b)
        },
        "parties": [EnterpriseFactory() for _ in range(3)],
    }
    run_state_machine_as_test(
        FiguresMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


pytestmark = pytest.mark.django_db
