"""Personal data shown to people who need less than all of it."""

from __future__ import annotations

from typing import Any

# Whoever holds this sees volunteers' and guardians' phone numbers whole (the bureau admin).
VIEW_FULL_PHONE_PERMISSION = "organizations.view_full_phone"


def mask_phone(phone: str) -> str:
    """138****5678 for mobiles; landlines keep their area code and last four digits."""
    digits = (phone or "").strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{digits[: max(len(digits) - 8, 0)]}****{digits[-4:]}"


def phone_for(user: Any, phone: str) -> str:
    return phone if user.has_perm(VIEW_FULL_PHONE_PERMISSION) else mask_phone(phone)
