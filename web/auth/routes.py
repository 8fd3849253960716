"""Sign in, sign out, change password, switch language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from web.actions import perform
from web.auth import bp
from web.auth.account import Account
from web.auth.forms import ChangePasswordForm, LanguageForm, LoginForm
from web.clock import app_clock
from web.database import db_session
from web.i18n import LOCALES, error_message
from workflow.accounts.operations import change_password, end_sessions, set_language
from workflow.accounts.passwords import check_password, names_need_organisation
from workflow.accounts.throttle import SignInLocked, record_attempt, refuse_if_locked
from workflow.errors import WorkflowError

ORGANISATION_COOKIE = "organisation"  # the code last signed in with, offered again
YEAR_COOKIE = {"max_age": 365 * 24 * 3600, "samesite": "Lax"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if (
        target
        and target.startswith("/")
        and not urlsplit(target).netloc
        and not target.startswith("//")
    ):
        return target
    return url_for("tasks.my_work")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("tasks.my_work"))
    form = LoginForm()
    several = names_need_organisation(db_session())
    if not form.is_submitted() and several:
        form.organisation.data = request.cookies.get(ORGANISATION_COOKIE, "")
    if form.validate_on_submit():
        name, address, now = form.username.data, request.remote_addr or "", app_clock().now()
        code = (form.organisation.data or "").strip().upper() if several else ""
        # Counted per organisation and name: failures against one commune's "admin" must not
        # lock another commune's out.
        counted = f"{code}/{name}" if code else name
        try:
            perform(refuse_if_locked, counted, address, now)
        except SignInLocked as locked:
            flash(error_message(locked), "error")
            return _login_page(form, several), 429
        user = check_password(db_session(), name, form.password.data, code)
        perform(record_attempt, counted, address, user is not None, now)
        if user is None:
            flash(
                gettext("Wrong user name, password or organisation code.")
                if several
                else gettext("Wrong user name or password."),
                "error",
            )
        else:
            chosen = request.cookies.get("lang")
            if chosen in LOCALES and chosen != user.locale:
                set_language(db_session(), user, chosen)  # chosen on the sign-in page
            login_user(Account(user), remember=form.remember.data)
            response = redirect(_safe_next(request.args.get("next")))
            if code:  # offered again next time, on this browser
                response.set_cookie(ORGANISATION_COOKIE, code, **YEAR_COOKIE)
            return response
    return _login_page(form, several)


def _login_page(form: LoginForm, several: bool) -> str:
    return render_template("auth/login.html", form=form, ask_organisation=several)


@bp.route("/logout", methods=["POST"])
def logout():
    """Signing out ends every session of the person, a copied cookie's too."""
    if current_user.is_authenticated:
        perform(end_sessions, current_user.user)
    logout_user()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            perform(change_password, current_user.user, form.current.data, form.new.data)
        except WorkflowError as error:
            flash(error_message(error), "error")
        else:
            # Every other session ended; this one goes on, remembered if it was.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(Account(current_user.user), remember=remembered in request.cookies)
            flash(gettext("Your password was changed."), "success")
            return redirect(url_for("tasks.my_work"))
    return render_template("auth/password.html", form=form)


@bp.route("/language/<code>", methods=["POST"])
def language(code: str):
    """Remember the language: on the account when signed in, in a cookie otherwise."""
    form = LanguageForm()
    if not form.validate():
        abort(400)
    if code not in LOCALES:
        code = LOCALES[0]
    if current_user.is_authenticated:
        perform(set_language, current_user.user, code)
    response = redirect(_safe_next(form.next.data))
    response.set_cookie("lang", code, **YEAR_COOKIE)
    return response
