"""Vietnamese first: every message in the code has a translation, and the shipped catalogue is
the compiled form of the one under review."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from workflow.errors import StaleVersion
from workflow.tasks.states import TaskState

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "web" / "translations" / "vi" / "LC_MESSAGES"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "_l": None,
    "lazy_gettext": None,
}
METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("**.py", "python"),
]


def messages_in_code() -> set[str]:
    found = set()
    for package in ("workflow", "web", "notifications"):
        for _, _, message, _, _ in extract_from_dir(ROOT / package, METHODS, keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


# One message of each kind of place, so that the search above is known to look everywhere.
FOUND_IN_CODE = {
    "Give the reason for returning the report.",  # the engine (workflow/)
    "My work",  # a page template (web/)
    "no unit head registered",  # an email (notifications/)
    "Outbox",  # a page template of the administration
}


def hashable(value):
    """Plural messages come as lists of forms."""
    return tuple(value) if isinstance(value, list | tuple) else value


def translated(message) -> bool:
    """Whether a catalogue entry has its translation, every plural form of it included."""
    if message is None:
        return False
    forms = message.string if isinstance(message.string, list | tuple) else [message.string]
    return all(forms)


def vietnamese_catalog():
    with open(CATALOG / "messages.po", "rb") as po:
        return read_po(po, locale="vi")


def test_every_message_in_the_code_has_a_vietnamese_translation():
    """Is any user-visible string missing from, or untranslated in, the Vietnamese catalogue?"""
    catalog = vietnamese_catalog()
    messages = messages_in_code()
    assert FOUND_IN_CODE - messages == set()
    untranslated = sorted(m for m in messages if not translated(catalog.get(m)))
    assert untranslated == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == [], "fuzzy guesses to review"


def test_the_shipped_mo_file_is_the_compiled_po_file():
    """Was the catalogue compiled after its last edit (pybabel compile -d web/translations)?"""
    with open(CATALOG / "messages.mo", "rb") as mo:
        compiled = {hashable(m.id): hashable(m.string) for m in read_mo(mo) if m.id}
    source = {hashable(m.id): hashable(m.string) for m in vietnamese_catalog() if m.id and m.string}
    assert compiled == source


def test_vietnamese_is_the_default_and_english_the_second(app):
    """What does a refusal and a state label read like in each language?"""
    with app.app_context():
        assert gettext(TaskState.RETURNED.label) == "Trả lại, yêu cầu bổ sung"
        assert StaleVersion().translate(gettext) == (
            "Người khác vừa thay đổi nhiệm vụ này. Hãy tải lại trang và thử lại."
        )
        with force_locale("en"):
            assert gettext(TaskState.RETURNED.label) == "Returned for more work"
            assert StaleVersion().translate(gettext) == (
                "Someone else changed this task in the meantime. Reload it and try again."
            )


def test_people_are_addressed_as_dong_chi_never_as_ban():
    """A Party office writes to a comrade ("đồng chí"), not to a friend ("bạn")."""
    catalog = vietnamese_catalog()
    strings = [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    assert [text for text in strings if re.search(r"\bbạn\b", text, re.IGNORECASE)] == []
