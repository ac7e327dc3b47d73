"""统一社会信用代码 (unified social credit code) per GB 32100-2015, checked by our own code.

18 characters from a 31-character alphabet (no I, O, Z, S, V): position 1 the registering
authority, 2 the entity type, 3–8 the administrative region, 9–17 the organisation code and 18 a
check character over the first 17. Legal codes may start with a letter (A, N, Y), which some
libraries wrongly refuse; this module accepts them.

`validate` is strict about the exact string (no case folding, no spaces), so that a single changed
character is always caught; forms and imports pass their input through `normalize` first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {character: value for value, character in enumerate(ALPHABET)}
# 3**i mod 31 for i = 0..16, as the standard tabulates them.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

# Position 1 and, per authority, position 2 (GB 32100-2015 table 1, with the codes added since for
# the military establishment office (A) and rural collective economic organisations (N)).
AUTHORITIES: dict[str, tuple[Any, dict[str, Any]]] = {
    "1": (
        _("机构编制"),
        {"1": _("机关"), "2": _("事业单位"), "3": _("中央编办直接管理机构编制的群众团体"), "9": _("其他")},
    ),
    "2": (_("外交"), {"1": _("外国常驻新闻机构"), "9": _("其他")}),
    "3": (
        _("司法行政"),
        {
            "1": _("律师执业机构"),
            "2": _("公证处"),
            "3": _("基层法律服务所"),
            "4": _("司法鉴定机构"),
            "5": _("仲裁委员会"),
            "9": _("其他"),
        },
    ),
    "4": (_("文化"), {"1": _("外国在华文化中心"), "9": _("其他")}),
    "5": (_("民政"), {"1": _("社会团体"), "2": _("民办非企业单位"), "3": _("基金会"), "9": _("其他")}),
    "6": (
        _("旅游"),
        {
            "1": _("外国旅游部门常驻代表机构"),
            "2": _("港澳台地区旅游部门常驻内地（大陆）代表机构"),
            "9": _("其他"),
        },
    ),
    "7": (_("宗教"), {"1": _("宗教活动场所"), "2": _("宗教院校"), "9": _("其他")}),
    "8": (_("工会"), {"1": _("基层工会"), "9": _("其他")}),
    "9": (_("市场监管（工商）"), {"1": _("企业"), "2": _("个体工商户"), "3": _("农民专业合作社")}),
    "A": (_("中央军委改革和编制办公室"), {"1": _("军队事业单位"), "9": _("其他")}),
    "N": (
        _("农业农村"),
        {
            "1": _("组级集体经济组织"),
            "2": _("村级集体经济组织"),
            "3": _("乡镇级集体经济组织"),
            "9": _("其他"),
        },
    ),
    "Y": (_("其他"), {"1": _("其他")}),
}
AUTHORITY_CHOICES = [(code, label) for code, (label, _types) in AUTHORITIES.items()]

# Region codes the bureau meets daily; others are shown as their six digits.
REGION_NAMES: dict[str, Any] = {"500237": _("重庆市巫山县"), "500000": _("重庆市")}
WUSHAN_REGION = "500237"


@dataclass(frozen=True)
class CreditCode:
    """What a valid code says about its holder."""

    code: str
    authority: str
    authority_label: str
    entity_type: str
    entity_type_label: str
    region_code: str
    organisation_code: str

    @property
    def region_label(self) -> str:
        return str(REGION_NAMES.get(self.region_code, self.region_code))


def check_character(body: str) -> str:
    """The 18th character for the first 17 (which must be in the alphabet)."""
    if len(body) != LENGTH - 1 or any(character not in VALUES for character in body):
        raise ValueError(f"need 17 characters of {ALPHABET!r}, got {body!r}")
    total = sum(VALUES[character] * weight for character, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def make_code(body: str) -> str:
    """A valid code from its first 17 characters (for demo data and tests)."""
    return body + check_character(body)


def normalize(raw: str | None) -> str:
    """What a person meant to type: full-width characters folded, spaces dropped, upper case."""
    if not raw:
        return ""
    folded = unicodedata.normalize("NFKC", str(raw))
    return "".join(folded.split()).upper()


def validate(code: str) -> None:
    """Raise ValidationError (in Chinese) unless `code` is a well-formed code with a correct check character."""
    if not isinstance(code, str) or len(code) != LENGTH:
        length = len(code) if isinstance(code, str) else 0
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(length)d 位。"),
            code="uscc_length",
            params={"length": length},
        )
    bad = sorted({character for character in code if character not in VALUES})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(characters)s”（只用数字和大写字母，不用 I、O、Z、S、V）。"),
            code="uscc_characters",
            params={"characters": "".join(bad)},
        )
    if code[0] not in AUTHORITIES:
        raise ValidationError(
            _("统一社会信用代码第 1 位（登记管理部门）“%(character)s”无效。"),
            code="uscc_authority",
            params={"character": code[0]},
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第 3–8 位应为 6 位数字的行政区划码。"), code="uscc_region")
    # The expected character is deliberately not shown: "fixing" only it would hide a typo elsewhere.
    if check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验不通过，请核对是否抄错。"), code="uscc_check")


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except ValidationError:
        return False
    return True


def parse(code: str) -> CreditCode:
    """The parts of a valid code, with their labels; raises ValidationError for an invalid one."""
    validate(code)
    authority_label, types = AUTHORITIES[code[0]]
    return CreditCode(
        code=code,
        authority=code[0],
        authority_label=str(authority_label),
        entity_type=code[1],
        entity_type_label=str(types.get(code[1], _("未列明"))),
        region_code=code[2:8],
        organisation_code=code[8:17],
    )


def entity_type_label(authority: str, entity_type: str) -> str:
    types = AUTHORITIES.get(authority, ("", {}))[1]
    return str(types.get(entity_type, _("未列明"))) if authority and entity_type else ""
