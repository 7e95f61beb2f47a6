"""The demo actions' progress updates, written from narratives by status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

from healthgap.web.accounts.models import Organisation
from healthgap.web.plan.models import Action, ProgressUpdate, Status

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


def make_updates(
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
