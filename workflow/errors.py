"""Typed refusals of the engine, each with a stable code and a translatable message.

The message is a gettext msgid with ``%(name)s`` placeholders; whoever shows the error
translates it (``error.translate(gettext)``), so the engine stays free of any framework.
"""

from __future__ import annotations

from collections.abc import Callable

from workflow.i18n import N_


class WorkflowError(Exception):
    """Base of every refusal: nothing was changed."""

    code = "error"
    message = N_("The action was refused.")

    def __init__(
        self, message: str | None = None, *, labels: tuple[str, ...] = (), **params: object
    ) -> None:
        """``labels`` names the parameters that are msgids themselves (a state, an event, a
        role), translated with the message; every other parameter is shown as given."""
        if message is not None:
            self.message = message
        self.params = params
        self.labels = labels
        super().__init__(self.message % params if params else self.message)

    def translate(self, gettext: Callable[[str], str]) -> str:
        """The message in the reader's language, given that language's gettext."""
        text = gettext(self.message)
        if not self.params:
            return text
        return text % {k: gettext(v) if k in self.labels else v for k, v in self.params.items()}


class NotFound(WorkflowError):
    """The thing does not exist, or this user may not know that it exists."""

    code = "not_found"
    message = N_("Not found.")


class NotAllowed(WorkflowError):
    """The user's role or unit does not allow this action."""

    code = "not_allowed"
    message = N_("You are not allowed to do this.")


class IllegalTransition(WorkflowError):
    """The action does not apply to the task in its current state."""

    code = "illegal_transition"
    message = N_('A task that is "%(state)s" cannot be given "%(event)s".')


class StaleVersion(WorkflowError):
    """Someone else changed the task since the user loaded it."""

    code = "stale_version"
    message = N_("Someone else changed this task in the meantime. Reload it and try again.")


class InvalidInput(WorkflowError):
    """The user's input is incomplete or malformed; nothing was saved."""

    code = "invalid_input"
    message = N_("The input is not valid.")


class InvalidFields(InvalidInput):
    """Several inputs of one form are wrong: ``problems`` holds each field's refusal, so the
    form says everything at once instead of one mistake per try. Read as a single refusal, it
    is the first of them."""

    def __init__(self, problems: dict[str, InvalidInput]) -> None:
        first = next(iter(problems.values()))
        super().__init__(first.message, labels=first.labels, **first.params)
        self.problems = problems


class TooLarge(InvalidInput):
    """An uploaded file is over the size limit."""

    code = "too_large"
    message = N_("The file is too large.")


class StorageFailed(WorkflowError):
    """The server could not write what it must keep (its upload folder full, or not writable):
    nothing was saved, and the person is told to tell the administrator."""

    code = "storage_unavailable"
    message = N_(
        "%(name)s could not be stored on the server (its upload folder is full or cannot be "
        "written): nothing was saved. Tell the administrator."
    )
