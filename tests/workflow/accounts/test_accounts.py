"""The people themselves: accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from tests.conftest import PASSWORD, real_now
from workflow.accounts.models import ApiToken, User
from workflow.accounts.operations import add_user
from workflow.accounts.passwords import check_password
from workflow.accounts.tokens import issue_token, user_for_token
from workflow.errors import InvalidInput


def user_count(session):
    return session.exec(select(func.count()).select_from(User)).one()


BAD_USER_NAME = "A user name is 2 to 64 letters without accents, digits, . _ or -."
NEEDS_A_UNIT = "must belong to a unit: give its code."
IS_A_GROUP = "TCD is a group: choose one of its member units."
SHORT_PASSWORD = "A password needs at least 8 characters."


def not_an_email(email: str) -> str:
    return f"This is not an email address: {email}"


# A user that may be created, changed in one field each time below.
GOOD_USER = {
    "username": "nguyenvana",
    "role": "unit_head",
    "email": "a@thunghiem.vn",
    "password": PASSWORD,
    "unit_code": "UBND",
}


@pytest.mark.parametrize(
    ("change", "refusal", "message"),
    [
        (
            {"role": "boss"},
            InvalidInput,
            "Unknown role boss; use one of: admin, leader, reviewer, unit_head, member, overseer",
        ),
        ({"role": "unit_head", "unit_code": None}, InvalidInput, f"A Unit head {NEEDS_A_UNIT}"),
        ({"role": "member", "unit_code": None}, InvalidInput, f"A Unit member {NEEDS_A_UNIT}"),
        ({"role": "unit_head", "unit_code": "TCD"}, InvalidInput, IS_A_GROUP),
        ({"role": "member", "unit_code": "TCD"}, InvalidInput, IS_A_GROUP),
        ({"unit_code": "KHONGCO"}, InvalidInput, "There is no unit KHONGCO."),
        ({"email": "khong-phai-email"}, InvalidInput, not_an_email("khong-phai-email")),
        ({"email": "ai@dau"}, InvalidInput, not_an_email("ai@dau")),
        ({"email": "co cach@thunghiem.vn"}, InvalidInput, not_an_email("co cach@thunghiem.vn")),
        ({"email": ""}, InvalidInput, not_an_email("")),
        ({"password": "1234567"}, InvalidInput, SHORT_PASSWORD),
        ({"password": ""}, InvalidInput, SHORT_PASSWORD),
        ({"username": "a"}, InvalidInput, BAD_USER_NAME),
        ({"username": "nguyễn"}, InvalidInput, BAD_USER_NAME),
        ({"username": "co dau cach"}, InvalidInput, BAD_USER_NAME),
        ({"username": "-truoc"}, InvalidInput, BAD_USER_NAME),
    ],
    ids=lambda value: (
        "-".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, dict)
        else value.__name__
        if isinstance(value, type)
        else "says"
    ),
)
def test_a_user_is_refused_when(session, ward, change, refusal, message):
    """Which users may not be created, and why? Nothing is saved when one is refused."""
    before = user_count(session)
    with pytest.raises(refusal) as refused:
        add_user(session, ward, **GOOD_USER | change, now=real_now())
    assert str(refused.value) == message
    session.rollback()
    assert user_count(session) == before


def test_the_user_changed_above_is_otherwise_accepted(session, ward):
    """Each refusal above comes from its one change: the user without it is created."""
    user = add_user(session, ward, **GOOD_USER, now=real_now())
    session.commit()
    assert (user.username, user.role, user.email) == ("nguyenvana", "unit_head", "a@thunghiem.vn")
    assert user_count(session) == 1


def test_a_user_name_is_taken_once(session, ward):
    """May two people share a user name, even written with blanks around it?"""
    add_user(session, ward, "nguyenvana", "reviewer", "a@thunghiem.vn", PASSWORD, now=real_now())
    session.commit()
    for name in ("nguyenvana", "  nguyenvana "):
        with pytest.raises(InvalidInput):
            add_user(session, ward, name, "leader", "b@thunghiem.vn", PASSWORD, now=real_now())
        session.rollback()
    assert user_count(session) == 1


def test_a_ward_wide_role_belongs_to_no_unit(session, ward):
    """Does a reviewer for whom a unit is named still review the whole ward?"""
    user = add_user(
        session,
        ward,
        "kiemtra",
        "reviewer",
        "k@thunghiem.vn",
        PASSWORD,
        unit_code="UBND",
        now=real_now(),
    )
    assert user.unit_id is None


@pytest.mark.real_password_hashing
def test_passwords_are_kept_only_as_salted_hashes(session, ward, make_user):
    """Is the password itself stored anywhere, and do two equal passwords look alike?"""
    first, second = make_user("reviewer"), make_user("leader")
    for user in (first, second):
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith("scrypt:")
    assert first.password_hash != second.password_hash


def test_signing_in_needs_the_right_password_and_an_active_account(session, ward, make_user):
    """Who gets in with which password?"""
    user = make_user("unit_head", "UBND", username="chutich")
    assert check_password(session, "chutich", PASSWORD) == user
    assert check_password(session, " chutich ", PASSWORD) == user
    assert check_password(session, "chutich", PASSWORD + "x") is None
    assert check_password(session, "chutich", "") is None
    assert check_password(session, "khongai", PASSWORD) is None
    user.active = False
    session.add(user)
    session.commit()
    assert check_password(session, "chutich", PASSWORD) is None


def test_an_api_token_is_kept_only_as_its_digest(session, ward, make_user):
    """Is an API token stored as itself anywhere? Does it sign its owner in?"""
    first_use = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
    user = make_user("reviewer")
    token = issue_token(session, user, first_use)
    session.commit()
    stored = session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert stored.token_hash == hashlib.sha256(token.encode("utf-8")).hexdigest()
    assert token not in {str(value) for value in stored.model_dump().values()}
    assert len(token) >= 32

    assert user_for_token(session, token, first_use) == user
    session.commit()
    session.refresh(stored)
    assert stored.last_used_at == first_use
    assert user_for_token(session, token + "x", first_use) is None
    assert user_for_token(session, stored.token_hash, first_use) is None
    assert issue_token(session, user, first_use) != token


def test_the_use_of_a_token_is_noted_at_most_hourly(session, ward, make_user):
    """Reading through the API must not write on every request: within an hour of the last note
    nothing changes, and after it the new use is noted."""
    first_use = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
    user = make_user("reviewer")
    token = issue_token(session, user, first_use)
    user_for_token(session, token, first_use)
    session.commit()
    stored = session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    user_for_token(session, token, first_use + timedelta(minutes=59))
    session.commit()
    session.refresh(stored)
    assert stored.last_used_at == first_use
    user_for_token(session, token, first_use + timedelta(minutes=61))
    session.commit()
    session.refresh(stored)
    assert stored.last_used_at == first_use + timedelta(minutes=61)


def test_a_revoked_token_or_a_switched_off_user_is_refused(session, ward, make_user):
    """Does a token stop working once revoked, or once its owner is switched off?"""
    revoked_owner, inactive_owner = make_user("reviewer"), make_user("admin")
    now = real_now()
    revoked = issue_token(session, revoked_owner, now)
    orphaned = issue_token(session, inactive_owner, now)
    session.commit()
    row = session.exec(select(ApiToken).where(ApiToken.user_id == revoked_owner.id)).one()
    row.revoked_at = now
    inactive_owner.active = False
    session.add_all([row, inactive_owner])
    session.commit()
    assert user_for_token(session, revoked, now) is None
    assert user_for_token(session, orphaned, now) is None
