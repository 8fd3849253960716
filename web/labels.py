"""Labels of the plan's codes that several pages show: the kinds of unit."""

from __future__ import annotations

from workflow.i18n import N_

UNIT_KINDS = {
    "party_committee": N_("Party committee"),
    "party_board": N_("Board of the Party committee"),
    "party_organisation": N_("Party organisation"),
    "government": N_("Government"),
    "front": N_("Fatherland Front"),
    "mass_organisation": N_("Socio-political organisation"),
    "working_group": N_("Working group"),
    "position": N_("Position"),
    "other": N_("Other"),
}
