"""The feedback form on a station's public page, with its self-hosted challenge.

The challenge is a small sum whose answer travels signed (and time-limited) in a hidden field: no
third-party service, no session needed. A hidden honeypot field catches naive bots as well.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from core.text import validate_no_control_characters
from opinion.models import OpinionIncident

CHALLENGE_SALT = "public.feedback.challenge"
CHALLENGE_MAX_AGE = 60 * 60  # seconds a rendered form stays valid


def challenge_new() -> tuple[str, str]:
    """A question ("3 + 8 = ?") and the signed token that carries its answer."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"answer": first + second, "nonce": secrets.token_hex(4)}, salt=CHALLENGE_SALT)
    return f"{first} + {second} = ?", token


def challenge_answer(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return None
    return int(data["answer"]) if isinstance(data, dict) and "answer" in data else None


class ChallengeForm(forms.Form):
    """What every public form shares: an optional contact kept only with consent, the signed sum, and
    the honeypot. Subclasses add their own fields (and a `field_order` putting them first)."""

    contact = forms.CharField(
        label=_("联系方式（选填）"),
        max_length=50,
        required=False,
        help_text=_("如需回复，请留下姓名或电话，并勾选下方同意"),
        validators=[validate_no_control_characters],
    )
    consent = forms.BooleanField(
        label=_("我同意市场监管部门保存我的联系方式，仅用于处理本次反馈"), required=False
    )
    answer = forms.IntegerField(label=_("验证问题"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    challenge = forms.CharField(widget=forms.HiddenInput)
    # Left empty by people (hidden by CSS, skipped by screen readers); bots fill every field.
    website = forms.CharField(
        required=False,
        label=_("网址"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.question, self.initial["challenge"] = challenge_new()
        else:
            self.question = ""

    def renew_challenge(self) -> None:
        """A bound form shown again gets a fresh question (the old answer must not be reused)."""
        self.question, token = challenge_new()
        self.data = {**{key: self.data.get(key) for key in self.data}, "challenge": token, "answer": ""}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            self.add_error(None, _("提交失败，请重试。"))
        expected = challenge_answer(cleaned.get("challenge", ""))
        if expected is None:
            self.add_error("answer", _("验证问题已过期，请重新作答。"))
        elif cleaned.get("answer") is not None and cleaned["answer"] != expected:
            self.add_error("answer", _("验证问题回答错误，请重新计算。"))
        contact = (cleaned.get("contact") or "").strip()
        if contact and not cleaned.get("consent"):
            self.add_error("consent", _("留下联系方式须勾选同意；不需要回复可不填联系方式。"))
        # Nothing personal is kept without consent.
        cleaned["contact"] = contact if cleaned.get("consent") else ""
        return cleaned


class FeedbackForm(ChallengeForm):
    field_order = ["kind", "domain", "text"]

    kind = forms.TypedChoiceField(
        label=_("反馈类型"),
        choices=[("complaint", _("投诉举报")), ("suggestion", _("意见建议"))],
        initial="complaint",
        widget=forms.RadioSelect,
    )
    domain = forms.ChoiceField(label=_("涉及方面"), choices=OpinionIncident.Domain.choices)
    text = forms.CharField(
        label=_("反馈内容"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("请写明时间、地点、商户和具体情况")}),
        validators=[validate_no_control_characters],
    )


class InstrumentProblemForm(ChallengeForm):
    """ "Report a problem" on an instrument's scan page; it lands on the supervising office's 舆情 desk."""

    field_order = ["text"]

    text = forms.CharField(
        label=_("问题描述"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("如：称量不准、铅封破损、检定标志过期")}),
        validators=[validate_no_control_characters],
        error_messages={
            "required": _("请填写问题描述。"),
            "min_length": _("请至少写 5 个字，说明具体情况。"),
        },
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("您对这台器具的评价"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择 1 至 5 分。"), "invalid_choice": _("评分须为 1 至 5。")},
    )
