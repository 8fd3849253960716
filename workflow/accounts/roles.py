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

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def needs_unit(self) -> bool:
        return self in (Role.UNIT_HEAD, Role.MEMBER)


ROLE_LABELS = {
    Role.ADMIN: N_("Administrator"),
    Role.LEADER: N_("Leader"),
    Role.REVIEWER: N_("Reviewer"),
    Role.UNIT_HEAD: N_("Unit head"),
    Role.MEMBER: N_("Unit member"),
}


def parse_role(value: str) -> Role:
    """The role named ``value``, or a clear refusal listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            N_("Unknown role %(role)s; use one of: %(roles)s"), role=value, roles=", ".join(Role)
        ) from None
