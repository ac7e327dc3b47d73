"""Every write to inspections: recording and editing them with their instruments, and their follow-up.

The follow-up status is never set by hand: `_sync_follow_up` derives it from the rectification and
case facts, and keeps the follow-up task in step — ordering rectification with a deadline gives the
record's unit a task in the campaign's 二（三） workstream, due on the deadline (so it shows on the
unit's workbench and in the daily reminders); recording the rectification, or filing a case instead,
completes that task.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import services as campaign_services
from campaigns.models import Campaign, Task, TaskAssignment, TaskParty, Workstream
from core.catalogs import catalog_delete, catalog_save
from evidence.processing import ProcessedPhoto
from inspections.models import (
    NORMALISED_FIELDS,
    InspectedInstrument,
    InspectionRecord,
    InstrumentCheck,
    InstrumentType,
    PlannedInspection,
    normalised,
)
from organizations.access import get_for_user, scope_to_user, sees_all_units
from organizations.models import Unit, User
from records import services as record_services
from records.facts import facts_kept

INSPECTION_NOTICE_REF = "二（三）"
INSPECTION_WORKSTREAM_NUMBER = 3
FOLLOW_UP_SORT_ORDER = 500

# The facts that, once recorded, an edit may correct but not remove: the follow-up task and its
# history already rest on them. (A mistaken order is withdrawn by the bureau admin, not by an edit.)
IRREVERSIBLE = {
    "rectification_notice_no": gettext_lazy("已下达责令整改，不能删除责令整改通知书编号。"),
    "rectified_on": gettext_lazy("已登记整改完成，不能删除整改完成日期。"),
    "case_no": gettext_lazy("已立案，不能删除立案号。"),
    "case_closed_on": gettext_lazy("已结案，不能删除结案日期。"),
}


def _merge(errors: dict[str, list[Any]], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    else:
        errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.messages)


def _build_instruments(rows: list[dict[str, Any]]) -> tuple[list[InspectedInstrument], dict[str, list[Any]]]:
    """Instrument rows as unsaved models with their type's defaults applied, and their problems."""
    instruments: list[InspectedInstrument] = []
    errors: dict[str, list[Any]] = {}
    for number, row in enumerate(rows, start=1):
        row = dict(row)
        checks = row.pop("checks", None) or {}
        instrument = InspectedInstrument(**row)
        # The check items' outcomes ({CheckItem: passed}), written with the row (`_save_instruments`).
        instrument.pending_checks = dict(checks)  # type: ignore[attr-defined]
        instrument.apply_type_defaults()
        try:
            # `registered` is checked by InstrumentRows._check_links alone (one message for a line that
            # does not exist and one out of scope: the model's own FK check would tell them apart).
            instrument.full_clean(exclude=["inspection", "registered"])
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.setdefault(NON_FIELD_ERRORS, []).extend(
                    _("第 %(n)d 台器具：%(message)s") % {"n": number, "message": message}
                    for message in messages
                )
        instruments.append(instrument)
    return instruments, errors


def _validate(
    record: InspectionRecord, instruments: list[InspectedInstrument], errors: dict[str, list[Any]]
) -> None:
    """Normalise and check the record with its instruments; raise every problem at once, save nothing."""
    record.normalise(listed=bool(instruments))
    try:
        record.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    try:
        record.validate_instruments(instruments)
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)


class InstrumentRows:
    """The nested instruments of one save through `record_save`: checked with the record (`validate`),
    written in its transaction (`after_save`), every problem of record and rows reported at once.

    `rows` None keeps the listed instruments as they are (an API edit of the header); a list replaces
    them as a whole (the form's rows, maybe none).
    """

    def __init__(self, *, actor: User, rows: list[dict[str, Any]] | None) -> None:
        self.actor = actor
        self.replace = rows is not None
        self.built, self.row_errors = _build_instruments(rows or [])
        self._check_links(actor)
        self.validated = False

    def _check_links(self, actor: User) -> None:
        """A row may name a register line only in the actor's scope, and check items of its domain."""
        register = InspectedInstrument._meta.get_field("registered").related_model
        linked = {i.registered_id for i in self.built if i.registered_id is not None}
        visible = (
            set(
                scope_to_user(register._default_manager.all(), actor)
                .filter(pk__in=linked)
                .values_list("pk", flat=True)
            )
            if linked
            else set()
        )
        seen: set[int] = set()
        for number, instrument in enumerate(self.built, start=1):
            if instrument.registered_id is not None and instrument.registered_id in seen:
                self.row_errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("第 %(n)d 台器具：与前面一行是台账中的同一台器具，请删除重复的行。") % {"n": number}
                )
            if instrument.registered_id is not None:
                seen.add(instrument.registered_id)
            if instrument.registered_id is not None and instrument.registered_id not in visible:
                self.row_errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("第 %(n)d 台器具：所选台账器具不存在或不在本单位的台账中。") % {"n": number}
                )
            for item in instrument.pending_checks:  # type: ignore[attr-defined]
                if item.domain != instrument.instrument_type.domain:
                    self.row_errors.setdefault(NON_FIELD_ERRORS, []).append(
                        _("第 %(n)d 台器具：检查项目“%(item)s”不适用于该器具。") % {"n": number, "item": item}
                    )

    def listed(self, record: InspectionRecord | None) -> bool:
        if self.replace:
            return bool(self.built)
        return record is not None and record.pk is not None and record.instruments.exists()

    def current(self, record: InspectionRecord) -> list[InspectedInstrument]:
        if self.replace:
            return self.built
        if record.pk is None:
            return []
        return list(record.instruments.select_related("instrument_type"))

    def errors_for(self, record: InspectionRecord) -> dict[str, list[Any]]:
        """The rows' own problems, the rules between record and rows, and the facts an edit may not
        take back (what the follow-up task already rests on may be corrected, not removed)."""
        errors = {name: list(messages) for name, messages in self.row_errors.items()}
        try:
            record.validate_instruments(self.current(record))
        except ValidationError as exc:
            _merge(errors, exc)
        if record.pk is not None:
            before = InspectionRecord.objects.filter(pk=record.pk).values(*IRREVERSIBLE).first() or {}
            for name, message in IRREVERSIBLE.items():
                if before.get(name) and not getattr(record, name):
                    errors.setdefault(name, []).append(message)
        return errors

    def validate(self, record: InspectionRecord) -> None:
        """record_save's cross-row check (after the record's own full_clean passed)."""
        self.validated = True
        errors = self.errors_for(record)
        if errors:
            raise ValidationError(errors)

    def after_save(self, record: InspectionRecord) -> None:
        if self.replace:
            for old in record.instruments.all():
                old._history_user = self.actor  # type: ignore[attr-defined]
                old.delete()
            _save_instruments(self.actor, record, self.built)
        _sync_follow_up(actor=self.actor, record=record)

    def save_kwargs(self) -> dict[str, Any]:
        return {"validate": self.validate, "after_save": self.after_save}


def _save_instruments(actor: Any, record: InspectionRecord, instruments: list[InspectedInstrument]) -> None:
    for instrument in instruments:
        instrument.inspection = record
        instrument._history_user = actor  # type: ignore[attr-defined]
        instrument.save()
        for item, passed in getattr(instrument, "pending_checks", {}).items():
            check = InstrumentCheck(instrument=instrument, item=item, passed=bool(passed))
            check._history_user = actor  # type: ignore[attr-defined]
            check.save()


def inspection_data(
    *, record: InspectionRecord | None, data: Mapping[str, Any], listed: bool
) -> dict[str, Any]:
    """`data` in the record's canonical shape (see models.normalised), completed from the record for a
    partial edit so that normalising never clears a field the caller did not mean to touch."""
    merged = {name: getattr(record, name) for name in NORMALISED_FIELDS} if record is not None else {}
    merged.update({name: value for name, value in data.items() if name in NORMALISED_FIELDS})
    shaped = normalised(merged, listed=listed)
    # Keys outside the allow-list stay in: record_save refuses them by name.
    return {
        **data,
        **{
            name: value
            for name, value in shaped.items()
            if name in data or record is None or getattr(record, name) != value
        },
    }


def inspection_save(
    *,
    actor: User,
    record: InspectionRecord | None = None,
    data: Mapping[str, Any],
    instruments: list[dict[str, Any]] | None,
    photos: Sequence[ProcessedPhoto] = (),
    submit: bool = False,
    campaign: Campaign | None = None,
) -> InspectionRecord:
    """Record (`record` None) or edit an inspection with its listed instruments, through `record_save`
    (scope 404, permission 403, approval lock, allow-list, record-date rule, history).

    `instruments` replaces the listed instruments as a whole; None keeps them. Every problem of the
    record and of its instrument rows is raised at once, and nothing is saved.
    """
    rows = InstrumentRows(actor=actor, rows=instruments)
    shaped = inspection_data(record=record, data=data, listed=rows.listed(record))
    try:
        return record_services.record_save(
            actor=actor,
            model=InspectionRecord,
            record=record,
            data=shaped,
            photos=photos,
            submit=submit,
            campaign=campaign,
            **rows.save_kwargs(),
        )
    except ValidationError as exc:
        if rows.validated or not hasattr(exc, "error_dict"):
            raise  # the rows were checked already, or the record is locked: nothing to add
        # The record's own rules failed first; add the rows' problems so the office sees all at once.
        scratch = copy.copy(record) if record is not None else InspectionRecord()
        allowed = set(InspectionRecord.record_fields)
        for name, value in shaped.items():
            if name in allowed:
                setattr(scratch, name, value)
        errors: dict[str, list[Any]] = {}
        _merge(errors, exc)
        for name, messages in rows.errors_for(scratch).items():
            errors.setdefault(name, []).extend(messages)
        raise ValidationError(errors) from exc


# --- Follow-up ------------------------------------------------------------------------------------


def _follow_up(locked: InspectionRecord, actor: User, **changes: Any) -> InspectionRecord:
    """Apply follow-up facts to a locked record, validate the whole record, save it and sync the task.

    Follow-up is recorded also on approved records: it happens weeks after the visit, and changes
    none of the facts the review approved.
    """
    # The statistics count follow-up (责令整改, 立案, 结案 …): the precomputed figures move with it.
    with facts_kept(locked):
        for name, value in changes.items():
            setattr(locked, name, value)
        errors: dict[str, list[Any]] = {}
        instruments = list(locked.instruments.select_related("instrument_type"))
        _validate(locked, instruments, errors)
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save()
    return _sync_follow_up(actor=actor, record=locked)


def _lock(actor: User, inspection: InspectionRecord) -> InspectionRecord:
    """The record locked for update if `actor` may change it: Http404 out of scope, PermissionDenied
    read-only (leadership). Not the approval lock: follow-up is recorded on approved records too."""
    return record_services.record_get_for_change(actor=actor, model=InspectionRecord, pk=inspection.pk)


@transaction.atomic
def inspection_order_rectification(
    *,
    actor: User,
    inspection: InspectionRecord,
    notice_no: str,
    deadline: dt.date,
    ordered_on: dt.date | None = None,
) -> InspectionRecord:
    """责令整改: 已检查 → 整改中, and a follow-up task for the record's unit, due on the deadline."""
    locked = _lock(actor, inspection)
    if locked.rectification_notice_no:
        raise ValidationError(
            _("已下达责令整改（%(no)s），不能重复下达。") % {"no": locked.rectification_notice_no}
        )
    if locked.case_no:
        raise ValidationError(_("已立案查处，不再下达责令整改。"))
    notice_no = (notice_no or "").strip()
    if not notice_no:
        raise ValidationError({"rectification_notice_no": _("请填写责令整改通知书编号。")})
    return _follow_up(
        locked,
        actor,
        rectification_notice_no=notice_no,
        rectification_deadline=deadline,
        rectification_ordered_on=ordered_on or locked.date,
    )


@transaction.atomic
def inspection_record_rectified(
    *, actor: User, inspection: InspectionRecord, rectified_on: dt.date
) -> InspectionRecord:
    """Re-inspection found the problems put right: 整改中 → 已整改; the follow-up task is completed."""
    locked = _lock(actor, inspection)
    if not locked.rectification_notice_no:
        raise ValidationError(_("尚未下达责令整改，不能登记整改完成。"))
    if locked.rectified_on:
        raise ValidationError(_("已于 %(day)s 登记整改完成。") % {"day": locked.rectified_on})
    return _follow_up(locked, actor, rectified_on=rectified_on)


@transaction.atomic
def inspection_file_case(
    *, actor: User, inspection: InspectionRecord, case_no: str, filed_on: dt.date | None = None
) -> InspectionRecord:
    """立案: → 已立案 (also when rectification is under way or was not made); an open follow-up task is
    completed with the case as its outcome."""
    locked = _lock(actor, inspection)
    if locked.case_no:
        raise ValidationError(_("已立案（%(no)s）。") % {"no": locked.case_no})
    case_no = (case_no or "").strip()
    if not case_no:
        raise ValidationError({"case_no": _("请填写立案号。")})
    return _follow_up(locked, actor, case_no=case_no, case_filed_on=filed_on or locked.date)


@transaction.atomic
def inspection_close_case(
    *, actor: User, inspection: InspectionRecord, closed_on: dt.date
) -> InspectionRecord:
    """结案: 已立案 → 已结案."""
    locked = _lock(actor, inspection)
    if not locked.case_no:
        raise ValidationError(_("尚未立案，不能结案。"))
    if locked.case_closed_on:
        raise ValidationError(_("已于 %(day)s 结案。") % {"day": locked.case_closed_on})
    return _follow_up(locked, actor, case_closed_on=closed_on)


@transaction.atomic
def inspection_sync_follow_up(*, actor: User, inspection: InspectionRecord) -> InspectionRecord:
    """Bring the follow-up task and status in step after an edit made elsewhere (the admin)."""
    return _sync_follow_up(actor=actor, record=_lock(actor, inspection))


def _follow_up_title(record: InspectionRecord) -> str:
    party = str(record.inspected_party)[:100]
    return _("整改复查：%(party)s（%(notice)s）") % {"party": party, "notice": record.rectification_notice_no}


def _follow_up_description(record: InspectionRecord) -> str:
    return _(
        "%(date)s 专项检查（%(domain)s）发现问题，已责令整改（%(notice)s），整改期限 %(deadline)s。"
        "请按期复查：已整改的在检查记录中登记整改完成日期，拒不整改的依法立案查处。检查记录：%(url)s"
    ) % {
        "date": f"{record.date:%Y-%m-%d}",
        "domain": record.get_domain_display(),
        "notice": record.rectification_notice_no,
        "deadline": f"{record.rectification_deadline:%Y-%m-%d}" if record.rectification_deadline else "—",
        "url": reverse("inspections:inspection_detail", args=[record.pk]),
    }


def _create_follow_up_task(record: InspectionRecord) -> Task:
    workstream = (
        Workstream.objects.filter(campaign_id=record.campaign_id, notice_ref=INSPECTION_NOTICE_REF).first()
        or Workstream.objects.filter(
            campaign_id=record.campaign_id, number=INSPECTION_WORKSTREAM_NUMBER
        ).first()
    )
    task = Task.objects.create(
        campaign_id=record.campaign_id,
        workstream=workstream,
        notice_ref=workstream.notice_ref if workstream else INSPECTION_NOTICE_REF,
        title=_follow_up_title(record),
        description=_follow_up_description(record),
        due_date=record.rectification_deadline,
        sort_order=FOLLOW_UP_SORT_ORDER,
    )
    TaskParty.objects.create(
        task=task, role=TaskParty.Role.RESPONSIBLE, label=record.unit.name, unit_id=record.unit_id
    )
    campaign_services.task_sync_assignments(task=task)
    return task


def _complete_follow_up_assignment(*, actor: Any, task: Task, unit_id: int, note: str) -> None:
    assignment = TaskAssignment.objects.filter(task=task, unit_id=unit_id).first()
    if assignment is None or assignment.status == TaskAssignment.Status.DONE:
        return
    if assignment.status == TaskAssignment.Status.PENDING:
        assignment = campaign_services.assignment_transition(
            actor=actor, assignment=assignment, to_status=TaskAssignment.Status.ACKNOWLEDGED
        )
    campaign_services.assignment_transition(
        actor=actor, assignment=assignment, to_status=TaskAssignment.Status.DONE, note=note
    )


def _sync_follow_up(*, actor: Any, record: InspectionRecord) -> InspectionRecord:
    """Keep the follow-up task and status in step with the record's rectification and case facts."""
    task = record.follow_up_task
    created = False
    if record.rectification_notice_no and record.rectification_deadline:
        if task is None:
            task = _create_follow_up_task(record)
            record.follow_up_task, created = task, True
        else:
            title, due = _follow_up_title(record), record.rectification_deadline
            if (task.title, task.due_date) != (title, due):
                task.title, task.due_date = title, due
                task.description = _follow_up_description(record)
                task.save(update_fields=["title", "due_date", "description", "updated_at"])
    if task is not None:
        if record.rectified_on:
            note = _("已于 %(day)s 整改完成。") % {"day": f"{record.rectified_on:%Y-%m-%d}"}
            _complete_follow_up_assignment(actor=actor, task=task, unit_id=record.unit_id, note=note)
        elif record.case_no:
            note = _("未整改到位，已立案查处（%(no)s）。") % {"no": record.case_no}
            _complete_follow_up_assignment(actor=actor, task=task, unit_id=record.unit_id, note=note)
    status = record.derive_follow_up_status()
    if created or record.follow_up_status != status:
        record.follow_up_status = status
        record._history_user = actor  # type: ignore[attr-defined]
        record.save(update_fields=["follow_up_status", "follow_up_task", "updated_at"])
    return record


# --- Instrument types (the bureau's reference table) -------------------------------------------------

# What the bureau sets on an instrument type (its verification rules are data, not code).
INSTRUMENT_TYPE_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "domain",
    "mandatory",
    "verification_period_months",
    "first_verification_only",
    "service_life_years",
    "counting_unit",
    "basis",
    "sort_order",
    "is_active",
)


def instrument_type_save(
    *, actor: User, instrument_type: InstrumentType | None = None, data: Mapping[str, Any]
) -> InstrumentType:
    """Create (`instrument_type` None) or change an instrument type: the bureau's, 403 for the others."""
    return catalog_save(
        actor=actor,
        model=InstrumentType,
        instance=instrument_type,
        data=data,
        fields=INSTRUMENT_TYPE_FIELDS,
        denied=_("您没有设置计量器具类型的权限。"),
    )


def instrument_type_delete(*, actor: User, instrument_type: InstrumentType) -> None:
    """Delete a type no inspection lists; one in use is kept (deactivate it instead)."""
    catalog_delete(
        actor=actor,
        instance=instrument_type,
        denied=_("您没有删除计量器具类型的权限。"),
        in_use=_("已有检查记录登记了该类型的器具，不能删除；如不再使用，请停用。"),
    )


# --- Planned inspections ----------------------------------------------------------------------------


def may_plan_inspection(actor: Any) -> bool:
    """Whether `actor` may plan inspections (leadership may not); a page asks it before it reads a form."""
    return bool(actor.has_perm("inspections.add_plannedinspection"))


@transaction.atomic
def inspection_plan(*, actor: User, data: Mapping[str, Any], unit: Unit | None = None) -> PlannedInspection:
    """Plan an inspection (party, domain, day, reason) for the actor's unit, or for `unit` when the
    actor sees every unit or it is the actor's own (a lead or a risk-ranking entry names its office)."""
    if not may_plan_inspection(actor):
        raise PermissionDenied(_("您没有计划检查的权限。"))
    owner = unit or actor.unit
    if owner is None:
        raise ValidationError({"unit": _("请选择负责单位。")})
    if owner.pk != actor.unit_id and not sees_all_units(actor):
        raise Http404
    plan = PlannedInspection(unit=owner, created_by=actor)
    refused = sorted(set(data) - set(PlannedInspection.plan_fields))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    for name, value in data.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save()
    return plan


@transaction.atomic
def plan_cancel(*, actor: User, plan: PlannedInspection) -> PlannedInspection:
    """取消 a planned inspection not yet carried out."""
    locked = get_for_user(PlannedInspection.objects.select_for_update(), actor, pk=plan.pk)
    if not actor.has_perm("inspections.change_plannedinspection"):
        raise PermissionDenied(_("您没有修改计划检查的权限。"))
    if locked.status != PlannedInspection.Status.PLANNED:
        raise ValidationError(_("该计划已%(status)s。") % {"status": locked.get_status_display()})
    locked.status = PlannedInspection.Status.CANCELLED
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["status"])
    return locked


def plan_mark_done(
    *, actor: User, plan: PlannedInspection, inspection: InspectionRecord
) -> PlannedInspection:
    """The inspection made from a plan carries it out (called in the inspection's save transaction)."""
    locked = get_for_user(PlannedInspection.objects.select_for_update(), actor, pk=plan.pk)
    if locked.status != PlannedInspection.Status.PLANNED:
        return locked
    locked.status, locked.inspection = PlannedInspection.Status.DONE, inspection
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "inspection"])
    return locked
