"""The public's writes: feedback from a station's page (to the 舆情 desk) and the reach counters."""

from __future__ import annotations

from django.db import transaction

from microstations.models import MicroStation
from microstations.public import ReachKind, station_reach_count
from opinion.models import OpinionIncident
from opinion.services import incident_from_public_feedback


@transaction.atomic
def feedback_submit(
    *, station: MicroStation, complaint: bool, domain: str, text: str, contact: str = ""
) -> OpinionIncident:
    """Log the feedback as an incident for the station's supervising office and count it as reach."""
    incident = incident_from_public_feedback(
        unit=station.supervising_unit,
        campaign=station.campaign,
        place=station.name,
        address=f"{station.township}{station.address}",
        complaint=complaint,
        domain=domain,
        text=text,
        contact=contact,
    )
    station_reach_count(station=station, kind=ReachKind.SUBMISSION)
    return incident
