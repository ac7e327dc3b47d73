"""One object of every kind a unit owns (with a photo), for tests that walk every endpoint: the access
matrix and the list query counts. `mark` goes into each object's text, so an answer can be searched
for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Campaign, Milestone, PartyGroup, ReportingWindow, WorkRequirement
from enterprises.models import IntegrityCommitment, IntegrityEntry
from evidence.processing import process_upload
from evidence.services import photos_attach
from instruments.models import InspectionLead, ProblemReport
from organizations.models import Unit, User
from tests.enterprises.factories import EnterpriseVisitFactory, MetrologyProblemFactory
from tests.evidence.images import jpeg
from tests.factories import TaskAssignmentFactory, TaskFactory
from tests.inspections.factories import InspectionFactory
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory
from tests.opinion.factories import OpinionIncidentFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory


def unit_objects(*, unit: Unit, user: User, campaign: Campaign, mark: str, plaque_no: str) -> dict[str, Any]:
    station = MicroStationFactory(supervising_unit=unit, name=f"{mark}微站", plaque_no=plaque_no, opened=True)
    inspection = InspectionFactory(unit=unit, created_by=user, inspectors=f"{mark}检查员")
    visit = EnterpriseVisitFactory(unit=unit, created_by=user, summary=f"{mark}走访")
    task = TaskFactory(campaign=campaign, title=f"{mark}任务")
    # Groups are the campaign's, not a unit's: no mark in the label (every role reads them).
    group = PartyGroup.objects.create(campaign=campaign, label=f"单位组 {plaque_no}", unit_kinds=["office"])
    group.added_units.set([unit])
    party = inspection.inspected_party
    instrument = RegisteredInstrumentFactory(unit=unit, created_by=user, owner=party, note=f"{mark}器具")
    day = dt.date(2025, 5, 20)
    upload = SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")
    photo = photos_attach(actor=user, record=inspection, photos=[process_upload(upload)])[0]
    return {
        "unit": unit,
        "station": station,
        "plaque": station.plaque_no,
        "activity": StationActivityFactory(station=station, title=f"{mark}活动"),
        "volunteer": VolunteerFactory(station=station, name=f"{mark}宣传员"),
        "publicity": PublicityActivityFactory(unit=unit, created_by=user, title=f"{mark}宣传"),
        "news": NewsItemFactory(unit=unit, created_by=user, title=f"{mark}信息"),
        "incident": OpinionIncidentFactory(handling_unit=unit, created_by=user, title=f"{mark}舆情"),
        "inspection": inspection,
        "visit": visit,
        "problem": MetrologyProblemFactory(visit=visit, description=f"{mark}问题"),
        "assignment": TaskAssignmentFactory(task=task, unit=unit, note=f"{mark}备注"),
        "task": task,
        "group": group,
        "milestone": Milestone.objects.create(task=task, title=f"{mark}节点", due_date=dt.date(2025, 5, 10)),
        # A group's window: the campaign's, read by every role like its group.
        "window": ReportingWindow.objects.create(
            campaign=campaign,
            group=group,
            label="第1周",
            start_date=dt.date(2025, 4, 25),
            end_date=dt.date(2025, 5, 1),
            due_date=dt.date(2025, 5, 2),
            record_types=["inspections.inspectionrecord"],
        ),
        "photo": photo,
        "enterprise": party,
        "campaign": campaign,
        "requirement": WorkRequirement.objects.create(
            campaign=campaign, notice_ref="三（三）", title=f"{mark}工作要求", owner=unit
        ),
        "integrity_entry": IntegrityEntry.objects.create(
            enterprise=party,
            unit=unit,
            kind="red_list",
            reason=f"{mark}红名单",
            started_on=day,
            created_by=user,
        ),
        "commitment": IntegrityCommitment.objects.create(
            enterprise=party, unit=unit, signed_on=day, text=f"{mark}承诺", created_by=user
        ),
        "instrument": instrument,
        "instrument_problem": ProblemReport.objects.create(instrument=instrument, text=f"{mark}问题反映"),
        "lead": InspectionLead.objects.create(
            unit=unit, instrument=instrument, summary=f"{mark}线索", created_by=user
        ),
    }
