"""A realistic, synthetic action plan and community voice for the demo place.

:func:`seed_demo_plan` makes about twenty partner organisations across every sector,
the place's neighbourhoods (MSOAs) as localities, about sixty actions across the eight
Marmot principles with leads, partners, groups, localities, outcome indicators, dates,
statuses and progress updates, and about 150 insights from communities. Everything is
written from templates in this package and combined with a seeded
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

from healthgap.web.plan.demo.actions import TWINS
from healthgap.web.plan.demo.insights import INSIGHTS, OPENERS, SAYINGS
from healthgap.web.plan.demo.localities import neighbourhoods
from healthgap.web.plan.demo.organisations import EDITOR_ORGANISATION, ORGANISATIONS, short_name
from healthgap.web.plan.demo.seed import (
    DEFAULT_SEED,
    SEED_VERB,
    DemoPlan,
    seed_demo_plan,
    seed_workspace,
)
from healthgap.web.plan.demo.templates import TEMPLATES
from healthgap.web.plan.demo.updates import NARRATIVES

__all__ = [
    "DEFAULT_SEED",
    "EDITOR_ORGANISATION",
    "INSIGHTS",
    "NARRATIVES",
    "OPENERS",
    "ORGANISATIONS",
    "SAYINGS",
    "SEED_VERB",
    "TEMPLATES",
    "TWINS",
    "DemoPlan",
    "neighbourhoods",
    "seed_demo_plan",
    "seed_workspace",
    "short_name",
]
