"""What every form shares: a service's refusal shown on the form, and the wording of an entry form's
empty choice ("请选择" where Django says "---------"; list filters say "全部":
FILTERS_EMPTY_CHOICE_LABEL in settings)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BLANK_DASHES = "---------"
PLEASE_CHOOSE = _("请选择")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's errors on the form: each on its field where the form has that field, above the form
    otherwise (services are atomic: nothing was saved)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def label_blank_choices(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == BLANK_DASHES:
                field.empty_label = PLEASE_CHOOSE
        elif isinstance(field, forms.ChoiceField):
            choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0] == ("", BLANK_DASHES):
                field.choices = [("", PLEASE_CHOOSE), *choices[1:]]
