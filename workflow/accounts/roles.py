"""What a user is in the organisation."""

from __future__ import annotations

from enum import StrEnum

from workflow.errors import InvalidInput
from workflow.i18n import N_


class Role(StrEnum):
    """What a user is in the organisation; ``unit_head`` and ``member`` belong to a unit."""

    ADMIN = "admin"
    LEADER = "leader"
    REVIEWER = "reviewer"
    UNIT_HEAD = "unit_head"
    MEMBER = "member"
    OVERSEER = "overseer"  # of a city, province or the nation: follows the communes below

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def needs_unit(self) -> bool:
        return self in (Role.UNIT_HEAD, Role.MEMBER)

    def fits(self, commune: bool) -> bool:
        """Whether the role has a place in a commune (``commune``) or in a level above one:
        above, only the overseers and the administrators who make their accounts."""
        return self is Role.ADMIN or (self is not Role.OVERSEER) == commune


ROLE_LABELS = {
    Role.ADMIN: N_("Administrator"),
    Role.LEADER: N_("Leader"),
    Role.REVIEWER: N_("Reviewer"),
    Role.UNIT_HEAD: N_("Unit head"),
    Role.MEMBER: N_("Unit member"),
    Role.OVERSEER: N_("Overseer of the communes below"),
}


def parse_role(value: str) -> Role:
    """The role named ``value``, or a clear refusal listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            N_("Unknown role %(role)s; use one of: %(roles)s"), role=value, roles=", ".join(Role)
        ) from None
