"""Bulk import and export of the enterprise registry (.xlsx, Chinese headers) and export of visits.

An import is all or nothing: a bad credit code or one used twice in the file fails its row, every
failing row is reported, and nothing is saved. A code already registered updates that enterprise, so an
export can be edited and imported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from enterprises import services, uscc
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem


def credit_code(value: Any) -> str:
    return uscc.normalize(xl.text(value))


def labels(choices: Any) -> str:
    return "、".join(str(label) for label in choices.labels)


def enterprise_columns() -> list[xl.Column]:
    return [
        xl.Column(
            "企业名称", "name", xl.text, note="营业执照上的名称；摊位写市场和摊位号，如：神女市场 A-12 号摊"
        ),
        xl.Column(
            "统一社会信用代码",
            "credit_code",
            credit_code,
            required=False,
            note="18 位，不得重复；无营业执照的市场摊位可留空",
        ),
        xl.Column("主体类型", "kind", xl.choice(Enterprise.Kind), note=labels(Enterprise.Kind)),
        xl.Column("所属行业", "industry", xl.choice(Enterprise.Industry), note=labels(Enterprise.Industry)),
        xl.Column("企业规模", "size", xl.choice(Enterprise.Size), note=labels(Enterprise.Size)),
        xl.Column("地址", "address", xl.text),
        xl.Column("乡镇/街道", "township", xl.text, note="如：高唐街道、巫峡镇"),
        xl.Column("联系人", "contact_name", xl.text, required=False),
        xl.Column(
            "联系电话", "contact_phone", xl.text, required=False, note="手机号或座机号，如 023-57681234"
        ),
        xl.Column("备注", "note", xl.text, required=False),
        xl.Column("经度", "longitude", xl.decimal, required=False, note="如 109.878，与纬度同填或同空"),
        xl.Column("纬度", "latitude", xl.decimal, required=False, note="如 31.074"),
    ]


# Read-only columns the export adds after the template's (an import ignores columns past the template's).
DERIVED_HEADERS = ["登记管理部门", "机构类别", "登记地行政区划码", "登记时间"]

EXAMPLE = [
    "巫山县某某食品有限公司",
    uscc.make_code("91500237MA5U00001"),
    "企业",
    "农副食品及食品加工业",
    "小型",
    "巫山县高唐街道广东中路 1 号",
    "高唐街道",
    "王某",
    "023-57681234",
    "",
    "109.878",
    "31.074",
]


def enterprises_template() -> bytes:
    return xl.template_bytes("企业名录", enterprise_columns(), EXAMPLE)


def enterprises_import(
    *,
    actor: Any,
    upload: Any,
    campaign: Campaign | None = None,
    progress: Callable[[int], None] = xl.no_progress,
) -> xl.ImportOutcome:
    """All rows or none: raises ValidationError (unreadable file) or ImportFailed (every row's errors).

    A row updates the enterprise registered under its credit code (an edited export re-imports as
    changes, not duplicates); a row without a code (a market stall) updates the code-less enterprise of
    the same name. Other rows are registered. Writes go through enterprise_create / enterprise_update,
    which check the add and change permissions; the columns are the registry's allow-list.

    The registry is the same in every campaign: `campaign` is accepted (import jobs pass one) and unused.
    """
    if not actor.has_perm("enterprises.add_enterprise"):
        raise PermissionDenied(_("您没有登记企业的权限。"))
    rows, errors = xl.read_table(upload, enterprise_columns(), example=EXAMPLE)
    codes = {row["credit_code"] for _number, row in rows if row["credit_code"]}
    stalls = {row["name"] for _number, row in rows if not row["credit_code"]}
    by_code = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    by_name = {e.name: e for e in Enterprise.objects.filter(credit_code="", name__in=stalls)}
    may_change = actor.has_perm("enterprises.change_enterprise")

    def plan(row: dict[str, Any]) -> xl.Upsert:
        existing = by_code.get(row["credit_code"]) if row["credit_code"] else by_name.get(row["name"])
        if existing is None:
            return xl.Upsert(instance=Enterprise(created_by=actor, **row), data=row)
        return xl.update_of(
            existing, row, allowed=may_change, refused=_("该企业已登记，您没有修改企业信息的权限。")
        )

    def write(upsert: xl.Upsert) -> Enterprise:
        if upsert.existing is None:
            return services.enterprise_create(actor=actor, data=upsert.data)
        return services.enterprise_update(actor=actor, enterprise=upsert.existing, data=upsert.data)  # type: ignore[arg-type]

    def key(row: dict[str, Any]) -> xl.RowKey:
        return (
            xl.RowKey("credit_code", row["credit_code"])
            if row["credit_code"]
            else xl.RowKey("name", row["name"])
        )

    return xl.import_upserts(Enterprise, rows, plan, write, key=key, progress=progress, errors=errors)


def enterprises_export(enterprises: QuerySet[Enterprise]) -> bytes:
    rows = (
        [
            e.name,
            e.credit_code,
            e.get_kind_display(),
            e.get_industry_display(),
            e.get_size_display(),
            e.address,
            e.township,
            e.contact_name,
            e.contact_phone,
            e.note,
            e.longitude,
            e.latitude,
            e.get_registration_authority_display(),
            e.entity_type_label,
            e.region_code,
            e.created_at,
        ]
        for e in enterprises.order_by("name", "pk").iterator(chunk_size=500)
    )
    return xl.export_bytes(
        "企业名录",
        enterprise_columns(),
        rows,
        extra_headers=DERIVED_HEADERS,
        number_formats={15: "yyyy-mm-dd hh:mm"},
    )


VISIT_HEADERS = [
    "服务日期",
    "服务企业",
    "统一社会信用代码",
    "填报单位",
    "所属活动",
    "伙伴计划龙头企业",
    "服务方式",
    "服务人员",
    "技术支撑单位",
    "问需清单",
    "检定校准器具（台件）",
    "减免费用（元）",
    "为企业节约成本（元）",
    "节约成本测算依据",
    "指导计量标准/规范（项）",
    "培训人数（人次）",
    "回访日期",
    "登记问题（个）",
    "已解决问题（个）",
    "审核状态",
]


VISIT_FORMATS = {0: "yyyy-mm-dd", 11: "#,##0.00", 12: "#,##0.00", 16: "yyyy-mm-dd"}


def visits_export(visits: QuerySet[EnterpriseVisit]) -> bytes:
    workbook = xl.new_workbook()
    xl.add_sheet(workbook, "企业服务记录", VISIT_HEADERS, visit_rows(visits), number_formats=VISIT_FORMATS)
    return xl.workbook_bytes(workbook)


def visit_rows(visits: QuerySet[EnterpriseVisit]) -> Iterator[list[Any]]:
    """One row per visit with its problem counts, streamed (the admin export and the summary report)."""
    solved = [MetrologyProblem.Status.SOLVED, MetrologyProblem.Status.CONFIRMED]
    queryset = (
        visits.select_related("enterprise", "unit", "partner_lead", "technical_partner")
        .annotate(
            problem_total=Count("problems", distinct=True),
            problem_solved=Count("problems", filter=Q(problems__status__in=solved), distinct=True),
        )
        .order_by("-date", "-pk")
    )
    return (
        [
            v.date,
            v.enterprise.name,
            v.enterprise.credit_code,
            v.unit.name,
            v.get_programme_display(),
            v.partner_lead.name if v.partner_lead else "",
            v.get_visit_types_display(),
            v.staff,
            v.technical_partner.name if v.technical_partner else "",
            v.needs_identified,
            v.instruments_serviced,
            v.fees_waived,
            v.estimated_saving,
            v.saving_basis,
            v.standards_guided,
            v.trainees,
            v.follow_up_on,
            v.problem_total,
            v.problem_solved,
            v.get_review_status_display(),
        ]
        for v in queryset.iterator(chunk_size=500)
    )


PROBLEM_HEADERS = [
    "服务日期",
    "服务企业",
    "填报单位",
    "问题类别",
    "问题描述",
    "办理状态",
    "承办单位",
    "承办人",
    "解决措施",
    "企业确认人",
    "登记时间",
    "解决时间",
    "确认时间",
]


def problems_export(problems: QuerySet[MetrologyProblem]) -> bytes:
    workbook = xl.new_workbook()
    rows = (
        [
            p.visit.date,
            p.visit.enterprise.name,
            p.visit.unit.name,
            p.get_category_display(),
            p.description,
            p.get_status_display(),
            p.assigned_unit.name if p.assigned_unit else "",
            p.assignee_name,
            p.solution,
            p.confirmed_by_name,
            p.raised_at,
            p.solved_at,
            p.confirmed_at,
        ]
        for p in problems.select_related(
            "visit", "visit__enterprise", "visit__unit", "assigned_unit"
        ).iterator(chunk_size=500)
    )
    xl.add_sheet(
        workbook,
        "企业计量问题",
        PROBLEM_HEADERS,
        rows,
        number_formats={
            0: "yyyy-mm-dd",
            10: "yyyy-mm-dd hh:mm",
            11: "yyyy-mm-dd hh:mm",
            12: "yyyy-mm-dd hh:mm",
        },
    )
    return xl.workbook_bytes(workbook)
