"""Form pieces that workstream forms embed to take photos. They check and re-encode; they never save."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evidence.pending import pending_resolve
from evidence.processing import ProcessedPhoto, process_upload

DEFAULT_MAX_FILES = 9


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets phones pick several photos (or take one with the camera)."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"accept": "image/*", **(attrs or {})})


@dataclass
class PhotoData:
    """What a photo input posts: files sent with the form, and tokens of photos uploaded ahead of it."""

    files: list[Any] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)


class PhotoInput(MultipleFileInput):
    """The photo input of a record form: once bound to its uploader (`bind_photo_uploader`), the page
    script uploads each photo as soon as it is picked (shrunk in the browser, with progress) and the
    form posts the returned tokens in `<name>_pending`, so a validation error does not lose them."""

    template_name = "evidence/widgets/photo_input.html"
    uploads_ahead = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        picked = super().value_from_datadict(data, files, name)
        if picked is forms.widgets.FILE_INPUT_CONTRADICTION:
            return picked
        picked_list = [f for f in (picked if isinstance(picked, list | tuple) else [picked]) if f]
        tokens = data.getlist(f"{name}_pending") if hasattr(data, "getlist") else []
        return PhotoData(files=picked_list, tokens=[t for t in tokens if t] if self.uploads_ahead else [])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return super().value_omitted_from_data(data, files, name) and f"{name}_pending" not in data

    def format_value(self, value: Any) -> None:
        return None  # a file input never shows a value; the pending photos are in the context

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["uploads_ahead"] = self.uploads_ahead
        if self.uploads_ahead:
            context["widget"]["upload_url"] = reverse("evidence:pending_upload")
            tokens = value.tokens if isinstance(value, PhotoData) else []
            context["widget"]["pending"] = [
                {"token": t, "thumbnail": reverse("evidence:pending_thumbnail", args=[t])} for t in tokens
            ]
        return context


class PhotoField(forms.FileField):
    """Several photos in one input; `cleaned_data[name]` is a list of ProcessedPhoto, for `photos_attach`.

    Every file is checked and every file's problem reported at once, so the user fixes them in one go.
    """

    widget = PhotoInput
    default_error_messages = {
        "required": _("请至少上传一张照片。"),
        "too_many_files": _("最多上传 %(limit)d 张照片，本次选择了 %(count)d 张。"),
    }

    def __init__(self, *, max_files: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("照片"))
        super().__init__(**kwargs)
        self._max_files = max_files
        self.uploader: Any = None

    @property
    def max_files(self) -> int:
        if self._max_files is not None:
            return self._max_files
        return int(getattr(settings, "EVIDENCE_MAX_FILES", DEFAULT_MAX_FILES))

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedPhoto]:
        if data is forms.widgets.FILE_INPUT_CONTRADICTION:
            raise ValidationError(self.error_messages["contradiction"], code="contradiction")
        # The widget gives a PhotoData (or, called directly, a list of files); False means "clear",
        # which for photos is the same as nothing.
        tokens: list[str] = []
        if isinstance(data, PhotoData):
            files, tokens = data.files, data.tokens if self.uploader is not None else []
        else:
            files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and not tokens:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) + len(tokens) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many_files"],
                code="too_many_files",
                params={"limit": self.max_files, "count": len(files) + len(tokens)},
            )
        processed: list[ProcessedPhoto] = []
        errors: list[ValidationError] = []
        try:
            processed.extend(pending_resolve(user=self.uploader, tokens=tokens))
        except ValidationError as exc:
            errors.extend(exc.error_list)
        for uploaded in files:
            try:
                self.run_validators(uploaded)
                processed.append(process_upload(uploaded))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return processed

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data  # the pending tokens must survive a re-render

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, PhotoData):
            return not self.disabled and bool(data.files or data.tokens)
        return not self.disabled and bool(data)


def bind_photo_uploader(form: forms.BaseForm, user: Any) -> None:
    """Let the form's photo inputs take photos uploaded ahead by `user` (who may upload at all)."""
    if not user.has_perm("evidence.add_pendingphoto"):
        return
    for form_field in form.fields.values():
        if isinstance(form_field, PhotoField):
            form_field.uploader = user
            # Each form holds its own copy of the field and widget, so this binds this form only.
            form_field.widget.uploads_ahead = True
