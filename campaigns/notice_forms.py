"""The notice import page's forms: the notice (pasted or uploaded) and the admin's choice per unknown name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.notice_import import CampaignProposal, NoticeError, read_notice_file
from campaigns.notice_services import GROUP, NEW, UNIT, PartyMatch, notice_parse
from core.forms import PLEASE_CHOOSE
from organizations.models import Unit

MAX_NOTICE_BYTES = 2 * 1024 * 1024
MAX_NOTICE_CHARS = 100_000


class NoticeSourceForm(forms.Form):
    """Paste the notice or upload it; the form's `proposal` is what the parser reads from it."""

    text = forms.CharField(
        label=_("通知全文"),
        required=False,
        max_length=MAX_NOTICE_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("粘贴通知全文，或在下方上传 .txt / .docx 文件。"),
    )
    file = forms.FileField(
        label=_("通知文件"), required=False, help_text=_("支持 .txt 与 .docx，最大 2 MB。")
    )
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("留空则按通知中的年度。"),
    )

    proposal: CampaignProposal

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        text = cleaned.get("text") or ""
        if self.errors:
            return cleaned
        try:
            if upload is not None:
                if upload.size > MAX_NOTICE_BYTES:
                    raise forms.ValidationError({"file": _("文件不能超过 2 MB。")})
                text = read_notice_file(upload.name or "", upload.read())
                if len(text) > MAX_NOTICE_CHARS:
                    raise forms.ValidationError({"file": _("通知过长，最多 100000 字。")})
            if not text.strip():
                raise forms.ValidationError(_("请粘贴通知全文或上传通知文件。"))
            self.proposal = notice_parse(text, year=cleaned.get("year"))
        except NoticeError as exc:
            raise forms.ValidationError(str(exc)) from exc
        # The confirmation posts the text it was shown, whatever the source was.
        cleaned["text"] = text
        return cleaned


def _choices() -> list[tuple[Any, Any]]:
    kinds = Unit.Kind.choices
    return [
        ("", PLEASE_CHOOSE),
        (
            _("新建单位"),
            [(f"{NEW}:{kind}", _("新建为“%(kind)s”") % {"kind": label}) for kind, label in kinds],
        ),
        (
            _("按单位类型（单位组）"),
            [(f"{GROUP}:{kind}", _("所有“%(kind)s”") % {"kind": label}) for kind, label in kinds],
        ),
        (
            _("对应已有单位"),
            [
                (f"{UNIT}:{pk}", name)
                for pk, name in Unit.objects.filter(is_active=True).values_list("pk", "name")
            ],
        ),
    ]


class NoticeDecisionForm(forms.Form):
    """One required choice per name of the notice that matches no unit and no group."""

    def __init__(self, *args: Any, matches: dict[str, PartyMatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels: dict[str, str] = {}
        choices = None
        for match in matches.values():
            if match.known:
                continue
            choices = choices or _choices()
            name = f"party_{len(self.labels)}"
            self.labels[name] = match.label
            self.fields[name] = forms.ChoiceField(
                label=match.label,
                choices=choices,
                error_messages={"required": _("请选择“%(name)s”对应的单位。") % {"name": match.label}},
            )

    def decisions(self) -> dict[str, str]:
        return {label: self.cleaned_data[name] for name, label in self.labels.items()}
