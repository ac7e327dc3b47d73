"""An owner's 计量器具台账 in and out of Excel, in e-CQS column order.

The first thirteen columns are e-CQS's ledger, in its order and with its headers (`ECQS_FIELDS`), so a
sheet moves to and from e-CQS without remapping; the bureau's own columns follow (type, code, last
verification, identification code, coordinates). An import is for one owner (e-CQS keeps one ledger per
user) and all or nothing; a row with a 器具码 updates that line, so an exported sheet edited and imported
again changes lines rather than adding them. Writes go through instruments.services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import spreadsheets as xl
from enterprises.importing import labels
from enterprises.models import Enterprise
from inspections.models import InstrumentType
from inspections.verification import Result
from instruments import services
from instruments.models import Purpose, RegisteredInstrument, normalise_code
from organizations.access import scope_to_user
from organizations.models import Unit

TITLE = "计量器具台账"


def code(value: Any) -> str:
    return normalise_code(xl.text(value))


def quantity(value: Any) -> int:
    number = xl.integer(value)
    return 1 if number is None else number


def result(value: Any) -> str:
    return xl.choice(Result)(value) or Result.NONE


def purpose(value: Any) -> str:
    return xl.choice(Purpose)(value) or Purpose.TRADE


def instrument_columns() -> list[xl.Column]:
    """e-CQS's thirteen ledger columns in e-CQS order, then the bureau's."""
    kinds = InstrumentType.objects.active()
    return [
        # e-CQS
        xl.Column("名称", "name", xl.text, note="如：电子计价秤"),
        xl.Column("项别", "category", xl.text, required=False, note="按 e-CQS 强检目录，如：衡器"),
        xl.Column("种别", "species", xl.text, required=False, note="按 e-CQS 强检目录，如：电子秤"),
        xl.Column("型号规格", "model_spec", xl.text, required=False),
        xl.Column("测量范围", "measuring_range", xl.text, required=False, note="如：(0~15)kg"),
        xl.Column("准确度等级", "accuracy_class", xl.text, required=False, note="如：Ⅲ级"),
        xl.Column("出厂编号", "serial_no", xl.text, required=False),
        xl.Column("生产厂家", "manufacturer", xl.text, required=False),
        xl.Column("产地", "origin", xl.text, required=False),
        xl.Column("安装/使用地点", "location", xl.text),
        xl.Column("数量", "quantity", quantity, required=False, note="留空为 1"),
        xl.Column("用途", "purpose", purpose, required=False, note=labels(Purpose)),
        xl.Column("送检方式", "verification_mode", xl.text, required=False, note="按 e-CQS 填写"),
        # The bureau's
        xl.Column(
            "器具类型", "instrument_type", xl.by_name(kinds, offer=True), note="决定是否强检和检定周期"
        ),
        xl.Column("器具码", "code", code, required=False, note="新登记留空；填写已有器具码则修改该器具"),
        xl.Column("检定日期", "verified_on", xl.date, required=False),
        xl.Column("有效期至", "valid_until", xl.date, required=False),
        xl.Column("检定结果", "result", result, required=False, note=labels(Result)),
        xl.Column("检定证书号", "certificate_no", xl.text, required=False),
        xl.Column(
            "识别编码",
            "identification_code",
            xl.text,
            required=False,
            note="GB/T 36377 识别编码，器具上有则照录",
        ),
        xl.Column("经度", "longitude", xl.decimal, required=False, note="与纬度同填或同空"),
        xl.Column("纬度", "latitude", xl.decimal, required=False),
    ]


# Read-only columns after the template's (an import ignores them).
DERIVED_HEADERS = ["使用单位", "监管单位", "当前检定状态", "最近检查日期"]


def instruments_template() -> bytes:
    return xl.template_bytes(TITLE, instrument_columns())


def instruments_import(
    *,
    actor: Any,
    upload: Any,
    owner: Enterprise,
    unit: Unit | None = None,
    progress: Callable[[int], None] = xl.no_progress,
) -> xl.ImportOutcome:
    """All rows or none into `owner`'s ledger: raises ValidationError (unreadable file) or ImportFailed
    (every row's errors). A 器具码 names a line of this owner in the actor's scope to update."""
    if not actor.has_perm("instruments.add_registeredinstrument"):
        raise PermissionDenied(_("您没有登记计量器具的权限。"))
    office, market_unit, status = services.entry_owner(actor, unit)
    rows, errors = xl.read_table(upload, instrument_columns())
    codes = {row["code"] for _number, row in rows if row["code"]}
    existing = {
        line.code: line
        for line in scope_to_user(RegisteredInstrument.objects.all(), actor).filter(
            code__in=codes, owner=owner
        )
    }
    may_change = actor.has_perm("instruments.change_registeredinstrument")

    def plan(row: dict[str, Any]) -> xl.Upsert:
        data = {name: value for name, value in row.items() if name != "code"}
        data["owner"] = owner
        if row["code"]:
            line = existing.get(row["code"])
            if line is None:
                raise ValidationError(
                    {"code": _("器具码“%(code)s”不是该使用单位台账中的器具。") % {"code": row["code"]}}
                )
            return xl.update_of(line, data, allowed=may_change, refused=_("您没有修改器具台账的权限。"))
        instance = RegisteredInstrument(
            created_by=actor, unit=office, market_unit=market_unit, entry_status=status, **data
        )
        return xl.Upsert(instance=instance, data=data)

    def write(upsert: xl.Upsert) -> RegisteredInstrument:
        if upsert.existing is None:
            return services.instrument_create(actor=actor, data=upsert.data, unit=unit)
        return services.instrument_update(
            actor=actor,
            instrument=upsert.existing,  # type: ignore[arg-type]
            data={name: upsert.data[name] for name in upsert.changed},
        )

    def key(row: dict[str, Any]) -> xl.RowKey | None:
        return xl.RowKey("code", row["code"]) if row["code"] else None

    return xl.import_upserts(
        RegisteredInstrument, rows, plan, write, key=key, progress=progress, errors=errors
    )


def instrument_rows(instruments: QuerySet[RegisteredInstrument]) -> Iterator[list[Any]]:
    for line in (
        instruments.select_related("owner", "unit", "instrument_type")
        .order_by("owner__name", "pk")
        .iterator(chunk_size=500)
    ):
        yield [
            line.name,
            line.category,
            line.species,
            line.model_spec,
            line.measuring_range,
            line.accuracy_class,
            line.serial_no,
            line.manufacturer,
            line.origin,
            line.location,
            line.quantity,
            line.get_purpose_display(),
            line.verification_mode,
            line.instrument_type.name,
            line.code,
            line.verified_on,
            line.valid_until,
            line.get_result_display(),
            line.certificate_no,
            line.identification_code,
            line.longitude,
            line.latitude,
            line.owner.name,
            line.unit.name,
            line.current_status.label,
            line.last_inspected_on,
        ]


def instruments_export(instruments: QuerySet[RegisteredInstrument]) -> bytes:
    """The lines as an import file: e-CQS's columns first, then the bureau's, then read-only ones."""
    return xl.export_bytes(
        TITLE,
        instrument_columns(),
        instrument_rows(instruments),
        extra_headers=DERIVED_HEADERS,
        number_formats={15: "yyyy-mm-dd", 16: "yyyy-mm-dd", 25: "yyyy-mm-dd"},
    )
