"""What every plan starts with: the Marmot principles, population groups and themes.

Applied by a data migration, so a new workspace's plan is ready to use; administrators
add local priorities and edit groups in the admin area.
"""

from __future__ import annotations

from healthgap.indicators.definition import MARMOT_PRINCIPLES

PRIORITIES: tuple[tuple[str, str], ...] = tuple(MARMOT_PRINCIPLES.items())

POPULATION_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("core20", "Core20", "People living in England's most deprived 20% of neighbourhoods"),
    ("ethnic_minority", "Ethnic minority groups", "People from ethnic minority backgrounds"),
    ("learning_disability", "People with a learning disability", ""),
    ("smi", "People with severe mental illness", ""),
    ("carers", "Carers", "Unpaid carers of family or friends"),
    ("homeless", "People experiencing homelessness", ""),
    ("men", "Men", "Including men who rarely use health services"),
    ("older_people", "Older people", "People aged 65 and over"),
    ("children", "Children and young people", ""),
    ("gypsy_roma_traveller", "Gypsy, Roma and Traveller communities", ""),
    ("migrants", "Migrants, refugees and asylum seekers", ""),
    ("disabled", "Disabled people", ""),
)

THEMES: tuple[tuple[str, str], ...] = (
    ("access", "Access"),
    ("transport", "Transport"),
    ("cost", "Cost"),
    ("language", "Language"),
    ("digital_exclusion", "Digital exclusion"),
    ("trust", "Trust"),
    ("discrimination", "Discrimination"),
    ("awareness", "Awareness"),
    ("opening_times", "Opening times"),
    ("childcare", "Childcare"),
    ("housing", "Housing"),
    ("stigma", "Stigma"),
)
