"""`manage.py seed_campaign`: the 2025 campaign exactly as the county bureau's notice states it."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from campaigns.models import (
    Campaign,
    PartyGroup,
    Target,
    Task,
    TaskAssignment,
    TaskParty,
    WorkRequirement,
    Workstream,
)
from campaigns.seeding import NOTICE_PATH
from organizations.models import Unit, User
from tests.factories import UnitFactory

SHARED_NOTICE = Path("/work/shared/notice/2025-world-metrology-day-notice.txt")

# Who answers for each numbered activity, as the parenthesis closing it in the notice says (quoted
# below and checked against the text), as the labels the seed stores per task.
PARTIES_BY_WORKSTREAM = {
    "二（一）": {
        "notice": "（责任单位：价监科，配合单位：供水供电供气公用企业、加油站等企事业单位）",
        "responsible": ["价监科"],
        "cooperating": ["供水供电供气公用企业", "加油站"],
    },
    "二（二）": {
        "notice": "（责任单位：价监科、各市场监管所，配合单位：供水供电供气公用企业、神女市场、平湖市场、加油站等企事业单位）",
        "responsible": ["价监科", "各市场监管所"],
        "cooperating": ["供水供电供气公用企业", "神女市场", "平湖市场", "加油站"],
    },
    "二（三）": {
        "notice": "（责任单位：价监科、执法一大队、各市场监管所）",
        "responsible": ["价监科", "执法一大队", "各市场监管所"],
        "cooperating": [],
    },
    "二（四）": {
        "notice": "（责任单位：价监科，配合单位：巫山检测所）",
        "responsible": ["价监科"],
        "cooperating": ["巫山检测所"],
    },
}

# Every model the seed writes, with the history table of each that keeps one.
SEEDED_MODELS = [Unit, Campaign, Workstream, Target, Task, TaskParty, PartyGroup, TaskAssignment]
SEEDED_MODELS += [WorkRequirement]
HISTORIES = [Unit.history, Campaign.history, Workstream.history, Target.history, Task.history]
HISTORIES += [PartyGroup.history, TaskParty.history]
HISTORIES += [TaskAssignment.history, User.history]


@pytest.fixture
def notice() -> str:
    return NOTICE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def campaign(db) -> Campaign:
    call_command("seed_campaign", stdout=StringIO())
    return Campaign.objects.get(year=2025)


def _parties(task: Task, role: str) -> list[str]:
    return [p.label for p in task.parties.all() if p.role == role]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in SEEDED_MODELS}
    counts.update({history.model.__name__: history.count() for history in HISTORIES})
    return counts


def test_project_notice_is_the_shared_notice(notice):
    if not SHARED_NOTICE.exists():
        # A developer's machine may lack the shared folder; CI has it, and must not pass without it.
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, but {SHARED_NOTICE} is not on this machine")
        pytest.skip(f"{SHARED_NOTICE} is not on this machine")
    assert notice == SHARED_NOTICE.read_text(encoding="utf-8")


def test_every_stored_string_occurs_verbatim_in_the_notice(campaign, notice):
    strings = [campaign.name, campaign.theme, campaign.notice_title, campaign.notice_issuer]
    for workstream in campaign.workstreams.all():
        strings += [workstream.title, workstream.description]
    for task in campaign.tasks.prefetch_related("parties"):
        strings += [task.title, task.description, *(party.label for party in task.parties.all())]
    strings += [target.label for target in campaign.targets.all()]
    for requirement in campaign.requirements.all():
        strings += [requirement.title, requirement.description]

    assert len(strings) > 40
    missing = [text for text in strings if text not in notice]
    assert missing == []


def test_campaign_keeps_the_full_notice_text(campaign, notice):
    assert campaign.notice_text == notice.strip()
    assert campaign.notice_issuer == "巫山县市场监督管理局"
    assert campaign.notice_title == "关于进一步加强计量宣传工作深入开展“5·20世界计量日”主题活动的通知"


def test_campaign_theme_is_the_notice_theme(campaign, notice):
    assert campaign.theme == "计量顺时代之需，应民生之盼"
    assert f"中国主题为“{campaign.theme}”" in notice


def test_seed_invents_no_dates(campaign):
    assert campaign.start_date is None
    assert campaign.end_date is None
    assert list(Task.objects.exclude(due_date=None)) == []
    assert campaign.tasks.count() == 9


def test_four_workstreams_are_numbered_with_the_notice_refs(campaign):
    workstreams = list(campaign.workstreams.order_by("number").values_list("number", "notice_ref"))
    assert workstreams == [(1, "二（一）"), (2, "二（二）"), (3, "二（三）"), (4, "二（四）")]


def test_each_workstream_title_heads_its_section_in_the_notice(campaign, notice):
    for workstream in campaign.workstreams.all():
        section = workstream.notice_ref.removeprefix("二")
        assert f"{section}{workstream.title}\n" in notice


def test_two_targets_of_nine_name_the_microstation_and_volunteer_metrics(campaign, notice):
    targets = {t.metric: t for t in campaign.targets.select_related("workstream")}
    assert set(targets) == {"microstations.stations_opened", "volunteers.recruited"}
    assert [t.goal for t in targets.values()] == [9, 9]
    assert {t.workstream.notice_ref for t in targets.values()} == {"二（一）"}
    assert "建设9个“民生计量科普宣传服务微站”" in notice
    assert "募集9名计量科普义务宣传员" in notice


@pytest.mark.parametrize("ref", list(PARTIES_BY_WORKSTREAM))
def test_every_task_names_the_parties_the_notice_gives_its_workstream(campaign, notice, ref):
    expected = PARTIES_BY_WORKSTREAM[ref]
    assert expected["notice"] in notice
    tasks = list(campaign.tasks.filter(workstream__notice_ref=ref).prefetch_related("parties"))

    assert tasks, f"no tasks seeded for {ref}"
    for task in tasks:
        assert task.notice_ref == ref
        assert _parties(task, TaskParty.Role.RESPONSIBLE) == expected["responsible"]
        assert _parties(task, TaskParty.Role.COOPERATING) == expected["cooperating"]


def test_parties_point_at_named_units_or_at_kinds_of_units(campaign):
    parties = TaskParty.objects.select_related("unit")
    jianjianke = parties.filter(label="价监科").first()
    assert jianjianke.unit.name == "价监科"
    assert jianjianke.unit.kind == Unit.Kind.SECTION
    assert jianjianke.unit_kinds == []
    offices = parties.filter(label="各市场监管所").first()
    assert offices.unit is None
    assert offices.group.unit_kinds == [Unit.Kind.OFFICE]
    # One editable group per label in the campaign, shared by every task naming it.
    assert set(PartyGroup.objects.values_list("label", flat=True)) == {
        "各市场监管所",
        "各相关科所队",
        "供水供电供气公用企业",
        "加油站",
    }
    assert parties.filter(label="各市场监管所").values("group").distinct().count() == 1
    testing = parties.filter(label="巫山检测所", role=TaskParty.Role.COOPERATING)
    assert {party.unit.kind for party in testing} == {Unit.Kind.TESTING}


def test_section_three_four_tasks_belong_to_no_workstream(campaign, notice):
    tasks = list(campaign.tasks.filter(notice_ref="三（四）").prefetch_related("parties"))
    assert [t.title for t in tasks] == ["注意舆情监控和研判，重大舆情及时向县局报告", "加强信息报送"]
    assert "（四）注意舆情监控，加强信息报送。各相关科所队" in notice
    for task in tasks:
        assert task.workstream is None
        assert _parties(task, TaskParty.Role.RESPONSIBLE) == ["各相关科所队"]
        assert _parties(task, TaskParty.Role.COOPERATING) == []


def test_seed_assigns_tasks_to_named_responsible_units_only(campaign):
    assigned = dict(TaskAssignment.objects.values_list("unit__name").annotate(n=Count("pk")).order_by())
    # 价监科: all seven tasks of 二 and both of 三（四）; 执法一大队: 二（三） and both of 三（四）.
    # Cooperating units (巫山检测所, 神女市场, 平湖市场) answer for nothing.
    assert assigned == {"价监科": 9, "执法一大队": 3}


def test_seeding_twice_changes_no_row_and_writes_no_history(db):
    out = StringIO()
    call_command("seed_campaign", stdout=out)
    assert "4 workstreams, 9 tasks, 2 targets" in out.getvalue()
    first = _counts()
    assert first["Campaign"] == 1
    assert first["Task"] == 9

    call_command("seed_campaign", stdout=StringIO())

    assert _counts() == first


def test_a_new_office_gets_the_tasks_that_name_every_office_on_the_next_seed(campaign):
    office = UnitFactory(name="新设市场监管所", kind=Unit.Kind.OFFICE)
    before = TaskAssignment.objects.count()

    call_command("seed_campaign", stdout=StringIO())

    refs = sorted(TaskAssignment.objects.filter(unit=office).values_list("task__notice_ref", flat=True))
    # 二（二） has two tasks and 二（三） one naming 各市场监管所; 三（四）'s two name 各相关科所队.
    assert refs == sorted(["二（二）", "二（二）", "二（三）", "三（四）", "三（四）"])
    assert TaskAssignment.objects.count() == before + 5
    naming_offices = Task.objects.filter(parties__label="各市场监管所", parties__role="responsible")
    assert set(naming_offices.values_list("pk", flat=True)) <= set(
        TaskAssignment.objects.filter(unit=office).values_list("task_id", flat=True)
    )


def test_an_existing_unit_named_by_the_notice_is_reused_not_duplicated(db):
    existing = UnitFactory(name="巫山检测所", kind=Unit.Kind.TESTING)

    call_command("seed_campaign", stdout=StringIO())

    assert Unit.objects.filter(name="巫山检测所").get() == existing
    assert TaskParty.objects.filter(label="巫山检测所").first().unit == existing


def test_reseeding_keeps_every_admin_edit_and_recreates_no_renamed_task(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(theme="计量让生活更美好")
    stations = campaign.tasks.get(key="ws1.stations")
    stations.title, stations.description = "建成9个计量微站（已改名）", "由价监科统筹。"
    stations.save()
    Target.objects.filter(metric="microstations.stations_opened").update(goal=12)
    Workstream.objects.filter(campaign=campaign, number=2).update(title="线上线下宣传")
    TaskParty.objects.filter(task=stations, role=TaskParty.Role.COOPERATING, label="加油站").delete()
    offices = PartyGroup.objects.get(label="各相关科所队")
    offices.unit_kinds = [Unit.Kind.OFFICE]
    offices.save()
    before = _counts()

    call_command("seed_campaign", stdout=StringIO())

    campaign.refresh_from_db()
    stations.refresh_from_db()
    assert campaign.theme == "计量让生活更美好"
    assert (stations.title, stations.description) == ("建成9个计量微站（已改名）", "由价监科统筹。")
    assert Target.objects.get(metric="microstations.stations_opened").goal == 12
    assert Workstream.objects.get(campaign=campaign, number=2).title == "线上线下宣传"
    assert _parties(stations, TaskParty.Role.COOPERATING) == ["供水供电供气公用企业"]
    assert PartyGroup.objects.get(label="各相关科所队").unit_kinds == [Unit.Kind.OFFICE]
    assert campaign.tasks.count() == 9
    assert _counts() == before


def test_reseeding_creates_what_was_deleted_and_only_that(campaign):
    campaign.tasks.get(key="s3.news").delete()
    Target.objects.filter(metric="volunteers.recruited").delete()

    call_command("seed_campaign", stdout=StringIO())

    assert campaign.tasks.count() == 9
    news = campaign.tasks.get(key="s3.news")
    assert news.title == "加强信息报送"
    assert _parties(news, TaskParty.Role.RESPONSIBLE) == ["各相关科所队"]
    assert news.parties.get().group == PartyGroup.objects.get(label="各相关科所队")
    assert Target.objects.get(metric="volunteers.recruited").goal == 9


def test_a_campaign_seeded_before_tasks_had_keys_is_recognised_by_title(campaign):
    Task.objects.update(key="")

    call_command("seed_campaign", stdout=StringIO())

    assert campaign.tasks.count() == 9
    assert campaign.tasks.filter(key="").count() == 0


def test_section_three_work_requirements_are_checklist_items_without_an_invented_owner(campaign, notice):
    items = list(campaign.requirements.order_by("pk"))  # the notice's order (Chinese numerals do not sort)
    assert [(r.notice_ref, r.title) for r in items] == [
        ("三（一）", "加强组织领导，力求简约实用"),
        ("三（二）", "强化联动配合，形成宣传合力"),
        ("三（三）", "建立长效机制，推动社会共治"),
    ]
    for item in items:
        assert f"{item.notice_ref.removeprefix('三')}{item.title}。" in notice
        assert (item.owner, item.evidence, item.met_at) == (None, "", None)
