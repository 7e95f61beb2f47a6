"""Overdue and at-risk actions, coverage and possible duplicates."""

from __future__ import annotations

import re

from healthgap.web.plan.actions import create_action


def test_overdue_lists_open_actions_past_due_with_owner_and_days(client_as, user_with, plan):
    user_with("editor", username="fire_editor", organisation="Fire service")
    html = client_as("viewer").get("/plan/overdue/").content.decode()
    overdue = html.split('id="risk-title"')[0]
    # School readiness: open (at risk), due ten days ago; the done action is not overdue.
    assert "School readiness support" in overdue and "Smoke alarm checks" not in html
    row = overdue.split("School readiness support")[1].split("</tr>")[0]
    assert "Fire service" in row and "fire_editor" in row
    assert '<td class="num">10</td>' in row
    assert "Health walks" not in html  # on track and not yet due


def test_at_risk_not_yet_due_is_listed_apart(client_as, plan):
    create_action({"title": "Warm homes grants", "lead": "Luton", "status": "off_track"},
                  by=plan.planner)  # fmt: skip
    client_as("editor")  # Luton's editor, the owner
    html = client_as("viewer").get("/plan/overdue/").content.decode()
    at_risk = html.split('id="risk-title"')[1]
    assert "Warm homes grants" in at_risk and "School readiness support" not in at_risk
    row = at_risk.split("Warm homes grants")[1].split("</tr>")[0]
    assert "<td>Luton</td>" in row and "<td>editor</td>" in row


def test_coverage_counts_link_to_the_filtered_plan(client_as, plan):
    html = client_as("viewer").get("/plan/coverage/").content.decode()
    # Older people under prevention: the walks (one action).
    link = 'href="/plan/?priority=prevention&amp;group=older_people"'
    assert link in html
    cell = html.split(link)[1].split("</a>")[0]
    assert cell.endswith(">1")
    # Three actions fill three cells of the 8 × 12 matrix; the rest say so in words.
    assert html.count("None — nobody is acting here") == 8 * 12 - 3
    gaps = html.split('id="empty-title"')[1]
    assert "Where nobody is acting (93)" in gaps
    assert len(re.findall(r"<li><strong>", gaps)) == 93
    assert "<strong>Carers</strong> under “Give every child the best start in life”" in gaps


def test_coverage_link_shows_those_actions(client_as, plan):
    html = client_as("viewer").get("/plan/?priority=prevention&group=older_people").content.decode()
    assert "Health walks for older people" in html and "Smoke alarm checks" not in html


def test_duplicates_show_both_actions_and_the_reason(client_as, plan):
    text = "Falls prevention exercise classes for older people in community halls"
    create_action({"title": "Falls prevention classes", "description": text, "lead": "Luton",
                   "priorities": ["prevention"], "groups": ["older_people"]},
                  by=plan.planner)  # fmt: skip
    create_action({"title": "Falls prevention exercise", "description": text,
                   "lead": "Fire service", "priorities": ["prevention"],
                   "groups": ["older_people"]}, by=plan.planner)  # fmt: skip
    html = client_as("viewer").get("/plan/duplicates/").content.decode()
    assert "1 possible duplicate." in html
    section = html.split('<section class="pair"')[1]
    assert "Falls prevention classes" in section and "Falls prevention exercise" in section
    assert "Led by <strong>Luton</strong>" in section
    assert "Led by <strong>Fire service</strong>" in section
    assert "<strong>Why:</strong> Similar wording" in section
    assert "The whole place" in section  # neither names a locality


def test_no_duplicates_is_said(client_as, plan):
    html = client_as("viewer").get("/plan/duplicates/").content.decode()
    assert "No pairs of actions look alike." in html
