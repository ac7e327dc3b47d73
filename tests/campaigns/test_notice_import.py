"""Issue 19: from a bureau notice to a draft campaign (the parser, the import service and the command)."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, PartyGroup, Target, Task, TaskParty, WorkRequirement, Workstream
from campaigns.notice_import import (
    COOPERATING,
    RESPONSIBLE,
    NoticeError,
    TaskCut,
    chinese_number,
    parse_notice,
    read_notice_file,
    refine,
)
from campaigns.notice_services import campaign_import_notice, notice_parse, party_matches
from campaigns.seeding import NOTICE_PATH, REQUIREMENTS, TASKS
from organizations.models import Unit
from tests.factories import UnitFactory

KINDS = {str(value): str(label) for value, label in Unit.Kind.choices}
METRICS = {"microstations.stations_opened": "已揭牌运行的微站", "volunteers.recruited": "在岗宣传员"}

HEAD = "某县市场监督管理局\n关于开展2026年“5·20世界计量日”主题活动的通知\n各市场监管所：\n为做好2026年“5·20世界计量日”主题活动，通知如下：\n"


def parse(text: str, **kwargs):
    return parse_notice(text, kind_labels=KINDS, metrics=METRICS, **kwargs)


def parties(task, role):
    return [party.label for party in task.parties if party.role == role]


def notice(body: str) -> str:
    return HEAD + body


def the_2025_notice() -> str:
    return NOTICE_PATH.read_text(encoding="utf-8")


# --- the parser on the 2025 notice ----------------------------------------------------------------------


def test_the_2025_notice_gives_its_campaign_workstreams_parties_targets_and_requirements():
    proposal = parse(the_2025_notice())

    assert (proposal.year, proposal.name, proposal.theme) == (
        2025,
        "2025年“5·20世界计量日”主题活动",
        "计量顺时代之需，应民生之盼",
    )
    assert proposal.notice_issuer == "巫山县市场监督管理局"
    assert proposal.notice_title == "关于进一步加强计量宣传工作深入开展“5·20世界计量日”主题活动的通知"
    assert (proposal.start_date, proposal.end_date) == (None, None)
    assert [(w.number, w.notice_ref, w.title) for w in proposal.workstreams] == [
        (1, "二（一）", "参与“民生计量科普宣传服务微站”千万计划"),
        (2, "二（二）", "开展“守护民生 公平计量”线上线下多媒体融合宣传"),
        (3, "二（三）", "开展民生领域计量专项检查行动"),
        (4, "二（四）", "开展“计量中小企业服务行”活动"),
    ]
    by_ref = {task.notice_ref: task for task in proposal.tasks}
    assert parties(by_ref["二（二）"], RESPONSIBLE) == ["价监科", "各市场监管所"]
    assert parties(by_ref["二（二）"], COOPERATING) == [
        "供水供电供气公用企业",
        "神女市场",
        "平湖市场",
        "加油站",
    ]
    assert parties(by_ref["三（四）"], RESPONSIBLE) == ["各相关科所队"]
    assert by_ref["三（四）"].workstream is None
    assert [(t.metric, t.label, t.goal, t.unit_label, t.workstream) for t in proposal.targets] == [
        ("microstations.stations_opened", "民生计量科普宣传服务微站", 9, "个", 1),
        ("volunteers.recruited", "计量科普义务宣传员、小小宣传员", 9, "名", 1),
    ]
    assert [(r.notice_ref, r.title) for r in proposal.requirements] == [
        ("三（一）", "加强组织领导，力求简约实用"),
        ("三（二）", "强化联动配合，形成宣传合力"),
        ("三（三）", "建立长效机制，推动社会共治"),
    ]


def test_every_proposal_keeps_the_sentence_it_came_from():
    text = the_2025_notice()
    proposal = parse(text)
    sources = [w.source for w in proposal.workstreams] + [t.source for t in proposal.tasks]
    sources += [t.source for t in proposal.targets] + [r.source for r in proposal.requirements]
    assert all(source and all(line in text for line in source.splitlines()) for source in sources)
    assert "建设9个“民生计量科普宣传服务微站”" in proposal.targets[0].source
    assert proposal.sources["theme"] == "今年“世界计量日”全球主题和中国主题为“计量顺时代之需，应民生之盼”。"


def test_the_seeds_task_cuts_are_quotes_of_their_sections():
    proposal = refine(parse(the_2025_notice()), tasks=TASKS, requirements=REQUIREMENTS)
    assert [(t.key, t.notice_ref, t.workstream) for t in proposal.tasks] == [
        ("ws1.stations", "二（一）", 1),
        ("ws1.volunteers", "二（一）", 1),
        ("ws2.online", "二（二）", 2),
        ("ws2.offline", "二（二）", 2),
        ("ws3.inspections", "二（三）", 3),
        ("ws4.partners", "二（四）", 4),
        ("ws4.visits", "二（四）", 4),
        ("s3.opinion", "三（四）", None),
        ("s3.news", "三（四）", None),
    ]
    assert [r.key for r in proposal.requirements] == ["s3.frugal", "s3.coordination", "s3.mechanism"]


def test_a_cut_that_the_section_does_not_say_is_refused():
    proposal = parse(the_2025_notice())
    with pytest.raises(NoticeError, match="不在通知的二（一）中"):
        refine(proposal, tasks={"二（一）": (TaskCut("x", "建设12个微站", "建设12个微站"),)})
    with pytest.raises(NoticeError, match="五（九）"):
        refine(proposal, tasks={"五（九）": (TaskCut("x", "a", "b"),)})


# --- other notices ----------------------------------------------------------------------------------------

NUMBERINGS = {
    "一、 and （一）": (
        "一、工作安排\n（一）开展加油机检查\n",
        "（二）开展电子秤检查\n",
        "一（一）",
        "一（二）",
    ),
    "一、 and 1.": ("一、工作安排\n1.开展加油机检查\n", "2.开展电子秤检查\n", "一1.", "一2."),
    "一． and （1）": ("一．工作安排\n（1）开展加油机检查\n", "（2）开展电子秤检查\n", "一（1）", "一（2）"),
    "1、 alone": ("1、开展加油机检查\n", "2、开展电子秤检查\n", "1.", "2."),
    "half-width (一) and 1．": (
        "(一)工作安排\n1．开展加油机检查\n",
        "2．开展电子秤检查\n",
        "（一）1.",
        "（一）2.",
    ),
    "full-width digits": ("一、工作安排\n１．开展加油机检查\n", "２．开展电子秤检查\n", "一1.", "一2."),
}


@pytest.mark.parametrize("numbering", list(NUMBERINGS))
def test_sections_numbered_in_other_ways_become_workstreams(numbering):
    first, second, ref_1, ref_2 = NUMBERINGS[numbering]
    text = notice(
        f"{first}组织检查加油站。（责任单位：执法一大队）\n{second}组织检查集贸市场。（责任单位：各市场监管所）\n"
    )

    proposal = parse(text)

    assert [(w.notice_ref, w.title) for w in proposal.workstreams] == [
        (ref_1, "开展加油机检查"),
        (ref_2, "开展电子秤检查"),
    ]
    assert [parties(t, RESPONSIBLE) for t in proposal.tasks] == [["执法一大队"], ["各市场监管所"]]
    assert proposal.tasks[0].description == "组织检查加油站。"


def test_half_width_punctuation_reads_like_full_width_and_is_kept_as_written():
    text = notice("一、工作安排\n(一)开展检查\n组织检查.(责任单位:价监科,执法一大队;配合单位:神女市场)\n")

    task = parse(text).tasks[0]

    assert parties(task, RESPONSIBLE) == ["价监科", "执法一大队"]
    assert parties(task, COOPERATING) == ["神女市场"]
    assert task.description == "组织检查."  # the notice's own characters, not a normalised copy
    assert task.source in text


@pytest.mark.parametrize("separator", ["、", "，", "和", "及", ","])
def test_units_listed_with_any_separator(separator):
    text = notice(
        f"一、工作安排\n（一）开展检查\n组织检查。（责任单位：价监科{separator}执法一大队{separator}各市场监管所）\n"
    )

    assert parties(parse(text).tasks[0], RESPONSIBLE) == ["价监科", "执法一大队", "各市场监管所"]


def test_a_task_with_no_cooperating_units():
    text = notice("一、工作安排\n（一）开展检查\n组织检查。（责任单位：价监科）\n")

    task = parse(text).tasks[0]

    assert parties(task, RESPONSIBLE) == ["价监科"]
    assert parties(task, COOPERATING) == []


def test_cooperating_units_named_before_the_responsible_ones():
    text = notice(
        "一、工作安排\n（一）开展检查\n组织检查。（配合单位：神女市场、加油站等企事业单位；责任单位：执法一大队）\n"
    )

    task = parse(text).tasks[0]

    assert parties(task, RESPONSIBLE) == ["执法一大队"]
    assert parties(task, COOPERATING) == ["神女市场", "加油站"]
    assert [p.role for p in task.parties] == [RESPONSIBLE, COOPERATING, COOPERATING]
    assert next(p for p in task.parties if p.label == "加油站").kinds == ("gas_station",)


def test_targets_written_with_chinese_numerals():
    text = notice(
        "一、工作安排\n（一）建设微站\n在全县建设九个“计量科普微站”，募集十二名宣传员，发放两千份资料。"
        "这是第二十六个世界计量日。（责任单位：价监科）\n"
    )

    targets = parse(text).targets

    assert [(t.goal, t.unit_label, t.label, t.metric) for t in targets] == [
        (9, "个", "计量科普微站", "microstations.stations_opened"),
        (12, "名", "宣传员", "volunteers.recruited"),
        (2000, "份", "资料", "notice.一（一）.3"),
    ]
    assert [t.matched for t in targets] == [True, True, False]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两千", 2000),
        ("一万二千", 12000),
        ("37", 37),
    ],
)
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


def test_dates_stated_in_the_text_become_the_campaigns_dates():
    text = notice(
        "活动时间：2026年5月10日至5月31日。\n一、工作安排\n（一）开展检查\n组织检查。（责任单位：价监科）\n"
    )

    proposal = parse(text)

    assert (proposal.year, str(proposal.start_date), str(proposal.end_date)) == (
        2026,
        "2026-05-10",
        "2026-05-31",
    )
    assert proposal.sources["dates"] == "活动时间：2026年5月10日至5月31日。"


def test_the_year_can_be_given_when_the_notice_has_none():
    text = "关于开展计量宣传的通知\n一、工作安排\n（一）开展检查\n组织检查。（责任单位：价监科）\n"
    with pytest.raises(NoticeError, match="没有写明年度"):
        parse(text)
    assert parse(text, year=2027).year == 2027


@pytest.mark.parametrize(
    "text",
    [
        "",
        "请各单位高度重视计量宣传工作。",
        "一、高度重视\n各单位要高度重视计量宣传工作。\n二、加强宣传\n多宣传。",
    ],
)
def test_text_with_no_parseable_structure_is_refused_with_a_clear_message(text):
    with pytest.raises(NoticeError) as raised:
        parse(text, year=2026)
    assert "通知" in str(raised.value)


def test_a_docx_notice_reads_as_its_paragraphs():
    document = docx.Document()
    for line in the_2025_notice().splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)

    text = read_notice_file("通知.DOCX", buffer.getvalue())

    assert parse(text).workstreams == parse(the_2025_notice()).workstreams


def test_a_txt_notice_in_gb18030_and_other_files():
    assert read_notice_file("a.txt", "一、工作".encode("gb18030")) == "一、工作"
    with pytest.raises(NoticeError, match=r"\.txt 或 \.docx"):
        read_notice_file("a.pdf", b"%PDF")
    with pytest.raises(NoticeError, match="Word"):
        read_notice_file("a.docx", b"not a zip")


# --- the import service -------------------------------------------------------------------------------------

OTHER_NOTICE = notice(
    "一、工作安排\n（一）开展加油机检查\n组织检查，建设九个计量科普微站。（责任单位：执法一大队和各市场监管所；配合单位：新华加油站）\n"
    "（二）开展宣传\n开展宣传。（责任单位：价监科）\n"
    "二、工作要求\n（一）加强领导。要高度重视。\n（二）及时报送。各相关科所队要及时报送信息。\n"
)


def _counts():
    return [
        m.objects.count()
        for m in (Unit, Campaign, Workstream, Target, Task, TaskParty, PartyGroup, WorkRequirement)
    ]


@pytest.fixture
def units(db):
    return {
        "价监科": UnitFactory(name="价监科", kind=Unit.Kind.SECTION),
        "执法一大队": UnitFactory(name="执法一大队", kind=Unit.Kind.ENFORCEMENT),
        "office": UnitFactory(name="城关市场监管所", kind=Unit.Kind.OFFICE),
    }


def test_unknown_names_must_be_mapped_and_nothing_is_created_until_they_are(units):
    proposal = notice_parse(OTHER_NOTICE)
    matches = party_matches(proposal)
    assert [label for label, m in matches.items() if not m.known] == ["新华加油站"]
    before = _counts()

    with pytest.raises(ValidationError, match="新华加油站"):
        campaign_import_notice(actor=None, proposal=proposal)

    assert _counts() == before


def test_an_import_creates_the_campaign_through_the_service_and_a_second_changes_nothing(units):
    proposal = notice_parse(OTHER_NOTICE)

    result = campaign_import_notice(
        actor=None, proposal=proposal, decisions={"新华加油站": "new:gas_station"}
    )

    assert result.created == {"campaign": 1, "workstreams": 2, "tasks": 3, "targets": 1, "requirements": 1}
    campaign = result.campaign
    assert (campaign.year, campaign.notice_text) == (2026, OTHER_NOTICE.strip())
    inspection = campaign.tasks.get(notice_ref="一（一）")
    assert [
        (p.role, p.label, p.unit_id is not None) for p in inspection.parties.order_by("role", "sort_order")
    ] == [
        ("cooperating", "新华加油站", True),
        ("responsible", "执法一大队", True),
        ("responsible", "各市场监管所", False),
    ]
    assert Unit.objects.get(name="新华加油站").kind == Unit.Kind.GAS_STATION
    assert set(inspection.assignments.values_list("unit__name", flat=True)) == {
        "执法一大队",
        "城关市场监管所",
    }
    news = campaign.tasks.get(notice_ref="二（二）")
    assert news.workstream is None
    group = news.parties.get().group
    assert group is not None
    assert group.unit_kinds == ["section", "office", "enforcement"]
    assert list(campaign.requirements.values_list("title", flat=True)) == ["加强领导"]
    assert campaign.targets.get().goal == 9
    before = _counts()

    again = campaign_import_notice(actor=None, proposal=notice_parse(OTHER_NOTICE))

    assert not again.changed
    assert _counts() == before


def test_importing_the_2025_notice_after_seed_campaign_changes_nothing(db):
    call_command("seed_campaign", stdout=StringIO())
    before = _counts()

    result = campaign_import_notice(actor=None, proposal=notice_parse(the_2025_notice()))

    assert not result.changed
    assert _counts() == before


def test_an_office_or_leader_may_not_import(units, office_a, leader):
    for user in (office_a, leader):
        with pytest.raises(PermissionDenied):
            campaign_import_notice(actor=user, proposal=notice_parse(OTHER_NOTICE))
    assert not Campaign.objects.exists()


# --- manage.py import_notice -------------------------------------------------------------------------------


def test_import_notice_dry_run_prints_the_proposal_and_writes_nothing(units, tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_text(OTHER_NOTICE, encoding="utf-8")
    out = StringIO()
    before = _counts()

    call_command("import_notice", str(path), "--dry-run", stdout=out)

    assert "workstream 1 一（一） 开展加油机检查" in out.getvalue()
    assert "cooperating: 新华加油站 -> UNKNOWN" in out.getvalue()
    assert _counts() == before


def test_import_notice_needs_a_choice_for_unknown_names_then_imports_once(units, tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_text(OTHER_NOTICE, encoding="utf-8")
    with pytest.raises(CommandError, match="新华加油站"):
        call_command("import_notice", str(path), stdout=StringIO())
    assert not Campaign.objects.exists()

    out = StringIO()
    call_command(
        "import_notice", str(path), "--year", "2027", "--map", "新华加油站=new:gas_station", stdout=out
    )
    assert "created 1 campaign, 2 workstreams, 3 tasks" in out.getvalue()
    assert Campaign.objects.get().year == 2027

    out = StringIO()
    call_command("import_notice", str(path), "--year", "2027", stdout=out)
    assert "created 0 campaign, 0 workstreams, 0 tasks, 0 targets, 0 requirements" in out.getvalue()


def test_import_notice_refuses_unparseable_text(db, tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_text("请各单位高度重视。", encoding="utf-8")
    with pytest.raises(CommandError, match="没有识别出工作安排"):
        call_command("import_notice", str(path), "--year", "2026", stdout=StringIO())
    assert not Campaign.objects.exists()
