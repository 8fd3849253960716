"""Plan drafts: a plan file checked by a person in the browser before it is published.

A draft starts from the plan's document (the importer drafts it) or from a loaded plan (next
year's plan starts from this year's). A person edits it item by item; publishing loads it
through the very checks of ``giaoviec plan load``, in the same transaction that removes the
draft, so a plan is never half loaded and a draft never half published. Each change names the
version it was made on: of two people editing at once, the second is told, and nothing of
theirs is saved over the first's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import NotFound, StaleVersion
from workflow.i18n import N_
from workflow.organisations.models import Unit
from workflow.organisations.queries import organisation_of
from workflow.permissions import Access, require
from workflow.plans.checks import parse_plan
from workflow.plans.draft_edits import Edit, apply_edit, rename
from workflow.plans.file_form import file_form, next_year
from workflow.plans.importer import Doubt, Draft, Source, draft_plan
from workflow.plans.importer.names import UnitBook, unit_code
from workflow.plans.importer.yaml_writer import draft_yaml
from workflow.plans.models import Plan, PlanDraft
from workflow.plans.operations import load_for
from workflow.plans.store import LoadResult

STALE_DRAFT = N_("Someone else changed this draft in the meantime. Reload it and try again.")


def start_draft(
    session: Session, actor: User, document: bytes, filename: str, now: datetime
) -> PlanDraft:
    """Draft a plan from its document, for ``actor``'s organisation.

    Raises:
        DocumentUnreadable: the file is not a document the importer can read, or holds no plan.
    """
    require(actor, Access.PLAN_DRAFTS)
    draft = draft_plan(document, filename)
    draft.data["organisation"] = _organisation(session, actor)
    draft.doubts = [d for d in draft.doubts if d.path != ("organisation",)]
    _adopt_units(session, actor, draft)
    return _add(session, actor, draft, filename, now)


def copy_plan(session: Session, actor: User, code: str, now: datetime) -> PlanDraft:
    """Start next year's plan from a loaded one: the same plan, every date a year on."""
    require(actor, Access.PLAN_DRAFTS)
    plan = session.exec(
        select(Plan).where(Plan.organisation_id == actor.organisation_id, Plan.code == code)
    ).first()
    if plan is None:
        raise NotFound(N_("There is no plan %(code)s."), code=code)
    data = next_year(file_form(plan.definition))
    data["organisation"] = _organisation(session, actor)
    draft = Draft(data, kind="copy")
    draft.doubts.append(
        Doubt(
            ("plan", "period"),
            N_(
                "Copied from %(code)s with every date a year later: check the period, the "
                "deadlines and the number of the new plan."
            ),
            {"code": code},
        )
    )
    draft.doubts += [
        Doubt(
            ("milestones", n),
            N_("A milestone's date moved by a year: set this year's date."),
        )
        for n in range(len(data.get("milestones", [])))
    ]
    return _add(session, actor, draft, plan.definition["plan"].get("source") or code, now)


def drafts_of(session: Session, actor: User) -> list[PlanDraft]:
    """The organisation's drafts, the last changed first."""
    require(actor, Access.PLAN_DRAFTS)
    return list(
        session.exec(
            select(PlanDraft)
            .where(PlanDraft.organisation_id == actor.organisation_id)
            .order_by(PlanDraft.updated_at.desc(), PlanDraft.id.desc())
        )
    )


def plans_to_copy(session: Session, actor: User) -> list[Plan]:
    """The organisation's loaded plans, the latest first: next year's may start from one."""
    require(actor, Access.PLAN_DRAFTS)
    return list(
        session.exec(
            select(Plan)
            .where(Plan.organisation_id == actor.organisation_id)
            .order_by(Plan.period_start.desc(), Plan.code)
        )
    )


def draft_for(session: Session, actor: User, draft_id: int) -> PlanDraft:
    """One draft of ``actor``'s organisation (another's is not found)."""
    require(actor, Access.PLAN_DRAFTS)
    row = session.get(PlanDraft, draft_id)
    if row is None or row.organisation_id != actor.organisation_id:
        raise NotFound(N_("This draft does not exist, or was published or discarded."))
    return row


def edit_draft(
    session: Session, actor: User, draft_id: int, version: int, edit: Edit, now: datetime
) -> PlanDraft:
    """Apply one person's change to a draft made at ``version``.

    Raises:
        StaleVersion: someone changed the draft since; nothing was saved.
        InvalidInput: the change is not possible (a code used twice, a unit still in use).
    """
    row = draft_for(session, actor, draft_id)
    draft = as_draft(row)
    apply_edit(draft, edit)
    values = _columns(draft) | {"updated_at": now, "version": version + 1}
    if draft.data["plan"].get("title"):
        values["title"] = draft.data["plan"]["title"]
    _compare_and_set(session, draft_id, version, update(PlanDraft).values(**values))
    session.refresh(row)
    return row


def publish_draft(
    session: Session, actor: User, draft_id: int, version: int, clock: Clock
) -> LoadResult:
    """Load the draft as a plan, through the checks of ``plan load``, and remove the draft.

    Raises:
        PlanInvalid: the draft has mistakes, each located; nothing was loaded.
        StaleVersion: someone changed the draft since it was shown.
    """
    row = draft_for(session, actor, draft_id)
    if row.version != version:
        raise StaleVersion(STALE_DRAFT)
    definition = parse_plan(draft_yaml(as_draft(row)), row.source_name or "draft.yaml")
    result = load_for(session, actor, definition, clock)
    _compare_and_set(session, draft_id, version, delete(PlanDraft))
    return result


def discard_draft(session: Session, actor: User, draft_id: int, version: int) -> None:
    """Remove a draft (the plan it would have been is not touched)."""
    draft_for(session, actor, draft_id)
    _compare_and_set(session, draft_id, version, delete(PlanDraft))


def as_draft(row: PlanDraft) -> Draft:
    """The stored draft as the importer's ``Draft``."""
    return Draft(
        data=row.data,
        sources={tuple(path): Source(line, quote) for path, line, quote in row.sources},
        doubts=[
            Doubt(tuple(d["path"]), d["message"], d["params"], d["blocking"]) for d in row.doubts
        ],
        text=[tuple(pair) for pair in row.text],
        kind=row.kind,
    )


def _columns(draft: Draft) -> dict:
    return {
        "data": draft.data,
        "sources": [[list(path), s.line, s.quote] for path, s in draft.sources.items()],
        "doubts": [
            {"path": list(d.path), "message": d.message, "params": d.params, "blocking": d.blocking}
            for d in draft.doubts
        ],
        "text": [list(pair) for pair in draft.text],
    }


def _add(session: Session, actor: User, draft: Draft, source_name: str, now: datetime) -> PlanDraft:
    row = PlanDraft(
        organisation_id=actor.organisation_id,
        title=draft.data["plan"].get("title") or source_name,
        source_name=source_name[:255],
        kind=draft.kind,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
        **_columns(draft),
    )
    session.add(row)
    session.flush()
    return row


def _adopt_units(session: Session, actor: User, draft: Draft) -> None:
    """The document's units that the organisation already has take their codes, so that
    people, tasks and earlier plans stay with them; a drafted code another unit already holds
    is changed."""
    existing = session.exec(select(Unit).where(Unit.organisation_id == actor.organisation_id))
    book = UnitBook(draft.data["organisation"].get("place", ""))
    for unit in existing:
        book.know(unit.code, [unit.name, unit.short_name, *unit.aliases], unit.is_group)
    known = {unit.code for unit in book.units}
    for collection in ("units", "groups"):
        for index, item in enumerate(draft.data.get(collection, [])):
            match = next(
                (u for name in (item["name"], *item.get("aliases", [])) if (u := book.find(name))),
                None,
            )
            taken = {u["code"] for c in ("units", "groups") for u in draft.data.get(c, [])}
            if match is not None and (match.code == item["code"] or match.code not in taken):
                new = match.code
                draft.doubts.append(
                    Doubt(
                        (collection, index),
                        N_("Taken as the unit %(code)s the organisation already has."),
                        {"code": new},
                    )
                )
            elif item["code"] in known:
                new = unit_code(item["name"], known | taken)
            else:
                continue
            rename(draft, collection, item["code"], new)
            item["code"] = new


def _organisation(session: Session, actor: User) -> dict:
    """The organisation a draft is for: the one of whoever drafts it."""
    organisation = organisation_of(session, actor)
    return {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "place": organisation.place,
    }


def _compare_and_set(session: Session, draft_id: int, version: int, statement) -> None:
    """Run ``statement`` on the draft only if it is still at ``version``."""
    done = session.execute(statement.where(PlanDraft.id == draft_id, PlanDraft.version == version))
    if done.rowcount != 1:
        raise StaleVersion(STALE_DRAFT)
