"""The draft pages: upload the plan's document, check the draft beside it item by item, publish
it (through the checks of ``plan load``) or discard it; start next year's plan from a loaded
one.

Every change is one form about one item, made on the version the person saw: a refused form
shows the page again with what was typed and the reason (422), a change someone else made
first is said (409), a success goes back to the item (303)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from web.actions import perform
from web.clock import app_clock
from web.drafts import bp
from web.drafts.forms import (
    DocumentForm,
    DraftChoices,
    GroupForm,
    MergeForm,
    MilestoneForm,
    PhaseForm,
    PlanFieldsForm,
    ResponsibilityForm,
    TargetForm,
    UnitForm,
    VersionForm,
)
from web.drafts.places import place_of_field, place_of_path
from web.errors import FORM_REFUSED, status_of
from web.i18n import error_message
from web.plan_notes import flash_load
from workflow.errors import InvalidInput, StaleVersion, WorkflowError
from workflow.permissions import Access, may
from workflow.plans.checks import PlanInvalid, parse_plan
from workflow.plans.draft_edits import Edit
from workflow.plans.drafts import (
    as_draft,
    copy_plan,
    discard_draft,
    draft_for,
    drafts_of,
    edit_draft,
    plans_to_copy,
    publish_draft,
    start_draft,
)
from workflow.plans.importer.yaml_writer import draft_yaml
from workflow.tasks.evidence import display_name

# The form of each kind of item, and where a new one is added.
FORMS = {
    "units": UnitForm,
    "groups": GroupForm,
    "milestones": MilestoneForm,
    "responsibilities": ResponsibilityForm,
    "phases": PhaseForm,
    "targets": TargetForm,
}
ACTIONS = ("remove", "merge", "split")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The drafts in progress, a document to draft from, and the plans to start next year's
    from."""
    form = DocumentForm()
    if not form.is_submitted():
        return _render_index(form)
    if not form.validate():
        return _render_index(form, status=FORM_REFUSED)
    upload = form.file.data
    try:
        name = display_name(upload.filename or "document")
        row = perform(start_draft, current_user.user, upload.read(), name, app_clock().now())
    except InvalidInput as refused:
        return _render_index(form, refusal=error_message(refused), status=FORM_REFUSED)
    flash(
        gettext("The plan was drafted from %(name)s: check it below.", name=row.source_name),
        "success",
    )
    return redirect(url_for("drafts.draft", draft_id=row.id), 303)


@bp.route("/copy/<code>", methods=["POST"])
@login_required
def copy(code: str):
    """Start next year's plan from a loaded one."""
    VersionForm(meta={"csrf": True}).validate_on_submit()
    row = perform(copy_plan, current_user.user, code, app_clock().now())
    flash(gettext("Next year's plan was started from %(code)s.", code=code), "success")
    return redirect(url_for("drafts.draft", draft_id=row.id), 303)


@bp.route("/<int:draft_id>")
@login_required
def draft(draft_id: int):
    return _render_draft(perform(draft_for, current_user.user, draft_id))


@bp.route("/<int:draft_id>/plan", methods=["POST"])
@login_required
def save_plan(draft_id: int):
    row = perform(draft_for, current_user.user, draft_id)
    form = PlanFieldsForm(prefix="plan-")
    if not form.validate():
        return _render_draft(row, bound={("plan",): form}, status=FORM_REFUSED)
    edit = Edit("set", ("plan",), form.fields(row.data["plan"]))
    return _change(row, form.version.data, edit, "plan", bound={("plan",): form})


@bp.route("/<int:draft_id>/<collection>", methods=["POST"], defaults={"index": None})
@bp.route("/<int:draft_id>/<collection>/<int:index>", methods=["POST"])
@login_required
def save_item(draft_id: int, collection: str, index: int | None):
    """Save one item's form (``index``), or add an item (no ``index``)."""
    row = perform(draft_for, current_user.user, draft_id)
    if collection not in FORMS:
        return _render_draft(row, status=404)
    key = (collection, index)
    form = _form(collection, row.data, index)
    if not form.validate():
        return _render_draft(row, bound={key: form}, status=FORM_REFUSED)
    items = row.data.get(collection, [])
    original = items[index] if index is not None and index < len(items) else {}
    action = "set" if index is not None else "add"
    path = (collection, index) if index is not None else (collection,)
    anchor = f"{collection}-{index if index is not None else len(items)}"
    edit = Edit(action, path, form.fields(original))
    return _change(row, form.version.data, edit, anchor, bound={key: form})


@bp.route("/<int:draft_id>/<collection>/<int:index>/<action>", methods=["POST"])
@login_required
def act_on_item(draft_id: int, collection: str, index: int, action: str):
    """Remove an item, merge a unit into another, split a spelling off."""
    row = perform(draft_for, current_user.user, draft_id)
    if action not in ACTIONS:
        return _render_draft(row, status=404)
    if action == "merge":
        form = MergeForm(prefix=f"merge-{collection}-{index}-")
        fields = {"into": form.into.data}
    else:
        form = VersionForm()
        fields = {"spelling": request.form.get("spelling", "")}
    if not form.validate():
        return _render_draft(
            row, refusal=gettext("The form has expired: try again."), status=FORM_REFUSED
        )
    edit = Edit(action, (collection, index), fields)
    anchor = collection if action == "remove" else f"{collection}-{index}"
    return _change(row, form.version.data, edit, anchor)


@bp.route("/<int:draft_id>/confirm", methods=["POST"])
@login_required
def confirm(draft_id: int):
    """A point to check that the person has checked, as it is."""
    row = perform(draft_for, current_user.user, draft_id)
    form = VersionForm()
    form.validate()
    path = _path(tuple(request.form.get("path", "").split(".")))
    return _change(row, form.version.data, Edit("confirm", path), "doubts")


@bp.route("/<int:draft_id>/publish", methods=["POST"])
@login_required
def publish(draft_id: int):
    """Load the draft as a plan; on a mistake nothing is loaded and the draft is shown with
    every mistake at its item."""
    row = perform(draft_for, current_user.user, draft_id)
    form = VersionForm()
    if not form.validate():
        return _render_draft(row, status=FORM_REFUSED)
    try:
        result = perform(
            publish_draft, current_user.user, draft_id, int(form.version.data), app_clock()
        )
    except PlanInvalid:
        return _render_draft(perform(draft_for, current_user.user, draft_id), status=FORM_REFUSED)
    except WorkflowError as refused:
        return _refused(draft_id, refused)
    flash_load(result)
    if may(current_user.user, Access.ADMINISTRATION):
        return redirect(url_for("admin.quarters"), 303)
    return redirect(url_for("dashboard.plan_overview"), 303)


@bp.route("/<int:draft_id>/discard", methods=["POST"])
@login_required
def discard(draft_id: int):
    form = VersionForm()
    if not form.validate():
        return _render_draft(perform(draft_for, current_user.user, draft_id), status=FORM_REFUSED)
    try:
        perform(discard_draft, current_user.user, draft_id, int(form.version.data))
    except StaleVersion as refused:
        return _refused(draft_id, refused)
    flash(gettext("The draft was discarded."), "info")
    return redirect(url_for("drafts.index"), 303)


# Showing a draft


def _change(row, version: str, edit: Edit, anchor: str, bound: dict | None = None):
    try:
        perform(edit_draft, current_user.user, row.id, int(version or 0), edit, app_clock().now())
    except WorkflowError as refused:
        return _refused(row.id, refused, bound)
    flash(gettext("Saved."), "success")
    return redirect(url_for("drafts.draft", draft_id=row.id, _anchor=anchor), 303)


def _refused(draft_id: int, refused: WorkflowError, bound: dict | None = None):
    row = perform(draft_for, current_user.user, draft_id)
    status = FORM_REFUSED if type(refused) is InvalidInput else status_of(refused)
    return _render_draft(row, bound=bound or {}, refusal=error_message(refused), status=status)


def _form(collection: str, data: dict, index: int | None, item: dict | None = None):
    """The form of one item: bound to the request when ``item`` is None, else filled."""
    prefix = f"{collection}-{index if index is not None else 'new'}-"
    cls = FORMS[collection]
    form = cls(prefix=prefix) if item is None else cls(formdata=None, prefix=prefix)
    context = DraftChoices(data)
    if hasattr(form, "set_choices"):
        if item is not None and collection == "responsibilities":
            form.fill(item)
        form.set_choices(context)
    if collection == "groups":
        form.members.choices = context.members
    if collection == "targets":
        form.reported_in.choices = context.duties
    if item is not None and collection != "responsibilities":
        form.fill(item)
    return form


def _render_draft(row, bound: dict | None = None, refusal: str | None = None, status: int = 200):
    bound = bound or {}
    data, draft = row.data, as_draft(row)
    plan_form = bound.get(("plan",)) or PlanFieldsForm(formdata=None, prefix="plan-")
    if ("plan",) not in bound:
        plan_form.fill(data["plan"])
    forms = {
        collection: [
            bound.get((collection, index)) or _form(collection, data, index, item)
            for index, item in enumerate(data.get(collection, []))
        ]
        for collection in FORMS
    }
    new = {
        collection: bound.get((collection, None))
        or _form(collection, data, None, _blank(collection))
        for collection in FORMS
    }
    merges = {}
    for collection in ("units", "groups"):
        for index, unit in enumerate(data.get(collection, [])):
            merge = MergeForm(formdata=None, prefix=f"merge-{collection}-{index}-")
            merge.into.choices = [c for c in DraftChoices(data).units if c[0] != unit["code"]]
            merges[(collection, index)] = merge
    return render_template(
        "drafts/draft.html",
        row=row,
        data=data,
        plan_form=plan_form,
        forms=forms,
        new=new,
        merges=merges,
        version=row.version,
        doubts=[(place_of_path(data, d.path), d.text(gettext), d) for d in draft.doubts],
        problems=_problems(draft),
        sources=_sources(draft),
        used=_used(draft),
        refusal=refusal,
        csrf=VersionForm(formdata=None),
    ), status


def _blank(collection: str) -> dict:
    return {
        "units": {"code": "", "name": "", "kind": "other"},
        "groups": {"code": "", "name": "", "members_later": True},
        "milestones": {"code": "", "name": "", "date": ""},
        "responsibilities": {"ref": "", "cadence": "quarterly"},
        "phases": {"ref": ""},
        "targets": {"ref": ""},
    }[collection]


def _problems(draft) -> list[tuple]:
    """What would stop the draft from being published, each at its item."""
    try:
        parse_plan(draft_yaml(draft), "draft.yaml")
    except PlanInvalid as invalid:
        return [
            (place_of_field(draft.data, problem.field), problem.text(gettext))
            for problem in invalid.problems
        ]
    return []


def _sources(draft) -> dict[str, object]:
    """The source of each item, by its anchor."""
    return {
        f"{path[0]}-{path[1]}": source
        for path, source in draft.sources.items()
        if len(path) == 2 and isinstance(path[1], int)
    }


def _used(draft) -> dict[int, list[str]]:
    """The document's lines that items came from, with the refs of those items."""
    used: dict[int, list[str]] = {}
    for path, source in draft.sources.items():
        if len(path) == 2 and path[0] in ("responsibilities", "phases", "targets"):
            items = draft.data.get(path[0], [])
            if path[1] < len(items):
                used.setdefault(source.line, []).append(items[path[1]].get("ref", ""))
    return used


def _render_index(form, refusal: str | None = None, status: int = 200):
    actor = current_user.user
    return render_template(
        "drafts/index.html",
        form=form,
        drafts=perform(drafts_of, actor),
        plans=perform(plans_to_copy, actor),
        refusal=refusal,
        csrf=VersionForm(formdata=None),
    ), status


def _path(parts: tuple) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in parts if p)
