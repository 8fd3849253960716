"""Evidence a report keeps without choosing it again: the files of the report that was returned,
and the files chosen before a refusal (held aside for the person, so a refused link or figure
never drops them silently).

A kept file is named in the form as ``file:<id>`` (a file of an earlier report of the task) or
``held:<token>`` (a file held for the signed-in person); both become uploads of the new report,
copied, so every report owns its files.
"""

from __future__ import annotations

import io

from web.database import db_session
from web.storage import evidence_store
from workflow.accounts.models import User
from workflow.tasks.evidence import Upload, earlier_evidence


def parse_kept(values: list[str]) -> tuple[list[int], list[str]]:
    """The earlier files' ids and the held files' tokens named in the form."""
    file_ids, tokens = [], []
    for value in values:
        kind, _colon, key = value.partition(":")
        if kind == "file" and key.isascii() and key.isdigit():
            file_ids.append(int(key))
        elif kind == "held":
            tokens.append(key)
    return file_ids, tokens


def kept_uploads(user: User, task_id: int, values: list[str]) -> list[Upload]:
    """The kept files as uploads of the new report."""
    store, (file_ids, tokens) = evidence_store(), parse_kept(values)
    earlier = [
        Upload(record.filename, io.BytesIO(store.path_of(record).read_bytes()))
        for record in earlier_evidence(db_session(), user, task_id, file_ids)
    ]
    return earlier + store.held(user.id, tokens)


def hold_after_refusal(user: User, values: list[str], chosen: list[Upload]) -> list[str]:
    """After a refused report: the files just chosen held aside, and the kept ones still kept;
    the form's ``keep`` values for showing the report form again."""
    held = evidence_store().hold(user.id, chosen)
    return values + [f"held:{token}" for token, _name in held]


def release_held(user: User, values: list[str]) -> None:
    """Once a report went through, its held files are no longer held."""
    evidence_store().release(user.id, parse_kept(values)[1])


def held_names(user: User, values: list[str]) -> dict[str, str]:
    """The names of the files held under the form's ``keep`` values, by value."""
    names = evidence_store().held_names(user.id, parse_kept(values)[1])
    return {f"held:{token}": name for token, name in names.items()}
