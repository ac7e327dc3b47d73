"""Text hygiene at the boundary: control characters are refused where text comes in.

C0 and C1 control characters (bell, escape, …) are invisible in a form, yet Excel cannot store them:
one such character in an approved, locked record made every report fail. They are refused once, as
a validator on every CharField and TextField of the project's own models (attached in
`CoreConfig.ready`), so that ModelForms, DRF ModelSerializers, the admin, the services (which call
`full_clean`) and the imports all give the same message. Tab, newline and carriage return stay allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 without \t \n \r, DEL, and C1.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def describe(character: str) -> str:
    """How a user can be told which character it is: `\\x07`."""
    return f"\\x{ord(character):02x}"


@deconstructible
class NoControlCharactersValidator:
    message = _("不能包含控制字符（如 %(character)s）。")
    code = "control_characters"

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        found = CONTROL_CHARACTERS.search(value)
        if found:
            raise ValidationError(self.message, code=self.code, params={"character": describe(found.group())})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharactersValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_no_control_characters = NoControlCharactersValidator()


def strip_control_characters(value: str) -> str:
    """Legacy text for output that cannot carry control characters (a workbook cell)."""
    return CONTROL_CHARACTERS.sub("", value)


def is_project_model(model: type[models.Model]) -> bool:
    """A model of this repository's own apps, not of an installed package."""
    if model._meta.apps is not global_apps:
        return False  # a migration's historical model
    app_path = getattr(model._meta.app_config, "path", None)
    if app_path is None:
        return False
    path = Path(app_path)
    if not path.is_relative_to(Path(settings.BASE_DIR)):
        return False
    return "site-packages" not in path.parts and "dist-packages" not in path.parts


def guard_text_fields(model: type[models.Model]) -> None:
    """Attach the validator to the model's own text fields (not to their migration state: the
    list is `field.validators`, which `deconstruct()` does not read, so no migration is made)."""
    if model._meta.abstract or not is_project_model(model):
        return
    for field in model._meta.local_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and validate_no_control_characters not in field.validators
        ):
            # A new list: history models copy fields with copy.copy(), which shares the cached list
            # with the original (a package's model, for registered third-party history).
            field.validators = [*field.validators, validate_no_control_characters]
