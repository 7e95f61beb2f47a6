"""What every WHO HEAT summary measure declares about itself.

Each family module (``pairwise.py``, ``concentration.py`` …) defines its measures as
:class:`Measure` objects in a module-level tuple ``MEASURES``; the ``inequality()``
function gathers them, applies HEAT's rules (which dimensions, how many subgroups and
what data a measure needs) and assembles the tidy output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation

#: compute(settings, levels, simulation) -> Estimate, vectorised over all settings.
#: ``simulation`` holds the seeded simulated datasets of ``settings`` (the same settings)
#: for measures whose limits HEAT simulates; analytic measures ignore it.
Compute = Callable[[Settings, Sequence[Level], Simulation], Estimate]

#: Data a measure needs beyond subgroup estimates: subgroup populations (shares, ranks,
#: weights), the setting average μ (from populations or ``setting_average=``), or a
#: reference subgroup.
Requirement = Literal["population", "setting_average", "reference"]


@dataclass(frozen=True)
class Measure:
    """A summary measure of inequality.

    Attributes
    ----------
    code : str
        Lower-case HEAT abbreviation used in the API and output: ``"d"``, ``"r"``, ``"paf"``…
    name : str
        Full name, e.g. ``"Difference"``.
    kind : {"absolute", "relative"}
    dimensions : {"ordered", "non-ordered", "any"}
        The dimensions of inequality HEAT computes it for.
    min_subgroups : int
        Fewest subgroups it needs (2 for pairwise measures; HEAT's complex measures need
        more than two).
    null : float
        The value meaning no inequality (0 for absolute measures, 1 for ratios, 0 for
        most relative indices).
    interpretation : str
        One or two plain-English sentences for the output's ``interpretation`` column.
    requires : frozenset of {"population", "setting_average", "reference"}
        What it needs beyond the subgroup estimates (HEAT marks these in its tables);
        ``inequality()`` leaves the measure out without them, or raises if it was named.
    compute : Compute
    """

    code: str
    name: str
    kind: Literal["absolute", "relative"]
    dimensions: Literal["ordered", "non-ordered", "any"]
    min_subgroups: int
    null: float
    interpretation: str
    requires: frozenset[Requirement]
    compute: Compute
