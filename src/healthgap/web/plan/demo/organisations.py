"""The demo's partner organisations, named after the place, across every sector."""

from __future__ import annotations

#: The demo organisation whose actions the demo ``editor`` user may edit.
EDITOR_ORGANISATION = "ph"

#: key → (name with ``{place}``, an ``Organisation.Sector`` value). Names hold no comma or
#: semicolon: those separate lists in forms and spreadsheets.
ORGANISATIONS: dict[str, tuple[str, str]] = {
    "ph": ("{place} Council — Public Health", "local_authority"),
    "asc": ("{place} Council — Adult Social Care", "local_authority"),
    "council_housing": ("{place} Council — Housing Services", "local_authority"),
    "childrens": ("{place} Council — Children's Services", "local_authority"),
    "hospital": ("{place} Hospital NHS Trust", "nhs_trust"),
    "community_trust": ("{place} Community and Mental Health NHS Trust", "nhs_trust"),
    "icb": ("{place} ICB place team", "icb"),
    "pcn_central": ("{place} Central Primary Care Network", "primary_care"),
    "pcn_north": ("{place} North Primary Care Network", "primary_care"),
    "fire": ("{place} Fire and Rescue", "fire"),
    "police": ("{place} Police", "police"),
    "housing_association": ("{place} Housing Association", "housing"),
    "cvs": ("{place} Council for Voluntary Service", "vcse"),
    "carers": ("{place} Carers Centre", "vcse"),
    "food": ("{place} Community Food Network", "vcse"),
    "refugee": ("{place} Refugee and Migrant Support", "vcse"),
    "peer": ("{place} Mental Health Peer Support", "vcse"),
    "college": ("{place} College", "education"),
    "logistics": ("{place} Logistics Ltd", "employer"),
    "foods": ("{place} Food Manufacturing Ltd", "employer"),
}


def short_name(place_name: str) -> str:
    """The place's name for organisation names: ``"Bristol, City of"`` → ``"Bristol"``.

    Examples
    --------
    >>> short_name("Bristol, City of"), short_name("Luton")
    ('Bristol', 'Luton')
    """
    return place_name.split(",")[0].strip() or place_name
