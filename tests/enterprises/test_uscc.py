"""Our GB 32100-2015 credit-code validator: known codes, the parts it reads, and properties over generated codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from enterprises import uscc

# An oracle written from DOMAIN.md's description alone, independent of the module under test.
ORACLE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORACLE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def oracle_check(body: str) -> str:
    total = sum(ORACLE_ALPHABET.index(c) * w for c, w in zip(body, ORACLE_WEIGHTS, strict=True))
    return ORACLE_ALPHABET[(31 - total % 31) % 31]


def messages(code: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        uscc.validate(code)
    return [str(m) for m in caught.value.messages]


# --- known codes -------------------------------------------------------------------------------------

PUBLISHED_VALID = [
    "91350100M000100Y43",  # the standard's worked example (DOMAIN.md)
    "91110000802100433B",
    "91440300708461136T",
    "914403001922038216",
    "91110108551385082Q",
    "9111000071093123XX",  # a check character that is itself X
]


@pytest.mark.parametrize("code", PUBLISHED_VALID)
def test_published_codes_are_valid(code):
    assert uscc.is_valid(code)
    uscc.validate(code)


@pytest.mark.parametrize(
    "code",
    [
        "A1500237MA6T00001",  # 中央军委改革和编制办公室
        "N2500237MA6T00002",  # 农业农村 (村级集体经济组织)
        "Y1500237MA6T00003",  # 其他
        "12500237450200181",  # 事业单位 with an all-digit organisation code
    ],
)
def test_codes_starting_with_a_letter_or_a_digit_are_accepted_with_their_check_character(code):
    full = code + oracle_check(code)

    assert uscc.is_valid(full)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "91350100M000100Y4Z",
            "统一社会信用代码含有不允许的字符“Z”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        ("91350100M000100Y44", "统一社会信用代码校验不通过，请核对是否抄错。"),
        ("91350100M000100Y4", "统一社会信用代码应为 18 位，当前为 17 位。"),
        ("91350100M000100Y433", "统一社会信用代码应为 18 位，当前为 19 位。"),
        ("", "统一社会信用代码应为 18 位，当前为 0 位。"),
        (
            "91350100m000100y43",
            "统一社会信用代码含有不允许的字符“my”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        (
            "91350100I000100Y43",
            "统一社会信用代码含有不允许的字符“I”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        (
            "91350100O000100Y43",
            "统一社会信用代码含有不允许的字符“O”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        (
            "91350100S000100Y43",
            "统一社会信用代码含有不允许的字符“S”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        (
            "91350100V000100Y43",
            "统一社会信用代码含有不允许的字符“V”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        (
            "9135 0100M000100Y4",
            "统一社会信用代码含有不允许的字符“ ”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        ("B1350100M000100Y4" + "3", "统一社会信用代码第 1 位（登记管理部门）“B”无效。"),
        ("0135010" + "0M000100Y43", "统一社会信用代码第 1 位（登记管理部门）“0”无效。"),
    ],
)
def test_invalid_codes_are_refused_with_a_clear_chinese_message(code, expected):
    assert messages(code) == [expected]
    assert not uscc.is_valid(code)


def test_a_region_that_is_not_six_digits_is_refused_even_with_a_matching_check_character():
    body = "91A00237MA6T00001"
    code = body + oracle_check(body)

    assert messages(code) == ["统一社会信用代码第 3–8 位应为 6 位数字的行政区划码。"]


def test_parse_reads_authority_entity_type_and_region():
    parsed = uscc.parse(uscc.make_code("92500237MA6T00001"))

    assert (parsed.authority, parsed.authority_label) == ("9", "市场监管（工商）")
    assert (parsed.entity_type, parsed.entity_type_label) == ("2", "个体工商户")
    assert (parsed.region_code, parsed.region_label) == ("500237", "重庆市巫山县")
    assert parsed.organisation_code == "MA6T00001"


def test_parse_labels_an_institution_and_a_region_outside_wushan():
    parsed = uscc.parse("91350100M000100Y43")

    assert (parsed.authority_label, parsed.entity_type_label) == ("市场监管（工商）", "企业")
    assert parsed.region_label == "350100"
    assert uscc.parse(uscc.make_code("12500237450200181")).entity_type_label == "事业单位"


def test_parse_refuses_an_invalid_code():
    with pytest.raises(ValidationError):
        uscc.parse("91350100M000100Y4Z")


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
        ("91350100m000100y43", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width, as some IMEs type it
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_folds_what_people_type(typed, normalised):
    assert uscc.normalize(typed) == normalised


def test_make_code_refuses_a_body_outside_the_alphabet():
    with pytest.raises(ValueError, match="17 characters"):
        uscc.make_code("91350100M000100Z")


# --- properties --------------------------------------------------------------------------------------

bodies = st.builds(
    lambda authority, entity, region, organisation: authority + entity + region + organisation,
    st.sampled_from(list(uscc.AUTHORITIES)),
    st.sampled_from(ORACLE_ALPHABET),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ORACLE_ALPHABET, min_size=9, max_size=9),
)


@settings(database=None, max_examples=300)
@given(body=bodies)
def test_every_generated_code_validates(body):
    code = body + oracle_check(body)

    assert uscc.check_character(body) == code[-1]
    assert uscc.is_valid(code)
    assert uscc.parse(code).region_code == body[2:8]


@settings(database=None, max_examples=500)
@given(
    body=bodies,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.one_of(st.sampled_from(ORACLE_ALPHABET), st.characters()),
)
def test_every_single_character_change_does_not_validate(body, position, replacement):
    code = body + oracle_check(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return  # the "change" put back the same character

    assert not uscc.is_valid(changed)
