"""The API fuzzed from its own document (schemathesis): whatever a client sends, as a unit
head or as a reviewer, the answer is never a server error.

Every operation of ``/api/v1/openapi.json`` is called with parameters and bodies generated from
the document, on the acted-out history; ``GIAOVIEC_API_FUZZ_EXAMPLES`` sets the examples per
operation (10 in CI)."""

from __future__ import annotations

import os
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import real_now
from workflow.accounts.tokens import issue_token

EXAMPLES = int(os.environ.get("GIAOVIEC_API_FUZZ_EXAMPLES", "10"))


def test_no_request_gets_a_server_error(app, session, history):
    """Sent by UBND's head and by the reviewer, is any answer to any operation a 5xx?"""
    tokens = [
        issue_token(session, who, real_now()) for who in (history.heads["UBND"], history.reviewer)
    ]
    session.commit()
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in document.get_all_operations()]
    assert len(operations) == 6
    answers = Counter()

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case):
            for token in tokens:
                response = case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
                )
                answers[response.status_code] += 1

        call()
    assert answers[200] > 0 and not any(status >= 500 for status in answers), answers
