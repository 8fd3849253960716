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
from workflow.errors import InvalidInput, NotFound


def user_count(session):
    return session.exec(select(func.count()).select_from(User)).one()


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"role": "boss"}, InvalidInput),
        ({"role": "unit_head", "unit_code": None}, InvalidInput),
        ({"role": "member", "unit_code": None}, InvalidInput),
        ({"role": "unit_head", "unit_code": "TCD"}, InvalidInput),
        ({"role": "member", "unit_code": "TCD"}, InvalidInput),
        ({"unit_code": "KHONGCO"}, NotFound),
        ({"email": "khong-phai-email"}, InvalidInput),
        ({"email": "ai@dau"}, InvalidInput),
        ({"email": "co cach@thunghiem.vn"}, InvalidInput),
        ({"email": ""}, InvalidInput),
        ({"password": "1234567"}, InvalidInput),
        ({"password": ""}, InvalidInput),
        ({"username": "a"}, InvalidInput),
        ({"username": "nguyễn"}, InvalidInput),
        ({"username": "co dau cach"}, InvalidInput),
        ({"username": "-truoc"}, InvalidInput),
    ],
    ids=lambda value: (
        "-".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, dict)
        else value.__name__
    ),
)
def test_a_user_is_refused_when(session, ward, change, refusal):
    """Which users may not be created? Nothing is saved when one is refused."""
    fields = {
        "username": "nguyenvana",
        "role": "unit_head",
        "email": "a@thunghiem.vn",
        "password": PASSWORD,
        "unit_code": "UBND",
        "now": real_now(),
    } | change
    before = user_count(session)
    with pytest.raises(refusal):
        add_user(session, ward, **fields)
    session.rollback()
    assert user_count(session) == before


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
