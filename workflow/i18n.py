"""Marks user-visible strings of the engine for translation without binding it to a framework.

The engine only marks its messages (``N_``); whoever shows them (web page, command line, email)
translates them with the gettext of the reader's language. Babel extracts ``N_`` calls.
"""


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translation happens where the message is shown."""
    return message
