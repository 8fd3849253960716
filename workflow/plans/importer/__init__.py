"""Drafting a plan file from the plan's own document, for a person to check and publish.

- ``documents``: the file's bytes as blocks (.docx, Word's web page, text, text PDF), with a
  clear refusal for anything else;
- ``outline``: blocks as paragraphs under numbered headings;
- ``names``: unit names across their spellings, and lists of them;
- ``timing``: times as plans write them, as the plan format's moments and cadences;
- ``reading``: the outline read into a draft, with where each part came from and what the
  importer was unsure of (``draft``);
- ``yaml_writer``: the draft as a commented plan file.
"""

from __future__ import annotations

from workflow.plans.importer.documents import DocumentUnreadable, read_document
from workflow.plans.importer.draft import Doubt, Draft, Source
from workflow.plans.importer.reading import read_draft


def draft_plan(data: bytes, source_name: str = "") -> Draft:
    """The draft plan file of a document given as bytes; ``DocumentUnreadable`` otherwise."""
    return read_draft(read_document(data), source_name)


__all__ = ["DocumentUnreadable", "Doubt", "Draft", "Source", "draft_plan"]
