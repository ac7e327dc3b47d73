"""Every write to a submitted record, whatever the door (form, API, admin, import, job).

One read-write gate decides who may change a record, in the order Healthchecks and Zulip use: out of
the actor's scope is Http404 (other units' ids cannot be probed), in scope but not allowed is
PermissionDenied (403), allowed but approved is a ValidationError (the record is locked).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from core.text import validate_no_control_characters
from evidence.processing import ProcessedPhoto
from evidence.services import photos_attach
from notifications.services import digest_create
from organizations.access import in_scope, scope_to_user
from organizations.models import Unit, User
from organizations.roles import OFFICE_REVIEW_PERMISSION, Role
from records.facts import facts_kept
from records.models import (
    Reviewer,
    ReviewLog,
    ReviewStatus,
    SubmissionKey,
    SubmittedRecord,
    content_type_of,
    record_types,
)

R = TypeVar("R", bound=SubmittedRecord)
M = TypeVar("M", bound=models.Model)

REVIEW_PERMISSION = "campaigns.review_submissions"
# Fields no form, API call or import may set: the service and the review machine own them.
OWNED_FIELDS = frozenset(
    {
        "id",
        "campaign",
        "unit",
        "created_by",
        "review_status",
        "submitted_at",
        "reviewer",
        "reviewed_at",
        "reviewed_by",
        "return_reason",
        "created_at",
        "updated_at",
    }
)


def _perm(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def may_change(user: Any, model: type[models.Model]) -> bool:
    return bool(user.has_perm(_perm(model, "change")))


def may_add(user: Any, model: type[models.Model]) -> bool:
    return bool(user.has_perm(_perm(model, "add")))


def may_review(user: Any) -> bool:
    """The bureau's review permission (also what adopting a news item asks for)."""
    return bool(user.has_perm(REVIEW_PERMISSION))


# --- Who reviews what: the one rule ---------------------------------------------------------------
#
# The bureau reviews what the offices enter. What others enter for an office is reviewed by that
# office, the unit the record belongs to (for a station's entries, the 市场监管所 that supervises the
# station), and not by the bureau: every act a volunteer logs, and anything a 协办单位 account logs.
# A record type names the records its supervising office reviews here; a 协办单位's entries count
# for every type. Only a record owned by a 市场监管所 goes to an office: anything else stays with the
# bureau, so no record is left without a reviewer.
BY_COOPERATOR = Q(created_by__groups__name=Role.COOPERATOR)
OFFICE_REVIEWED: dict[str, Q] = {
    # An act logged through the volunteer's link or by the office for them: the volunteer's office.
    "volunteers.volunteeract": Q(pk__isnull=False),
}


def office_reviewed_q(model: type[models.Model]) -> Q:
    """The records of `model` that their supervising office reviews instead of the bureau."""
    entries = BY_COOPERATOR | OFFICE_REVIEWED.get(model._meta.label_lower, Q(pk__in=[]))
    return entries & Q(unit__kind=Unit.Kind.OFFICE)


def route_q(model: type[models.Model], reviewer: str) -> Q:
    """The routing rule as a condition: the records of `model` that `reviewer` reviews."""
    office = office_reviewed_q(model)
    return office if reviewer == Reviewer.OFFICE else ~office


def reviewer_route(record: SubmittedRecord) -> str:
    """Who reviews the record by the routing rule (one query). `record_submit` stores it on the record
    (`reviewer`), and the review queue reads the stored value."""
    office = type(record)._default_manager.filter(office_reviewed_q(type(record)), pk=record.pk).exists()
    return Reviewer.OFFICE if office else Reviewer.BUREAU


def reviewers_fill(model: type[SubmittedRecord]) -> int:
    """Route every record of `model` past its draft that no service routed (rows bulk-inserted by the
    demo, say): the rule in two UPDATEs. Returns how many rows it routed."""
    unrouted = model._default_manager.filter(reviewer="").exclude(review_status=ReviewStatus.DRAFT)
    routed = 0
    for reviewer in (Reviewer.OFFICE, Reviewer.BUREAU):
        routed += unrouted.filter(route_q(model, reviewer)).update(reviewer=reviewer)
    return routed


def reviewers_fill_all() -> int:
    return sum(reviewers_fill(model) for model in record_types())


def reviews_as_office(user: Any) -> bool:
    return bool(user.unit_id is not None and user.has_perm(OFFICE_REVIEW_PERMISSION))


def may_review_any(user: Any) -> bool:
    """Whether the user reviews anything at all (the review queue and its badge are theirs)."""
    return bool(user.is_authenticated and user.is_active and (may_review(user) or reviews_as_office(user)))


def _reviewers_q(user: Any, route: Callable[[str], Q]) -> Q | None:
    if not (user.is_authenticated and user.is_active):
        return None
    parts = []
    if may_review(user):
        parts.append(route(Reviewer.BUREAU))
    if reviews_as_office(user):
        parts.append(route(Reviewer.OFFICE) & Q(unit_id=user.unit_id))
    if not parts:
        return None
    first, *rest = parts
    for part in rest:
        first |= part
    return first


def review_q(user: Any, model: type[models.Model]) -> Q | None:
    """Which of `model`'s submitted records `user` reviews, as a condition on them (None: none at all):
    the bureau those routed to it, an office those routed to an office that are its own unit's. It
    reads the reviewer stored at submit (no join: the queue is an index range).

    Scope is a separate question (organizations.access, 404 first): this only decides between the
    bureau and the supervising office.
    """
    return _reviewers_q(user, lambda reviewer: Q(reviewer=reviewer))


def reviewed_by_office(record: SubmittedRecord) -> bool:
    """Whether the record's supervising office reviews it, rather than the bureau (one query): the
    reviewer stored at submit, else, for a record not yet routed (a draft), the routing rule."""
    model = type(record)
    by_rule = model._default_manager.filter(office_reviewed_q(model), pk=OuterRef("pk"))
    row = (
        model._default_manager.filter(pk=record.pk)
        .annotate(by_rule=Exists(by_rule))
        .values_list("reviewer", "by_rule")
        .first()
    )
    if row is None:
        return False
    stored, office = row
    return (stored or (Reviewer.OFFICE if office else Reviewer.BUREAU)) == Reviewer.OFFICE


def may_review_record(user: Any, record: SubmittedRecord) -> bool:
    """Whether `user` reviews this record (one query; the review buttons and services ask it): the
    reviewer stored at submit, or for a record no service routed, the routing rule."""
    model = type(record)
    condition = _reviewers_q(
        user, lambda reviewer: Q(reviewer=reviewer) | (Q(reviewer="") & route_q(model, reviewer))
    )
    if condition is None:
        return False
    return bool(model._default_manager.filter(condition, pk=record.pk).exists())


def _ensure_in_scope(actor: Any, model: type[R], pk: Any) -> None:
    if not scope_to_user(model._default_manager.all(), actor).filter(pk=pk).exists():
        raise Http404


def record_get_for_change(*, actor: Any, model: type[R], pk: Any, lock: bool = True) -> R:
    """The record, locked for update, if `actor` may change it: 404 out of scope, 403 read-only.

    The approval lock is a separate question (`record_ensure_editable`): the review buttons need the
    record whatever its state.
    """
    try:
        queryset = scope_to_user(model._default_manager.all(), actor)
        record = cast(R, (queryset.select_for_update() if lock else queryset).get(pk=pk))
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not may_change(actor, model):
        raise PermissionDenied(_("您没有修改该记录的权限。"))
    return record


def record_ensure_editable(*, record: SubmittedRecord) -> None:
    """Approved records are locked: any edit (by anyone) must go through a new record or a return."""
    if record.is_locked:
        raise ValidationError(_("该记录已审核通过，不能再修改。"))


def _assign(record: SubmittedRecord, data: Mapping[str, Any]) -> list[str]:
    """Set the allow-listed fields in `data` on `record`; returns the names that changed (HackSoft's
    model_update). Any other key is refused: a caller cannot set a unit, a status or a reviewer."""
    allowed = set(type(record).record_fields) - OWNED_FIELDS
    refused = sorted(set(data) - allowed)
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    changed = []
    for name, value in data.items():
        field = record._meta.get_field(name)
        if field.many_to_many:
            continue  # set after the row exists (below)
        current = (
            getattr(record, name, None) if not field.is_relation else getattr(record, f"{name}_id", None)
        )
        new = value.pk if isinstance(value, models.Model) else value
        if current != new:
            setattr(record, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def record_save(
    *,
    actor: User,
    model: type[R],
    record: R | None = None,
    data: Mapping[str, Any],
    photos: Sequence[ProcessedPhoto] = (),
    submit: bool = False,
    unit: Unit | None = None,
    campaign: Campaign | None = None,
    validate: Callable[[R], None] | None = None,
    after_save: Callable[[R], None] | None = None,
) -> R:
    """Create (`record` None) or update a submitted record, then attach photos and optionally submit.

    - Scope and permission first (404, then 403), then the approval lock.
    - Only `model.record_fields` may be set; unit and campaign come from the server (the actor's unit
      or `unit`, `campaign` or the current campaign), or from the record's own `derive_owner()`.
    - `full_clean()` runs the model's rules (the record-date rule among them); `validate` adds the
      caller's cross-row checks; `after_save` writes nested rows in the same transaction.
    - The change is in the record's history under the actor's name.
    """
    routed_unit = None
    if record is None:
        if not may_add(actor, model):
            raise PermissionDenied(_("您没有新增该类记录的权限。"))
        target = model(created_by=actor)
        # The actor's unit unless told otherwise; a record with a parent (derive_owner) takes the parent's.
        owner = unit or actor.unit
        if owner is not None:
            target.unit = owner
        chosen = campaign or campaign_current()
        if chosen is None:
            raise ValidationError(_("尚未建立活动，请联系县局管理员。"))
        target.campaign = chosen
    else:
        target = record_get_for_change(actor=actor, model=model, pk=record.pk)
        record_ensure_editable(record=target)
        routed_unit = target.unit_id
        if unit is not None:
            target.unit = unit
        if campaign is not None:
            target.campaign = campaign
    _assign(target, data)
    target.derive_owner()
    if target.unit_id is None:
        raise PermissionDenied(_("您的账号未关联单位，不能填报。"))
    if record is not None and target.unit_id != routed_unit:
        target.reviewer = ""  # a submitted record moved to another unit: routed again when saved
    if not in_scope(actor, target):
        # A parent picked from another unit (e.g. a station id typed into the API) is out of scope.
        raise Http404
    target.full_clean()
    if validate is not None:
        validate(target)
    target._history_user = actor  # type: ignore[attr-defined]
    target.save()
    for name, value in data.items():
        if target._meta.get_field(name).many_to_many:
            getattr(target, name).set(value)
    if after_save is not None:
        after_save(target)
    photos_attach(actor=actor, record=target, photos=list(photos))
    if submit and target.can_submit:
        target = record_submit(actor=actor, record=target)
    return target


@transaction.atomic
def record_delete(*, actor: Any, record: SubmittedRecord) -> None:
    """Delete a record not yet approved: 404 out of scope, 403 without the delete permission."""
    model = type(record)
    _ensure_in_scope(actor, model, record.pk)
    if not actor.has_perm(_perm(model, "delete")):
        raise PermissionDenied(_("您没有删除该记录的权限。"))
    locked = model._default_manager.select_for_update().get(pk=record.pk)
    record_ensure_editable(record=locked)
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.delete()  # never an approved one, so the precomputed figures (records.facts) stay as they are


# --- Double submits -----------------------------------------------------------------------------


def submission_key_new() -> str:
    """A key for one render of a form; the form posts it back."""
    return secrets.token_urlsafe(24)


def submission_key_find(*, actor: Any, key: str, model: type[M]) -> M | None:
    """The row an earlier POST with this key created, if any (a double tap or a resent form).

    Any unit-scoped model may use the keys, not only submitted records (volunteers do too).
    """
    if not key:
        return None
    claimed = SubmissionKey.objects.filter(key=key, user=actor, content_type=content_type_of(model)).first()
    if claimed is None:
        return None
    scoped = scope_to_user(
        model._default_manager.all(), actor, unit_field=getattr(model, "unit_scope_field", "unit")
    )
    return cast("M | None", scoped.filter(pk=claimed.object_id).first())


def submission_key_claim(*, actor: Any, key: str, record: models.Model) -> None:
    """Bind the key to the record in the record's transaction; a concurrent twin fails on the unique key."""
    if not key:
        return
    try:
        with transaction.atomic():
            SubmissionKey.objects.create(
                key=key, user=actor, content_type=content_type_of(record), object_id=record.pk
            )
    except IntegrityError as exc:
        raise ValidationError(_("该表单已提交过，请勿重复提交。")) from exc


# --- The review state machine -------------------------------------------------------------------


def _log(record: SubmittedRecord, action: str, actor: Any, reason: str = "") -> ReviewLog:
    return ReviewLog.objects.create(
        content_type=content_type_of(record), object_id=record.pk, action=action, actor=actor, reason=reason
    )


def _ensure_reviewer(actor: Any, record: R) -> R:
    """The record locked for update, if `actor` reviews it: 404 out of scope, 403 when it is another's
    to review (the bureau's, or the supervising office's: `review_q`)."""
    model = type(record)
    _ensure_in_scope(actor, model, record.pk)
    if not may_review_record(actor, record):
        raise PermissionDenied(_("您没有审核该记录的权限。"))
    return cast(R, model._default_manager.select_for_update().get(pk=record.pk))


@transaction.atomic
def record_submit(*, actor: Any, record: R) -> R:
    """草稿/已退回 → 已提交."""
    locked = record_get_for_change(actor=actor, model=type(record), pk=record.pk)
    if not locked.can_submit:
        raise ValidationError(
            _("记录当前为“%(status)s”，不能提交。") % {"status": locked.get_review_status_display()}
        )
    locked.review_status = ReviewStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.reviewer = reviewer_route(locked)  # decided now; the queue reads it
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["review_status", "submitted_at", "reviewer", "updated_at"])
    _log(locked, ReviewLog.Action.SUBMITTED, actor)
    return locked


@transaction.atomic
def record_approve(*, actor: Any, record: R) -> R:
    """已提交 → 已通过; the record is locked from now on and its unit is told."""
    locked: R = _ensure_reviewer(actor, record)
    if not locked.awaiting_review:
        raise ValidationError(
            _("只有“已提交”的记录可以审核，当前为“%(status)s”。")
            % {"status": locked.get_review_status_display()}
        )
    with facts_kept(locked):
        locked.review_status = ReviewStatus.APPROVED
        locked.reviewed_at, locked.reviewed_by, locked.return_reason = timezone.now(), actor, ""
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(
            update_fields=["review_status", "reviewed_at", "reviewed_by", "return_reason", "updated_at"]
        )
    log = _log(locked, ReviewLog.Action.APPROVED, actor)
    _tell_unit(locked, log)
    return locked


def _check_reason_text(reason: str) -> None:
    """The reason is saved without full_clean(): refuse control characters here (core/text.py)."""
    try:
        validate_no_control_characters(reason)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from exc


@transaction.atomic
def record_return(*, actor: Any, record: R, reason: str) -> R:
    """已提交 → 已退回, with the reason the office will read (and is told of)."""
    reason = (reason or "").strip()
    locked: R = _ensure_reviewer(actor, record)
    if not reason:
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    _check_reason_text(reason)
    if not locked.awaiting_review:
        raise ValidationError(
            _("只有“已提交”的记录可以退回，当前为“%(status)s”。")
            % {"status": locked.get_review_status_display()}
        )
    locked.review_status = ReviewStatus.RETURNED
    locked.reviewed_at, locked.reviewed_by, locked.return_reason = timezone.now(), actor, reason
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["review_status", "reviewed_at", "reviewed_by", "return_reason", "updated_at"])
    log = _log(locked, ReviewLog.Action.RETURNED, actor, reason)
    _tell_unit(locked, log)
    return locked


@dataclass(frozen=True)
class BulkResult:
    done: int
    skipped: int


def records_review_bulk(
    *, actor: Any, records: Iterable[SubmittedRecord], action: str, reason: str = ""
) -> BulkResult:
    """Approve or return (with one reason) each record; those not awaiting review are skipped.

    Each record is its own transaction, so one refused record does not undo the others.
    """
    if action not in ("approve", "return"):
        raise ValueError(action)
    if action == "return" and not (reason or "").strip():
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    _check_reason_text(reason)
    if not may_review_any(actor):
        raise PermissionDenied(_("您没有审核权限。"))
    done = skipped = 0
    for record in records:
        if not record.awaiting_review:
            skipped += 1
            continue
        try:
            if action == "approve":
                record_approve(actor=actor, record=record)
            else:
                record_return(actor=actor, record=record, reason=reason)
        except (ValidationError, PermissionDenied, Http404):
            skipped += 1  # reviewed meanwhile, or another's to review (an admin action's selection)
        else:
            done += 1
    return BulkResult(done=done, skipped=skipped)


def _tell_unit(record: SubmittedRecord, log: ReviewLog) -> None:
    """The record's unit hears of its approval or return in the inbox and its channels (after commit)."""
    approved = log.action == ReviewLog.Action.APPROVED
    subject = (_("【已通过】%(record)s") if approved else _("【已退回】%(record)s")) % {"record": str(record)}
    unit = log.actor.unit if log.actor.unit_id is not None else None
    reviewer = unit.label if unit is not None and unit.kind == Unit.Kind.OFFICE else _("县局")
    body = (
        _("%(type)s“%(record)s”已由%(reviewer)s审核通过。")
        if approved
        else _("%(type)s“%(record)s”被%(reviewer)s退回，原因：%(reason)s。请修改后重新提交。")
    ) % {"type": record._meta.verbose_name, "record": str(record), "reason": log.reason, "reviewer": reviewer}
    # The record's office, and the 协办单位 account that entered it (it edits and resubmits a return).
    recipients = User.objects.filter(
        Q(unit_id=record.unit_id, groups__name=Role.OFFICE)
        | Q(pk=record.created_by_id, groups__name=Role.COOPERATOR),
        is_active=True,
    ).distinct()
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    digest_create(
        kind=f"review-{log.pk}",
        audience=f"unit:{record.unit_id}",
        day=timezone.localdate(),
        subject=subject[:200],
        body=body,
        recipients=recipients,
        unit=record.unit,
        url=url,
    )


def review_log_for(record: SubmittedRecord) -> list[ReviewLog]:
    return list(
        ReviewLog.objects.filter(content_type=content_type_of(record), object_id=record.pk).select_related(
            "actor"
        )
    )
