"""Form pieces that workstream forms embed to take photos. They check and re-encode; they never save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evidence.processing import ProcessedPhoto, process_upload

DEFAULT_MAX_FILES = 9


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets phones pick several photos (or take one with the camera)."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"accept": "image/*", **(attrs or {})})


class PhotoField(forms.FileField):
    """Several photos in one input; `cleaned_data[name]` is a list of ProcessedPhoto, for `photos_attach`.

    Every file is checked and every file's problem reported at once, so the user fixes them in one go.
    """

    widget = MultipleFileInput
    default_error_messages = {
        "required": _("请至少上传一张照片。"),
        "too_many_files": _("最多上传 %(limit)d 张照片，本次选择了 %(count)d 张。"),
    }

    def __init__(self, *, max_files: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("照片"))
        super().__init__(**kwargs)
        self._max_files = max_files

    @property
    def max_files(self) -> int:
        if self._max_files is not None:
            return self._max_files
        return int(getattr(settings, "EVIDENCE_MAX_FILES", DEFAULT_MAX_FILES))

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedPhoto]:
        if data is forms.widgets.FILE_INPUT_CONTRADICTION:
            raise ValidationError(self.error_messages["contradiction"], code="contradiction")
        # The widget gives a list; False means "clear", which for photos is the same as nothing.
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many_files"],
                code="too_many_files",
                params={"limit": self.max_files, "count": len(files)},
            )
        processed: list[ProcessedPhoto] = []
        errors: list[ValidationError] = []
        for uploaded in files:
            try:
                self.run_validators(uploaded)
                processed.append(process_upload(uploaded))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return processed

    def has_changed(self, initial: Any, data: Any) -> bool:
        return not self.disabled and bool(data)
