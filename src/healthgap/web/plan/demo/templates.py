"""The actions the demo plan is written from: one template each, by Marmot principle."""

from __future__ import annotations

from dataclasses import dataclass


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
