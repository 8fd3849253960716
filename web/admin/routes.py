"""Administration pages: users, units and their heads, plan files, opening quarters.

Each page starts by calling an administration function, which refuses anyone but an admin, so a
page is never shown to whom its actions would be refused. A refused input re-renders the form
with what was typed and the reason, status 422; a success redirects (303) with a message.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from definitions import plan_path, shipped_plans
from web.actions import perform
from web.admin import bp
from web.admin.forms import (
    PLAN_MAX_MB,
    GroupMembersForm,
    NewUserForm,
    OpenQuarterForm,
    PasswordResetForm,
    PlanUploadForm,
    RoleForm,
)
from web.clock import app_clock
from web.database import db_session
from web.errors import FORM_REFUSED
from web.i18n import error_message, show_beside_fields
from web.labels import UNIT_KINDS
from web.plan_notes import flash_load, opening_note
from workflow.accounts.operations import (
    create_user,
    new_user_problems,
    reset_password,
    set_active,
    set_role_and_unit,
)
from workflow.accounts.queries import list_users, managed_user
from workflow.accounts.roles import Role
from workflow.errors import InvalidFields, InvalidInput
from workflow.organisations.models import Unit
from workflow.organisations.operations import name_group_members
from workflow.organisations.queries import member_units, unit_overview
from workflow.periods import Quarter
from workflow.plans.checks import PlanInvalid
from workflow.plans.operations import load_plan_file, open_quarter_for
from workflow.plans.queries import loaded_plans, quarters_to_open
from workflow.tasks.evidence import display_name


@bp.context_processor
def labels() -> dict:
    """Untranslated labels the admin templates pass through ``_``."""
    return {"role_label": lambda role: Role(role).label}


@bp.route("/")
@login_required
def users():
    """The admin landing page: every user of the organisation."""
    return render_template("admin/users.html", rows=list_users(db_session(), current_user.user))


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    """Create a user; ``?role=unit_head&unit=CODE`` pre-fills the form (a unit's new head)."""
    session, actor = db_session(), current_user.user
    form = NewUserForm(
        **{name: request.args[name] for name in ("role", "unit") if name in request.args}
    )
    form.unit.set_units(member_units(session, actor))
    if not form.is_submitted():
        return render_template("admin/new_user.html", form=form)
    form.validate()
    wanted = {
        "username": form.username.data or "",
        "email": form.email.data or "",
        "role": form.role.data,
        "unit_code": form.unit.data or None,
    }
    if show_beside_fields(form, perform(new_user_problems, actor, **wanted)):
        return render_template("admin/new_user.html", form=form), FORM_REFUSED
    try:
        user = perform(
            create_user,
            actor,
            **wanted,
            full_name=form.full_name.data or "",
            password=form.password.data,
            now=app_clock().now(),
        )
    except InvalidFields as error:  # taken by someone else meanwhile
        show_beside_fields(form, error.problems)
        return render_template("admin/new_user.html", form=form), FORM_REFUSED
    except InvalidInput as error:
        return render_template(
            "admin/new_user.html", form=form, refusal=error_message(error)
        ), FORM_REFUSED
    flash(gettext("User %(username)s created.", username=user.username), "success")
    return redirect(url_for("admin.users"), 303)


@bp.route("/users/<int:user_id>")
@login_required
def user(user_id: int):
    """One user: their role and unit, a new password, disabling or enabling the account."""
    return _render_user(user_id)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@login_required
def change_role(user_id: int):
    """Set a user's role and unit: this is also how a unit gets its head."""
    form = RoleForm()
    form.unit.set_units(member_units(db_session(), current_user.user))
    if not form.validate():
        return _render_user(user_id, role_form=form, status=FORM_REFUSED)
    try:
        perform(
            set_role_and_unit,
            current_user.user,
            user_id,
            form.role.data,
            form.unit.data or None,
            now=app_clock().now(),
        )
    except InvalidFields as error:
        show_beside_fields(form, error.problems)
        return _render_user(user_id, role_form=form, status=FORM_REFUSED)
    except InvalidInput as error:
        return _render_user(
            user_id, role_form=form, refusal=error_message(error), status=FORM_REFUSED
        )
    flash(gettext("The role and unit were saved."), "success")
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@login_required
def change_password(user_id: int):
    """Give a user who lost their password a new one."""
    form = PasswordResetForm()
    managed_user(db_session(), current_user.user, user_id)  # refuse before checking the input
    if not form.validate():
        return _render_user(user_id, password_form=form, status=FORM_REFUSED)
    try:
        perform(reset_password, current_user.user, user_id, form.new.data)
    except InvalidInput as error:
        return _render_user(
            user_id, password_form=form, refusal=error_message(error), status=FORM_REFUSED
        )
    flash(gettext("The new password is set: tell it to its owner."), "success")
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@login_required
def disable(user_id: int):
    """Someone left: they can no longer sign in, and their sessions and tokens stop working."""
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@login_required
def enable(user_id: int):
    """Let a disabled user sign in again."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    try:
        user = perform(set_active, current_user.user, user_id, active, now=app_clock().now())
    except InvalidInput as error:
        return _render_user(user_id, refusal=error_message(error), status=FORM_REFUSED)
    message = (
        gettext("%(username)s can sign in again.", username=user.username)
        if active
        else gettext("%(username)s can no longer sign in.", username=user.username)
    )
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=user_id), 303)


def _render_user(user_id: int, role_form=None, password_form=None, refusal=None, status: int = 200):
    """The user's page with its three forms; a form that was just refused keeps its input."""
    session, actor = db_session(), current_user.user
    user = managed_user(session, actor, user_id)
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    if role_form is None:
        role_form = RoleForm(formdata=None, role=user.role, unit=unit.code if unit else "")
        role_form.unit.set_units(member_units(session, actor))
    return render_template(
        "admin/user.html",
        user=user,
        unit=unit,
        role_form=role_form,
        password_form=password_form or PasswordResetForm(formdata=None),
        refusal=refusal,
    ), status


@bp.route("/units")
@login_required
def units():
    """Units with their groups, heads and members; a head is assigned by a user's role."""
    return _render_units()


@bp.route("/units/<code>/members", methods=["POST"])
@login_required
def group_members(code: str):
    """Name the members of a group the plan leaves to the admin."""
    session, actor = db_session(), current_user.user
    form = GroupMembersForm()
    form.set_units(member_units(session, actor))
    if not form.validate():
        return _render_units(
            refusal=gettext("Choose member units from the list."), status=FORM_REFUSED
        )
    try:
        group = perform(name_group_members, actor, code, form.members.data)
    except InvalidInput as error:
        return _render_units(refusal=error_message(error), status=FORM_REFUSED)
    flash(
        gettext(
            "The members of %(group)s are saved; open the quarter to give them its tasks.",
            group=group.display_name,
        ),
        "success",
    )
    return redirect(url_for("admin.units"), 303)


def _render_units(refusal=None, status: int = 200):
    session, actor = db_session(), current_user.user
    rows = unit_overview(session, actor)
    forms = {}
    for row in rows:
        if row.unit.is_group and row.unit.members_later:
            form = GroupMembersForm(formdata=None, members=[m.code for m in row.members])
            form.set_units(member_units(session, actor))
            forms[row.unit.code] = form
    return render_template(
        "admin/units.html", rows=rows, kinds=UNIT_KINDS, member_forms=forms, refusal=refusal
    ), status


@bp.route("/plans", methods=["GET", "POST"])
@login_required
def plans():
    """Upload a plan file: it is checked whole and loaded only when it has no mistake."""
    form = PlanUploadForm()
    if not form.is_submitted():
        return _render_plans(form)
    if not form.validate():
        return _render_plans(form, status=FORM_REFUSED)
    upload = form.file.data
    return _load(upload.read(), display_name(upload.filename or "plan.yaml"), form)


@bp.route("/plans/shipped/<name>", methods=["POST"])
@login_required
def load_shipped(name: str):
    """Load one of the plans shipped with Giao Việc, in one click."""
    if name not in shipped_plans():
        abort(404)
    path = plan_path(name)
    return _load(path.read_bytes(), path.name, PlanUploadForm(formdata=None))


def _load(data: bytes, filename: str, form: PlanUploadForm):
    try:
        result = perform(load_plan_file, current_user.user, data, filename, app_clock())
    except PlanInvalid as invalid:
        problems = [problem.format(gettext) for problem in invalid.problems]
        return _render_plans(form, problems=problems, status=FORM_REFUSED)
    except InvalidInput as error:
        return _render_plans(form, refusal=error_message(error), status=FORM_REFUSED)
    flash_load(result)
    return redirect(url_for("admin.plans"), 303)


def _render_plans(form, problems=None, refusal=None, status: int = 200):
    return render_template(
        "admin/plans.html",
        plans=loaded_plans(db_session(), current_user.user),
        form=form,
        shipped=shipped_plans(),
        problems=problems or [],
        refusal=refusal,
        max_mb=PLAN_MAX_MB,
    ), status


@bp.route("/quarters", methods=["GET", "POST"])
@login_required
def quarters():
    """Open a quarter: create the tasks every unit owes in it (again: nothing new)."""
    session, actor = db_session(), current_user.user
    clock = app_clock()
    choices, current = quarters_to_open(session, actor, clock.today())
    form = OpenQuarterForm(quarter=str(current))
    form.quarter.choices = [
        (str(q), gettext("Quarter %(quarter)s", quarter=q.roman)) for q in choices
    ]
    if not form.validate_on_submit():
        status = FORM_REFUSED if form.is_submitted() else 200
        return render_template("admin/quarters.html", form=form), status
    result = perform(open_quarter_for, actor, Quarter.parse(form.quarter.data), clock)
    flash(opening_note(result, result.quarter.roman), "success")
    return redirect(url_for("admin.quarters"), 303)
