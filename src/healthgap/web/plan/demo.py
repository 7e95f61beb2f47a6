"""A realistic, synthetic action plan and community voice for the demo place.

:func:`seed_demo_plan` makes about twenty partner organisations across every sector,
the place's neighbourhoods (MSOAs) as localities, about sixty actions across the eight
Marmot principles with leads, partners, groups, localities, outcome indicators, dates,
statuses and progress updates, and about 150 insights from communities. Everything is
written from templates in this module and combined with a seeded
``numpy.random.Generator``: the same seed and date give the same plan.

The plan is made to show what the plan pages are for: some actions are overdue (due in
the past and still open), some at risk, three pairs are near-duplicates by different
organisations (same priority, group and locality, similar wording), and many
(priority, group) cells have no action at all. Insights hold no personal data: their
texts are fixed sentences with no names, numbers, addresses or contact details.

Seeding is a system write made directly through the models in one transaction: its
rows are not audited one by one; instead one ``plan.seed`` audit event (on the place's
organisation) records the seed and the ids it made. Seeding again replaces the
previous demo plan: it deletes the demo organisations (by name, with the actions they
lead) and the insights recorded by earlier ``plan.seed`` events, and keeps users and
localities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from healthgap.indicators.definition import Indicator
from healthgap.web.accounts.models import Membership, Organisation
from healthgap.web.accounts.roles import ROLES
from healthgap.web.audit.models import AuditEvent
from healthgap.web.audit.record import record
from healthgap.web.plan.models import (
    OPEN,
    Action,
    Locality,
    PopulationGroup,
    Priority,
    ProgressUpdate,
    Status,
)
from healthgap.web.voice.models import Insight, Theme

DEFAULT_SEED = 2025
SEED_VERB = "plan.seed"
#: The demo organisation whose actions the demo ``editor`` user may edit.
EDITOR_ORGANISATION = "ph"
INSIGHTS = 150

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


@dataclass(frozen=True)
class _Template:
    """An action to write: ``groups[0]`` is always served, the others sometimes."""

    title: str
    description: str
    priorities: tuple[str, ...]
    groups: tuple[str, ...]
    lead: str
    partners: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    local: bool = True  # in a few neighbourhoods (else place-wide: no localities)


T = _Template
TEMPLATES: tuple[_Template, ...] = (
    # Give every child the best start in life
    T("Family hub outreach to new parents",
      "Family hub workers visit new parents at home in the first weeks and link them to "
      "health visiting, parenting groups and benefits advice.",
      ("early_years",), ("children", "core20"), "childrens", ("community_trust", "cvs")),
    T("MMR catch-up clinics before school entry",
      "Evening and Saturday clinics for children who missed a dose of MMR, with reminders "
      "sent by text in the family's language.",
      ("early_years", "prevention"), ("children", "ethnic_minority"), "pcn_central",
      ("community_trust",), ("mmr2_age_5",)),
    T("Healthy Start vitamins and food voucher take-up",
      "Help eligible families apply for Healthy Start cards and collect free vitamins at "
      "children's centres and food banks.",
      ("early_years", "living_standard"), ("children", "core20", "migrants"), "ph", ("food",),
      local=False),
    T("Breastfeeding peer supporters in children's centres",
      "Trained volunteer mothers offer breastfeeding support groups and a weekend "
      "helpline, recruited from the neighbourhoods with the lowest rates.",
      ("early_years",), ("children", "core20"), "community_trust", ("cvs",)),
    T("Speech and language drop-ins for two-year-olds",
      "Speech therapists run play sessions where parents learn talking games and children "
      "with a delay are referred early.",
      ("early_years", "education"), ("children", "ethnic_minority"), "childrens", ("college",)),
    T("Perinatal mental health support for young mothers",
      "A specialist midwife and peer workers offer support in pregnancy and the first "
      "year to young mothers with anxiety or depression.",
      ("early_years",), ("children", "smi"), "community_trust", ("hospital",), local=False),
    T("Smokefree homes pledge for families with babies",
      "Families with a new baby are offered stop smoking support for every smoker in the "
      "household and a smokefree homes pledge.",
      ("early_years", "prevention"), ("children", "core20"), "ph", ("community_trust",),
      ("smoking_prevalence_18_plus",)),
    # Maximise capabilities and control over lives
    T("Adult literacy and numeracy courses in community venues",
      "Free reading, writing and everyday maths courses held in libraries and community "
      "centres, with creche places.",
      ("education",), ("core20", "migrants"), "college", ("cvs",)),
    T("English language classes with health appointments explained",
      "Conversational English classes that practise booking a GP appointment, talking to a "
      "pharmacist and reading hospital letters.",
      ("education", "discrimination"), ("migrants", "ethnic_minority"), "college",
      ("refugee", "pcn_central")),
    T("Mental health first aid training in secondary schools",
      "Teachers and sixth formers trained as mental health first aiders, with a clear route "
      "to school nurses and counselling.",
      ("education",), ("children",), "childrens", ("peer",), local=False),
    T("Supported internships for young people with a learning disability",
      "Year-long internships with local employers, a job coach and travel training, "
      "leading to paid work.",
      ("education", "work"), ("learning_disability", "children"), "college",
      ("logistics", "foods"), local=False),
    T("Digital skills sessions for older people in libraries",
      "Volunteers help older residents use the NHS App, order repeat prescriptions and "
      "join video appointments.",
      ("education",), ("older_people", "disabled"), "cvs", ("college",)),
    T("Health literacy training for frontline staff",
      "Reception, pharmacy and hospital staff learn to check understanding with teach-back "
      "and plain words.",
      ("education", "discrimination"), ("core20", "ethnic_minority", "learning_disability"),
      "ph", ("hospital", "icb"), local=False),
    T("Reading packs for school readiness",
      "Book bags and story sessions for families whose children start reception without "
      "having attended nursery.",
      ("education", "early_years"), ("children", "core20"), "childrens"),
    # Fair employment and good work
    T("Individual placement and support into work for people with severe mental illness",
      "Employment specialists in community mental health teams help people find and keep "
      "paid jobs of their choosing.",
      ("work",), ("smi",), "community_trust", ("logistics", "foods"), local=False),
    T("Good work charter for local employers",
      "Employers sign up to the real living wage, secure hours, sick pay and flexible "
      "work for carers and parents.",
      ("work", "living_standard"), ("core20", "men"), "ph", ("logistics", "foods", "cvs"),
      local=False),
    T("Workplace health checks at distribution sites",
      "NHS Health Checks offered on site during night and weekend shifts at warehouses and "
      "depots.",
      ("work", "prevention"), ("men", "core20"), "logistics", ("pcn_north", "ph"),
      ("nhs_health_check_40_74",)),
    T("Employment support for carers returning to work",
      "One-to-one coaching, replacement care during interviews and employer awareness "
      "sessions for unpaid carers.",
      ("work",), ("carers",), "carers", ("college",), local=False),
    T("Apprenticeships for care leavers",
      "Guaranteed interviews and paid apprenticeships in health and care for young people "
      "leaving care.",
      ("work", "education"), ("children",), "hospital", ("childrens", "college"), local=False),
    T("Job clubs for refugees with overseas qualifications",
      "Weekly job clubs help refugees get qualifications recognised and find work that "
      "uses their skills.",
      ("work",), ("migrants",), "refugee", ("college",)),
    T("Occupational health advice for small firms",
      "Small manufacturers get free advice on back pain, noise and keeping staff with long "
      "term conditions in work.",
      ("work", "prevention"), ("men", "disabled"), "foods", ("icb",), local=False),
    # A healthy standard of living
    T("Benefits advice in GP surgeries",
      "Welfare rights advisers hold weekly sessions in surgeries so that patients can "
      "claim what they are entitled to.",
      ("living_standard",), ("core20", "older_people", "disabled"), "cvs",
      ("pcn_central", "pcn_north")),
    T("Warm homes advice and energy grants for older people",
      "Home energy advisers visit older people in cold, damp homes to arrange insulation, "
      "heating repairs and energy grants.",
      ("living_standard", "places"), ("older_people", "core20"), "council_housing",
      ("fire",)),
    T("Community food pantries with cooking sessions",
      "Low-cost food pantries with cook-and-eat sessions on a budget, run with volunteers "
      "from the neighbourhood.",
      ("living_standard",), ("core20", "children", "migrants"), "food", ("cvs",)),
    T("Fuel poverty referrals from hospital discharge",
      "Ward staff ask patients about a cold home before discharge and refer them for "
      "heating help and grants.",
      ("living_standard",), ("older_people",), "hospital", ("council_housing",), local=False),
    T("Hardship fund for unpaid carers",
      "Small grants for carers facing the cost of travel, laundry and equipment for the "
      "person they care for.",
      ("living_standard",), ("carers",), "asc", ("carers",), local=False),
    T("Debt advice at football and community clubs",
      "Money advisers attend match days and club nights to reach men who would not visit "
      "an advice centre.",
      ("living_standard",), ("men",), "cvs", ("police",)),
    T("Automatic enrolment for free school meals",
      "Families who qualify for free school meals are enrolled automatically from housing "
      "benefit records.",
      ("living_standard", "early_years"), ("children", "core20"), "childrens", (),
      local=False),
    # Healthy and sustainable places and communities
    T("Safe and well home visits for older people",
      "Firefighters check smoke alarms, falls risks and cold homes, and refer on to social "
      "care and health services.",
      ("places", "prevention"), ("older_people", "disabled"), "fire", ("asc",)),
    T("Rough sleeping outreach with health checks",
      "Street outreach workers with a nurse offer health checks, wound care and help into "
      "housing.",
      ("places", "living_standard"), ("homeless", "smi"), "council_housing",
      ("community_trust", "police")),
    T("Damp and mould repairs for tenants with breathing problems",
      "Tenants with asthma or COPD are prioritised for damp and mould surveys and repairs.",
      ("places", "environment"), ("core20", "children"), "housing_association", ("ph",),
      ("asthma_prevalence_6_plus",)),
    T("Safer streets lighting and community safety walks",
      "Residents walk their streets with police officers to point out unsafe spots, "
      "followed by lighting and repairs.",
      ("places",), ("core20",), "police", ("cvs",)),
    T("Health outreach on Traveller sites",
      "A nurse visits sites with the liaison officer to register families with a GP and "
      "offer immunisations.",
      ("places", "discrimination"), ("gypsy_roma_traveller",), "ph", ("pcn_north",),
      local=False),
    T("Community hubs in neighbourhood centres",
      "Neighbourhood centres host advice, health and social activities under one roof, "
      "run with local groups.",
      ("places",), ("core20", "ethnic_minority"), "cvs", ("ph",)),
    T("Falls prevention exercise classes",
      "Strength and balance classes in community halls for people at risk of falls, with "
      "transport for those who need it.",
      ("places", "prevention"), ("older_people",), "asc", ("cvs",),
      ("emergency_admissions_rate",)),
    # Ill health prevention
    T("Flu vaccination outreach for older people",
      "Outreach flu vaccination for older people in community venues, with reminder calls "
      "to those who have not had their flu jab.",
      ("prevention",), ("older_people",), "ph", ("cvs",), ("flu_65_plus",)),
    T("Cervical screening reminders in community languages",
      "Reminder letters and calls in the main community languages, with female sample "
      "takers and evening appointments.",
      ("prevention", "discrimination"), ("ethnic_minority",), "icb", ("refugee",),
      ("cervical_screening_25_64",)),
    T("Bowel screening kit return calls",
      "Practice staff phone people who have not returned their bowel screening kit to "
      "answer questions and send a new one.",
      ("prevention",), ("men", "core20"), "pcn_north", ("icb",), ("bowel_screening_60_74",)),
    T("Stop smoking support for people with severe mental illness",
      "Stop smoking support for people with severe mental illness: tailored nicotine "
      "replacement and weekly sessions with their care coordinator.",
      ("prevention",), ("smi",), "community_trust", ("peer",),
      ("smoking_prevalence_18_plus",)),
    T("Annual physical health checks for people with severe mental illness",
      "Practices invite everyone on the mental health register for a full physical "
      "check, with peer workers to accompany them.",
      ("prevention",), ("smi",), "icb", ("pcn_central", "peer"), ("smi_health_check",),
      local=False),
    T("Annual health checks for people with a learning disability",
      "Longer appointments, easy read invitations and a named contact so that every "
      "adult on the register has a health check.",
      ("prevention",), ("learning_disability",), "pcn_central", ("asc",), local=False),
    T("Blood pressure checks in barbers and places of worship",
      "Trained volunteers take blood pressure readings in barbers, mosques, temples and "
      "churches and refer high readings to pharmacies.",
      ("prevention",), ("men", "ethnic_minority"), "ph", ("cvs",),
      ("hypertension_prevalence",)),
    T("NHS Health Check outreach van",
      "A mobile unit offers NHS Health Checks in supermarket car parks and estates without "
      "an appointment.",
      ("prevention",), ("core20", "men"), "ph", ("pcn_north",), ("nhs_health_check_40_74",)),
    T("COVID-19 and flu vaccination in care homes",
      "Roving teams vaccinate care home residents and housebound people in one visit each "
      "autumn.",
      ("prevention",), ("older_people", "disabled"), "community_trust", ("asc",),
      ("covid_booster_75_plus",), local=False),
    T("Accessible breast screening for disabled women",
      "Longer screening appointments, accessible units and a named contact for disabled "
      "women and women with a learning disability.",
      ("prevention", "discrimination"), ("disabled", "learning_disability"), "hospital",
      ("icb",), ("breast_screening_53_70",), local=False),
    # Tackle racism, discrimination and their outcomes
    T("Anti-racism training for health and care staff",
      "Every team completes anti-racism training and sets one change to how it treats "
      "patients and colleagues.",
      ("discrimination",), ("ethnic_minority",), "hospital", ("icb",), local=False),
    T("Reasonable adjustments flag in GP records",
      "Practices record the adjustments each patient needs, such as longer slots or easy "
      "read letters, so they are made every time.",
      ("discrimination",), ("learning_disability", "disabled"), "icb", ("pcn_central",),
      local=False),
    T("Interpreting from the first contact",
      "Interpreters booked automatically for appointments, with staff trained not to rely "
      "on family members.",
      ("discrimination",), ("migrants", "ethnic_minority"), "hospital", ("refugee",),
      local=False),
    T("GP registration without proof of address",
      "Practices register anyone who lives in the area, whatever their immigration status "
      "or housing, as national guidance says.",
      ("discrimination",), ("homeless", "migrants", "gypsy_roma_traveller"), "icb",
      ("pcn_north", "refugee"), local=False),
    T("Hate crime reporting centres",
      "Community venues where people can report hate crime with support, and officers "
      "visit to build trust.",
      ("discrimination", "places"), ("ethnic_minority", "disabled"), "police", ("cvs",)),
    T("Ethnicity recording in hospital records",
      "Improve how ethnicity is recorded so that waiting times and outcomes can be "
      "compared between communities.",
      ("discrimination",), ("ethnic_minority",), "hospital", (), local=False),
    T("Maternity advocacy for Black and Asian women",
      "Advocates support Black and Asian women through pregnancy and birth and feed back "
      "on how they were treated.",
      ("discrimination", "early_years"), ("ethnic_minority",), "hospital", ("cvs",)),
    # Environmental sustainability and health equity together
    T("Active travel routes to schools",
      "Safer walking and cycling routes and school streets closed to traffic at drop-off "
      "and pick-up times.",
      ("environment", "places"), ("children",), "ph", ("childrens",)),
    T("Green social prescribing",
      "Link workers refer people to gardening, conservation and walking groups in local "
      "parks.",
      ("environment",), ("smi", "older_people"), "peer", ("pcn_central",)),
    T("Cleaner air around the hospital site",
      "Electric vehicles for the hospital fleet and no idling zones at entrances and the "
      "patient transport bays.",
      ("environment",), ("core20",), "hospital", ()),
    T("Shade and trees in the hottest streets",
      "Street trees and shaded seating where summer heat is worst and fewer homes have "
      "gardens.",
      ("environment", "places"), ("core20", "older_people"), "council_housing", ("cvs",)),
    T("Heatwave checks on vulnerable residents",
      "Calls and visits during heatwaves to people who live alone or are housebound, with "
      "advice on keeping cool.",
      ("environment", "prevention"), ("older_people", "disabled"), "asc", ("fire",),
      local=False),
    T("Retrofit of social homes for warmth and efficiency",
      "Insulation, heat pumps and solar panels for the least efficient social homes, "
      "cutting bills and carbon.",
      ("environment", "living_standard"), ("core20",), "housing_association",
      ("council_housing",)),
)  # fmt: skip

#: Near-duplicates made on purpose: (title of the original, lead, title, description).
TWINS: tuple[tuple[str, str, str, str], ...] = (
    ("Warm homes advice and energy grants for older people", "housing_association",
     "Energy grants and warm homes advice for older tenants",
     "Tenancy officers visit older tenants in cold, damp homes to arrange energy grants, "
     "insulation and heating repairs."),
    ("Flu vaccination outreach for older people", "pcn_central",
     "Flu vaccination pop-up clinics for older people",
     "Pop-up flu vaccination clinics for older people in community venues, with reminder "
     "calls to patients who have not had their flu jab."),
    ("Stop smoking support for people with severe mental illness", "ph",
     "Smoking cessation for people with severe mental illness",
     "Stop smoking support for people with severe mental illness: weekly sessions, "
     "nicotine replacement and follow-up by phone."),
)  # fmt: skip

#: Progress narratives by status.
NARRATIVES: dict[str, tuple[str, ...]] = {
    "not_started": (
        "Project plan agreed by partners; waiting for the funding to be released.",
        "Scoping meeting held; the lead officer starts next month.",
    ),
    "on_track": (
        "Sessions running as planned; attendance is up on the last quarter.",
        "Partners agreed the referral route and the first referrals have come through.",
        "Volunteers recruited and trained; delivery has started in the first venues.",
        "Early feedback from residents is good; extending to two more venues.",
    ),
    "at_risk": (
        "Venue costs rose and two sessions were cancelled; looking for a free space.",
        "Staff vacancies are slowing delivery; focusing on the most deprived areas first.",
        "Fewer referrals than expected; raising awareness with practices and partners.",
    ),
    "off_track": (
        "Funding decision delayed; delivery paused until it is confirmed.",
        "The lead officer left; partners are agreeing who takes this on.",
    ),
    "done": (
        "Completed: the final report has gone to the Board.",
        "All planned work delivered; it continues as business as usual.",
    ),
    "stopped": ("Stopped: the funding ended and the work moved into another programme.",),
}

#: How each source's insights start.
OPENERS: dict[str, tuple[str, ...]] = {
    "community_champion": ("A community champion heard that", "Community champions report that"),
    "healthwatch": (
        "Healthwatch was told that",
        "People speaking to Healthwatch said",
    ),
    "survey": ("Survey answers said", "In the residents' survey, people said"),
    "event": ("At a community event, people said", "At a drop-in, residents said"),
    "complaint": ("A complaint said", "A formal complaint described how"),
}
#: (what people said, its themes). No names, numbers, places or contact details.
SAYINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the bus to the hospital stops before evening clinics end, so appointments are missed",
     ("transport", "opening_times")),
    ("getting through to the surgery at eight in the morning is impossible",
     ("access", "opening_times")),
    ("booking online is hard without a smartphone or data", ("digital_exclusion", "access")),
    ("letters only come in English and relatives have to translate", ("language",)),
    ("there was no interpreter and a child was asked to explain a diagnosis",
     ("language", "discrimination")),
    ("the cost of travel and parking puts people off going to hospital",
     ("cost", "transport")),
    ("people did not know screening was free or what it was for", ("awareness",)),
    ("staff seemed to assume things because of how people looked",
     ("discrimination", "trust")),
    ("after a bad experience people stopped going back to the practice", ("trust",)),
    ("heating the home means skipping meals in winter", ("cost", "housing")),
    ("damp in the flat keeps making the children's breathing worse", ("housing",)),
    ("clinics are only open during working hours and shifts cannot be changed",
     ("opening_times", "access")),
    ("there is nobody to look after the children during appointments",
     ("childcare", "access")),
    ("talking about mental health is still seen as shameful", ("stigma", "trust")),
    ("carers cannot leave the person they look after to go to their own appointments",
     ("access", "childcare")),
    ("the vaccination clinic was too far away to walk to", ("transport", "access")),
    ("people were asked for proof of address they did not have",
     ("discrimination", "access", "housing")),
    ("nobody explained what the leaflet meant in plain words", ("awareness", "language")),
    ("prescription charges mean people go without some medicines", ("cost",)),
    ("the waiting room is not accessible for wheelchair users", ("access", "discrimination")),
    ("the free courses were full and there was no waiting list", ("access", "awareness")),
    ("people heard about the support only from friends, never from services",
     ("awareness", "trust")),
    ("moving between temporary addresses meant losing the GP registration",
     ("housing", "access")),
    ("video appointments do not work for people who cannot see or hear well",
     ("digital_exclusion", "access")),
    ("food prices mean fresh fruit and vegetables are a treat", ("cost",)),
    ("people worry that asking for help will be reported to immigration services",
     ("trust", "stigma")),
    ("the community centre session felt welcoming and people want it to continue",
     ("trust", "awareness")),
    ("the new evening clinic made it possible to go after work", ("opening_times",)),
)  # fmt: skip
_SOURCE_WEIGHTS = {
    "community_champion": 0.3,
    "healthwatch": 0.2,
    "survey": 0.25,
    "event": 0.15,
    "complaint": 0.1,
}


@dataclass(frozen=True)
class DemoPlan:
    """What :func:`seed_demo_plan` made."""

    organisations: int
    localities: int
    actions: int
    overdue: int
    at_risk: int
    duplicates: int
    updates: int
    insights: int
    linked_insights: int
    empty_cells: int

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"Plan: {self.organisations} organisations, {self.actions} actions "
            f"({self.overdue} overdue, {self.duplicates} possible duplicates), "
            f"{self.insights} insights"
        )


def short_name(place_name: str) -> str:
    """The place's name for organisation names: ``"Bristol, City of"`` → ``"Bristol"``.

    Examples
    --------
    >>> short_name("Bristol, City of"), short_name("Luton")
    ('Bristol', 'Luton')
    """
    return place_name.split(",")[0].strip() or place_name


def neighbourhoods(area_codes: Sequence[str], place_name: str) -> list[tuple[str, str, float]]:
    """(code, name, mean IMD score) of the place's MSOAs, most deprived first.

    A place whose codes match no local authority has one locality: itself.
    """
    from healthgap.reference.lsoa import lsoas

    table = lsoas()
    inside = table["lad_code"].isin(area_codes) | table["lad23_code"].isin(area_codes)
    msoas = (
        table[inside]
        .groupby(["msoa_code", "msoa_name"], as_index=False)["imd_score"]
        .mean()
        .sort_values(["imd_score", "msoa_code"], ascending=[False, True])
    )
    if msoas.empty:
        return [(code, place_name, 0.0) for code in area_codes[:1]]
    return [
        (str(r.msoa_code), str(r.msoa_name), float(r.imd_score))
        for r in msoas.itertuples(index=False)
    ]


def _clear(names: Iterable[str]) -> None:
    """Delete what earlier seeding made (its organisations, their actions, its insights)."""
    organisations = Organisation.objects.filter(name__in=list(names))
    # The latest seeding's ids suffice: each seeding deleted what the one before made.
    latest = AuditEvent.objects.filter(verb=SEED_VERB).order_by("-id").first()
    details = latest.details if latest is not None else {}
    actions, insights = details.get("actions", []), details.get("insights", [])
    Insight.objects.filter(pk__in=insights).delete()
    Action.objects.filter(Q(lead__in=organisations) | Q(pk__in=actions)).delete()
    organisations.delete()


def _dates(rng: np.random.Generator, kind: str, today: date) -> tuple[date, date]:
    """(start, due) for an action of this status category."""

    def days(low: int, high: int) -> timedelta:
        return timedelta(days=int(rng.integers(low, high)))

    if kind == "overdue":
        due = today - days(7, 150)
        return due - days(180, 480), due
    if kind == "done":
        due = today - days(-60, 200)
        return due - days(120, 400), due
    if kind == "not_started":
        start = today + days(-20, 90)
        return start, start + days(180, 540)
    start = today - days(30, 420)
    return start, today + days(30, 540)


def _kinds(rng: np.random.Generator, n: int, twins: set[int]) -> list[str]:
    """A status category per action: some overdue, done, stopped, at risk, off track…"""
    plan = ["overdue"] * 7 + ["done"] * 7 + ["at_risk"] * 8 + ["off_track"] * 4
    plan += ["not_started"] * 6 + ["stopped"] * 3
    plan += ["on_track"] * max(0, n - len(plan))
    kinds = [str(k) for k in rng.permutation(np.array(plan[:n]))]
    for i in twins:  # the deliberate duplicates stay live (stopped actions are not compared)
        if kinds[i] == "stopped":
            j = next(j for j in range(n) if j not in twins and kinds[j] != "stopped")
            kinds[i], kinds[j] = kinds[j], kinds[i]
    return kinds


_STATUS_OF = {
    "done": Status.DONE,
    "stopped": Status.STOPPED,
    "at_risk": Status.AT_RISK,
    "off_track": Status.OFF_TRACK,
    "not_started": Status.NOT_STARTED,
    "on_track": Status.ON_TRACK,
}


def _target(indicator: Indicator, baseline: float | None) -> float | None:
    if indicator.target is not None:
        return float(indicator.target)
    if baseline is None:
        return None
    step = {"higher-is-better": 1.1, "lower-is-better": 0.9}.get(indicator.polarity)
    return None if step is None else round(baseline * step, 1)


def _pick(rng: np.random.Generator, options: Sequence[Any], low: int, high: int) -> list[Any]:
    """Between ``low`` and ``high`` of ``options`` (in their order), chosen at random."""
    k = min(len(options), int(rng.integers(low, high + 1)))
    chosen = sorted(rng.choice(len(options), size=k, replace=False).tolist()) if k else []
    return [options[i] for i in chosen]


def seed_demo_plan(
    *,
    place_name: str,
    area_codes: Sequence[str],
    indicators: Sequence[Indicator],
    today: date,
    seed: int = DEFAULT_SEED,
    baselines: Mapping[str, float] | None = None,
) -> DemoPlan:
    """Make (or remake) the demo place's synthetic action plan and insights.

    Parameters
    ----------
    place_name : str
        The demo place, used in organisation names.
    area_codes : sequence of str
        Its local authority codes; its MSOAs become the plan's localities.
    indicators : sequence of Indicator
        The catalogue: actions name the indicators of theirs that it holds, with the
        indicator's target as the action's target.
    today : date
        Dates are set around it (some due dates in the past: overdue actions).
    seed : int
        Seed of the ``numpy.random.Generator``: the same seed gives the same plan.
    baselines : mapping, optional
        An earlier value of each indicator (from the warehouse), the actions' baseline.

    Returns
    -------
    DemoPlan
        Counts of what was made, for the command line's summary.
    """
    from healthgap.web.plan.coverage import coverage
    from healthgap.web.plan.duplicates import possible_duplicates

    rng = np.random.default_rng(seed)
    place = short_name(place_name)
    baselines = baselines or {}
    catalogue = {indicator.id: indicator for indicator in indicators}
    names = {key: name.format(place=place) for key, (name, _) in ORGANISATIONS.items()}
    demo_users = get_user_model().objects.filter(username__in=list(ROLES))  # web/demo_users.py
    users = {user.username: user for user in demo_users}
    with transaction.atomic():
        _clear(names.values())
        organisations = {
            key: Organisation.objects.create(name=names[key], sector=sector)
            for key, (_, sector) in ORGANISATIONS.items()
        }
        if "editor" in users:
            Membership.objects.update_or_create(
                user=users["editor"],
                organisation=organisations[EDITOR_ORGANISATION],
                defaults={"role": "editor"},
            )
        places = []
        for code, name, _ in neighbourhoods(area_codes, place_name):
            locality, _ = Locality.objects.update_or_create(code=code, defaults={"name": name})
            places.append(locality)
        groups = {g.key: g for g in PopulationGroup.objects.all()}
        made = _actions(rng, organisations, places, catalogue, baselines, today)
        updates = _progress(rng, made, today, users, organisations[EDITOR_ORGANISATION])
        insights, linked = _insights(rng, made, places, groups, today, users)
        overdue = sum(a.is_overdue(today) for a in made)
        duplicates = len(possible_duplicates(Action.objects.filter(pk__in=[a.pk for a in made])))
        empty = len(coverage().empty)
        place_organisation, _ = Organisation.objects.get_or_create(
            name=place_name, defaults={"sector": "local_authority"}
        )
        summary = DemoPlan(
            organisations=len(organisations),
            localities=len(places),
            actions=len(made),
            overdue=overdue,
            at_risk=sum(a.status == Status.AT_RISK for a in made),
            duplicates=duplicates,
            updates=updates,
            insights=len(insights),
            linked_insights=linked,
            empty_cells=empty,
        )
        record(SEED_VERB, place_organisation, by=None, seed=seed, today=today.isoformat(),
               organisations=list(names.values()), actions=[a.pk for a in made],
               insights=[i.pk for i in insights])  # fmt: skip
    return summary


def _actions(
    rng: np.random.Generator,
    organisations: Mapping[str, Organisation],
    places: list[Locality],
    catalogue: Mapping[str, Indicator],
    baselines: Mapping[str, float],
    today: date,
) -> list[Action]:
    """Every template once, then the deliberate near-duplicates, with dates and statuses."""
    priorities = {p.key: p for p in Priority.objects.all()}
    groups = {g.key: g for g in PopulationGroup.objects.all()}
    deprived = places[: max(1, len(places) // 2)]  # targeted work goes where need is most
    specs: list[dict[str, Any]] = []
    for template in TEMPLATES:
        served = [template.groups[0], *_pick(rng, template.groups[1:], 0, 2)]
        where = _pick(rng, deprived, 1, 2) if template.local else []
        specs.append({"template": template, "title": template.title,
                      "description": template.description, "lead": template.lead,
                      "groups": served, "places": where})  # fmt: skip
    by_title = {spec["title"]: i for i, spec in enumerate(specs)}
    twins = set()
    for original, lead, title, description in TWINS:
        twins |= {by_title[original], len(specs)}
        specs.append({**specs[by_title[original]], "title": title,
                      "description": description, "lead": lead})  # fmt: skip
    made: list[Action] = []
    for spec, kind in zip(specs, _kinds(rng, len(specs), twins), strict=True):
        template = spec["template"]
        start, due = _dates(rng, kind, today)
        ids = [i for i in template.indicators if i in catalogue]
        baseline = baselines.get(ids[0]) if ids else None
        target = _target(catalogue[ids[0]], baseline) if ids else None
        action = Action.objects.create(
            title=spec["title"],
            description=spec["description"],
            lead=organisations[spec["lead"]],
            indicator_ids=ids,
            baseline=None if baseline is None else round(float(baseline), 1),
            target_value=target,
            target_date=due if target is not None else None,
            start_date=start,
            due_date=due,
            status=_STATUS_OF[kind] if kind in _STATUS_OF else _pick(rng, OPEN, 1, 1)[0],
        )
        action.partners.set([organisations[k] for k in template.partners if k != spec["lead"]])
        action.priorities.set([priorities[k] for k in template.priorities if k in priorities])
        action.groups.set([groups[k] for k in spec["groups"] if k in groups])
        action.localities.set(spec["places"])
        made.append(action)
    return made


def _progress(
    rng: np.random.Generator,
    actions: list[Action],
    today: date,
    users: Mapping[str, Any],
    editors_organisation: Organisation,
) -> int:
    """One to four dated updates for each action that has started, the last one giving
    its status; measured values move from the baseline towards the target."""
    made = []
    for action in actions:
        assert action.start_date is not None and action.due_date is not None
        last = min(today, action.due_date + timedelta(days=30))
        span = (last - action.start_date).days
        if span < 14 or (action.status == Status.NOT_STARTED and rng.random() < 0.5):
            continue
        count = int(rng.integers(1, 5))
        offsets = np.sort(
            rng.choice(np.arange(7, span + 1), size=min(count, span - 6), replace=False)
        )
        author = users.get("editor" if action.lead_id == editors_organisation.pk else "admin")
        for n, offset in enumerate(offsets.tolist()):
            final = n == len(offsets) - 1
            status = str(action.status) if final else (
                "on_track" if rng.random() < 0.75 else "at_risk")  # fmt: skip
            value = None
            if action.baseline is not None and action.target_value is not None:
                share = (offset / span) * float(rng.uniform(0.2, 0.7))
                value = round(action.baseline + share * (action.target_value - action.baseline), 1)
            texts = NARRATIVES[status]
            made.append(ProgressUpdate(
                action=action, date=action.start_date + timedelta(days=offset), author=author,
                status=status, narrative=texts[int(rng.integers(len(texts)))],
                measured_value=value))  # fmt: skip
    ProgressUpdate.objects.bulk_create(made)
    return len(made)


def _insights(
    rng: np.random.Generator,
    actions: list[Action],
    places: list[Locality],
    groups: Mapping[str, PopulationGroup],
    today: date,
    users: Mapping[str, Any],
) -> tuple[list[Insight], int]:
    """About 150 insights; about a third linked to an action serving the same group."""
    themes = {t.key: t for t in Theme.objects.all()}
    sources = list(_SOURCE_WEIGHTS)
    weights = np.array(list(_SOURCE_WEIGHTS.values()))
    group_list = list(groups.values())
    recorders = [users[name] for name in ("analyst", "editor", "admin") if name in users]
    serving: dict[int, list[Action]] = {}
    for action in actions:
        if action.status == Status.STOPPED:
            continue
        for group in action.groups.all():
            serving.setdefault(group.pk, []).append(action)
    made, links = [], []
    for _ in range(INSIGHTS):
        source = sources[int(rng.choice(len(sources), p=weights / weights.sum()))]
        saying, keys = SAYINGS[int(rng.integers(len(SAYINGS)))]
        openers = OPENERS[source]
        group = group_list[int(rng.integers(len(group_list)))] if group_list else None
        locality = places[int(rng.integers(len(places)))] if rng.random() < 0.9 else None
        insight = Insight.objects.create(
            date=today - timedelta(days=int(rng.integers(0, 540))),
            source=source,
            group=group,
            locality=locality,
            text=f"{openers[int(rng.integers(len(openers)))]} {saying}.",
            recorded_by=recorders[int(rng.integers(len(recorders)))] if recorders else None,
        )
        insight.themes.set([themes[k] for k in keys if k in themes])
        candidates = serving.get(group.pk, []) if group is not None else []
        if candidates and rng.random() < 0.36:  # about a third of all insights
            links.append((insight, candidates[int(rng.integers(len(candidates)))]))
        made.append(insight)
    for insight, action in links:
        insight.actions.add(action)
    return made, len(links)


def seed_workspace(
    root: str | Path, *, today: date | None = None, seed: int = DEFAULT_SEED
) -> DemoPlan:
    """Seed the demo plan of the workspace in ``root`` (Django already configured for it).

    Baselines are the place's value of each indicator two periods before its latest,
    from the dashboard's disclosure-controlled copy of the warehouse.
    """
    from healthgap.errors import InputError
    from healthgap.web.dashboard.snapshot import current
    from healthgap.workspace import load_workspace

    workspace = load_workspace(root)
    indicators: Sequence[Indicator] = workspace.indicators
    baselines: dict[str, float] = {}
    try:
        snapshot = current()
    except InputError:  # no warehouse yet: actions get no baseline
        snapshot = None
    if snapshot is not None:
        for indicator in indicators:
            values = snapshot.totals(indicator.id)["value"].dropna()
            if len(values):
                baselines[indicator.id] = float(values.iloc[max(0, len(values) - 3)])
    return seed_demo_plan(
        place_name=workspace.place_name,
        area_codes=workspace.area_codes,
        indicators=indicators,
        today=today or date.today(),
        seed=seed,
        baselines=baselines,
    )
