"""A new inspection of registered instruments starts from the register (inspections' initial provider,
registered in InstrumentsConfig.ready): ?registered=<id>[,<id>…] fills the party, the domain and one
row per line with its last known facts and its link; ?plan=<id> lists the planned party's lines of the
plan's domain. Lines outside the user's scope are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspections.models import PlannedInspection
from instruments.models import RegisteredInstrument
from organizations.access import scope_to_user

MAX_ROWS = 50
ROW_FACTS = (
    "serial_no",
    "certificate_no",
    "verified_on",
    "valid_until",
    "verifying_body",
    "result",
    "service_life_end",
)


def _ids(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part.strip().isdigit()][:MAX_ROWS]


def inspection_prefill(user: Any, query: Mapping[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    lines = scope_to_user(RegisteredInstrument.objects.in_use(), user).select_related("instrument_type")
    if query.get("registered"):
        chosen = list(lines.filter(pk__in=_ids(query["registered"])).order_by("pk"))
    elif query.get("plan", "").isdigit():
        plan = scope_to_user(PlannedInspection.objects.all(), user).filter(pk=int(query["plan"])).first()
        if plan is None:
            return {}, []
        chosen = list(
            lines.filter(owner=plan.party, instrument_type__domain=plan.domain).order_by("pk")[:MAX_ROWS]
        )
    else:
        return {}, []
    if not chosen:
        return {}, []
    header = {"inspected_party": chosen[0].owner_id, "domain": chosen[0].instrument_type.domain}
    rows = [
        {
            "registered": line.pk,
            "instrument_type": line.instrument_type_id,
            **{name: getattr(line, name) for name in ROW_FACTS},
        }
        for line in chosen
    ]
    return header, rows
