"""From a parsed notice to a campaign: matching its names to units and groups, and the one write.

`notice_parse` reads the text with what the database and the metric registry know; `party_matches`
says what each unit or group name of the notice stands for (an existing unit, a group of kinds, or
unknown, for the admin to map or create); `campaign_import_notice` creates what is missing, and never
changes what exists: importing the same notice again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns import metrics
from campaigns.cloning import clean_and_save
from campaigns.models import Campaign, PartyGroup, Target, Task, TaskParty, WorkRequirement, Workstream
from campaigns.notice_import import RESPONSIBLE, CampaignProposal, TaskProposal, parse_notice
from campaigns.services import task_sync_assignments
from organizations.models import Unit, User

# What the admin chose for a name: "unit:<pk>" (an existing unit), "new:<kind>" (create a unit of
# that name and kind) or "group:<kind>" (every unit of that kind, editable later on the planning page).
UNIT, NEW, GROUP = "unit", "new", "group"


@dataclass(frozen=True)
class PartyMatch:
    label: str
    unit: Unit | None = None
    kinds: tuple[str, ...] = ()
    how: str = ""  # "unit" (a unit of that name), "group" (a group of earlier campaigns or by its words)

    @property
    def known(self) -> bool:
        return self.unit is not None or bool(self.kinds)


@dataclass
class ImportResult:
    campaign: Campaign
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _kind_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Unit.Kind.choices}


def notice_parse(text: str, *, year: int | None = None) -> CampaignProposal:
    """`parse_notice` with the unit kinds, the registered metrics and the existing units."""
    return parse_notice(
        text,
        year=year,
        kind_labels=_kind_labels(),
        metrics={key: metric.label for key, metric in metrics.registered().items()},
        unit_names=Unit.objects.values_list("name", flat=True),
    )


def party_matches(proposal: CampaignProposal) -> dict[str, PartyMatch]:
    """Each name: the unit so named, else the group an earlier campaign had, else its words' kinds."""
    labels = proposal.party_labels()
    units = {unit.name: unit for unit in Unit.objects.filter(name__in=labels)}
    groups: dict[str, tuple[str, ...]] = {}
    for label, kinds in (
        PartyGroup.objects.filter(label__in=labels)
        .order_by("campaign__year", "pk")
        .values_list("label", "unit_kinds")
    ):
        groups[label] = tuple(kinds)
    by_words = {party.label: party.kinds for task in proposal.tasks for party in task.parties}
    matches = {}
    for label in labels:
        if label in units:
            matches[label] = PartyMatch(label, unit=units[label], how=UNIT)
        elif groups.get(label):
            matches[label] = PartyMatch(label, kinds=groups[label], how=GROUP)
        elif by_words.get(label):
            matches[label] = PartyMatch(label, kinds=by_words[label], how=GROUP)
        else:
            matches[label] = PartyMatch(label)
    return matches


def _decide(
    matches: dict[str, PartyMatch], decisions: Mapping[str, str], actor: User | None
) -> dict[str, PartyMatch]:
    """The matches with the admin's choices applied; units chosen as new are created (once)."""
    kinds = set(_kind_labels())
    resolved = dict(matches)
    undecided = []
    for order, (label, choice) in enumerate(decisions.items()):
        if label not in matches:
            continue
        how, _sep, value = choice.partition(":")
        if how == UNIT:
            unit = Unit.objects.filter(pk=int(value)).first() if value.isdigit() else None
            if unit is None:
                raise ValidationError(_("“%(name)s”所选的单位不存在。") % {"name": label})
            resolved[label] = PartyMatch(label, unit=unit, how=UNIT)
        elif how == NEW and value in kinds:
            unit = Unit.objects.filter(name=label).first() or clean_and_save(
                Unit(name=label, kind=value, sort_order=order), actor
            )
            resolved[label] = PartyMatch(label, unit=unit, how=UNIT)
        elif how == GROUP and value in kinds:
            resolved[label] = PartyMatch(label, kinds=(value,), how=GROUP)
        else:
            raise ValidationError(_("“%(name)s”的处理方式无效。") % {"name": label})
    undecided = [label for label, match in resolved.items() if not match.known]
    if undecided:
        raise ValidationError(
            _("请为以下名称选择对应单位、单位类型或新建单位：%(names)s") % {"names": "、".join(undecided)}
        )
    return resolved


def _find_task(campaign: Campaign, proposal: TaskProposal) -> Task | None:
    task = campaign.tasks.filter(key=proposal.key).first()
    if task is None:
        # A task made before tasks had keys still has the notice's title.
        task = campaign.tasks.filter(key="", notice_ref=proposal.notice_ref, title=proposal.title).first()
        if task is not None:
            Task.objects.filter(pk=task.pk).update(key=proposal.key)
    if task is None and proposal.whole_section:
        # The admin split or renamed the section's task: the section is planned already.
        task = campaign.tasks.filter(notice_ref=proposal.notice_ref).order_by("pk").first()
    return task


def _create_task(
    campaign: Campaign,
    workstream: Workstream | None,
    proposal: TaskProposal,
    order: int,
    parties: dict[str, PartyMatch],
    actor: User | None,
) -> Task:
    task = clean_and_save(
        Task(
            campaign=campaign,
            key=proposal.key,
            notice_ref=proposal.notice_ref,
            title=proposal.title[:200],
            workstream=workstream,
            description=proposal.description,
            sort_order=order,
        ),
        actor,
    )
    for role in (RESPONSIBLE, TaskParty.Role.COOPERATING):
        for party_order, party in enumerate(proposal.role(role)):
            match = parties[party.label]
            target: dict[str, Any] = {"unit": match.unit}
            if match.unit is None:
                group = campaign.party_groups.filter(label=party.label).first()
                if group is None:
                    group = clean_and_save(
                        PartyGroup(campaign=campaign, label=party.label, unit_kinds=list(match.kinds)), actor
                    )
                target = {"group": group}
            clean_and_save(
                TaskParty(task=task, role=role, label=party.label, sort_order=party_order, **target), actor
            )
    task_sync_assignments(task=task)
    return task


@transaction.atomic
def campaign_import_notice(
    *, actor: User | None, proposal: CampaignProposal, decisions: Mapping[str, str] | None = None
) -> ImportResult:
    """Create what is missing of the proposed campaign; `actor` None is the command line (trusted).

    `decisions` maps names of the notice to the admin's choice (see UNIT, NEW, GROUP); every name
    that matches nothing needs one, or nothing is created.
    """
    if actor is not None and not actor.has_perm("campaigns.add_campaign"):
        raise PermissionDenied(_("只有县局管理员可以导入通知。"))
    parties = _decide(party_matches(proposal), decisions or {}, actor)
    created = dict.fromkeys(("campaign", "workstreams", "tasks", "targets", "requirements"), 0)

    campaign = Campaign.objects.filter(year=proposal.year).first()
    if campaign is None:
        campaign = clean_and_save(
            Campaign(
                year=proposal.year,
                name=proposal.name,
                theme=proposal.theme,
                metrology_day=proposal.metrology_day,
                start_date=proposal.start_date,
                end_date=proposal.end_date,
                notice_title=proposal.notice_title,
                notice_issuer=proposal.notice_issuer,
                notice_text=proposal.notice_text,
            ),
            actor,
        )
        created["campaign"] = 1

    order = 0

    def plan_task(task_proposal: TaskProposal, workstream: Workstream | None) -> None:
        nonlocal order
        order += 10
        task = _find_task(campaign, task_proposal)
        if task is None:
            _create_task(campaign, workstream, task_proposal, order, parties, actor)
            created["tasks"] += 1
        else:
            task_sync_assignments(task=task)

    for ws in proposal.workstreams:
        workstream = campaign.workstreams.filter(number=ws.number).first()
        if workstream is None:
            workstream = clean_and_save(
                Workstream(
                    campaign=campaign,
                    number=ws.number,
                    notice_ref=ws.notice_ref,
                    title=ws.title[:200],
                    description=ws.description,
                ),
                actor,
            )
            created["workstreams"] += 1
        for task_proposal in proposal.tasks:
            if task_proposal.workstream == ws.number:
                plan_task(task_proposal, workstream)
        for target in proposal.targets:
            if target.workstream == ws.number and not campaign.targets.filter(metric=target.metric).exists():
                clean_and_save(
                    Target(
                        campaign=campaign,
                        workstream=workstream,
                        metric=target.metric,
                        label=target.label,
                        goal=target.goal,
                        unit_label=target.unit_label,
                    ),
                    actor,
                )
                created["targets"] += 1
    for task_proposal in proposal.tasks:
        if task_proposal.workstream is None:
            plan_task(task_proposal, None)
    for item in proposal.requirements:
        existing = campaign.requirements.filter(key=item.key)
        if item.key == item.notice_ref:  # the parser's own item: any item of that section will do
            existing = campaign.requirements.filter(notice_ref=item.notice_ref)
        if not existing.exists():
            clean_and_save(
                WorkRequirement(
                    campaign=campaign,
                    key=item.key,
                    notice_ref=item.notice_ref,
                    title=item.title[:200],
                    description=item.description,
                ),
                actor,
            )
            created["requirements"] += 1
    return ImportResult(campaign=campaign, created=created)
