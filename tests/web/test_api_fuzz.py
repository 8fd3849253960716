"""The API fuzzed from its own document (schemathesis): whatever a client sends, as a unit
head or as a reviewer, alone or in a sequence, the answer is never a server error.

On the acted-out history. Stateless: every operation of ``/api/v1/openapi.json`` called through
schemathesis's examples, coverage and fuzzing phases: boundary and wrong values of each
parameter, methods the document does not allow, and generated parameters and bodies.
Stateful: schemathesis's state machine walks the document's links (a list to a task, a task to
one of its events, an event's answer to the next event), so later calls meet the states
earlier ones made.
``GIAOVIEC_API_FUZZ_EXAMPLES`` sets the examples per operation (10 in CI) and, twice that, the
walks of the stateful phase.

Generated values alone almost never name a task, unit or quarter that exists (a random quarter
is year 7288's), so the fuzzer is given a dictionary of the ward's real ones, drawn in place of
a generated value now and then, as fuzzers are given the words of a format."""

from __future__ import annotations

import os
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.checks import not_a_server_error
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from sqlmodel import select

from tests.conftest import real_now
from web.api.inputs import ONLY_WITH
from workflow.accounts.tokens import issue_token
from workflow.organisations.models import Unit
from workflow.plans.models import Plan
from workflow.tasks.models import Task

EXAMPLES = int(os.environ.get("GIAOVIEC_API_FUZZ_EXAMPLES", "10"))
# Derandomized: a CI run is repeatable, and a failure seen once is seen again. The walks are
# twice as many as the examples, so that events are accepted on them whatever the seed, and a
# failing walk is shown as it was (shrinking one takes minutes).
FUZZ = settings(
    max_examples=EXAMPLES,
    stateful_step_count=8,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
WALKS = settings(FUZZ, max_examples=2 * EXAMPLES, phases=[Phase.generate])
RESTARTS = 5
LEFT_OUT = object()


def ward_words(session) -> dict[str, list]:
    """Real values for each parameter name the document uses."""
    return {
        "task_id": list(session.exec(select(Task.id).order_by(Task.id))),
        "unit": list(session.exec(select(Unit.code))),
        "plan": list(session.exec(select(Plan.code))),
        "quarter": [f"2026-Q{number}" for number in range(1, 5)],
        "year": ["2026"],
        "q": ["VI.2", "báo cáo", "bao cao"],
        "offset": [0],
        "comment": ["Đã hoàn thành, gửi kèm số liệu.", "Đề nghị bổ sung minh chứng."],
    }


def fuzzed_document(app, session, headers: dict):
    """The document as ``headers``'s client fuzzes it: its generated query and path values
    sometimes swapped for real ones or left out (an optional filter generated at random
    almost always filters everything out), and an event sometimes sent as one who has just
    read the task would send it."""
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    words = ward_words(session)
    session.commit()
    reader = app.test_client()

    def mixed(values: object, optional: bool):
        if not isinstance(values, dict) or not values:
            return st.just(values)
        choices = {}
        for name, value in values.items():
            real = [st.sampled_from(words[name])] if name in words else []
            choices[name] = st.one_of(st.just(value), *real, *[st.just(LEFT_OUT)] * optional)
        return st.fixed_dictionaries(choices).map(
            lambda drawn: {name: value for name, value in drawn.items() if value is not LEFT_OUT}
        )

    def as_last_read(context, case):
        """The version read now and one of the events the answer offers: the links give
        that only after a read, and a random version or event is almost always refused."""
        task_id = (case.path_parameters or {}).get("task_id")
        if not isinstance(case.body, dict) or task_id not in words["task_id"]:
            return st.just(case)
        read = reader.get(f"/api/v1/tasks/{task_id}", headers=headers).get_json()
        offered = read.get("actions")

        def sent(choice: int | None):
            if choice is not None and offered:
                event = offered[choice % len(offered)]
                case.body = {**case.body, "event": event, "version": read["version"]}
                drop_what_the_event_does_not_take(case)
            return case

        # What is drawn may not depend on the answer, which changes as the walk goes on: the
        # same draws must make the same choices for Hypothesis.
        return st.one_of(st.none(), st.integers(0, 9)).map(sent)

    hooks = {
        "flatmap_query": lambda context, query: mixed(query, optional=True),
        "flatmap_path_parameters": lambda context, path: mixed(path, optional=False),
        "flatmap_body": lambda context, body: mixed(
            {"comment": "", **body} if isinstance(body, dict) else body, optional=False
        ),
        "flatmap_case": as_last_read,
    }
    for name, hook in hooks.items():
        document.hooks.register_hook_with_name(hook, name)
    return document


def drop_what_the_event_does_not_take(case) -> None:
    """An event's body with only the fields that event takes (``links`` only with a report,
    and so on), where the event came from elsewhere than the rest of the body: a link, or a
    read of the task."""
    if isinstance(case.body, dict) and isinstance(event := case.body.get("event"), str):
        case.body = {
            name: value
            for name, value in case.body.items()
            if event in ONLY_WITH.get(name, (event,))
        }


def bearer(session, user) -> dict:
    token = issue_token(session, user, real_now())
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def call_every_operation(document, headers: dict, answers: Counter) -> None:
    """Each operation of ``document`` with ``FUZZ``'s examples, answers counted by status."""
    operations = [operation.ok() for operation in document.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        def call(case):
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            answers[response.status_code] += 1

        # Every phase schemathesis runs on one operation: the document's examples, coverage
        # (each parameter at and past its bounds, wrong types, methods not allowed), fuzzing
        every_phase = HypothesisTestConfig(
            project=document.config, modes=list(HypothesisTestMode), settings=FUZZ
        )
        create_test(operation=operation, test_func=call, config=every_phase)()


@dataclass
class Walked:
    """What the walks met: answers by status, events accepted by name, and each server error
    or exception with the request that met it."""

    answers: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    walks: int = 0


def walk_the_links(document, headers: dict, walked: Walked) -> None:
    """Up to ``WALKS`` walks of schemathesis's state machine over ``document``."""

    class Client(document.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def before_call(self, case):
            drop_what_the_event_does_not_take(case)

        def call(self, case, **kwargs):
            request = f"{case.method} {case.formatted_path} {case.body!r:.300}"
            try:
                response = super().call(case, **kwargs)
            except Exception as error:  # the app's own, raised through the test client
                walked.failures.append(f"{request}: {error!r}")
                raise
            walked.answers[response.status_code] += 1
            if response.status_code >= 500:
                walked.failures.append(f"{request}: {response.status_code}")
            elif case.operation.method == "post" and response.status_code == 200:
                walked.accepted[case.body["event"]] += 1
            return response

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=[not_a_server_error])

        def teardown(self):
            walked.walks += 1

    # The walks change the ward, so a later one may not be drawn again the way Hypothesis
    # remembers it (a failing one, replayed, least of all): the run ends there and, as
    # schemathesis's own runner does, starts again (on a random seed: the first one's would
    # draw the same walks) for the walks left. What the walks met is in ``walked``.
    wanted = walked.walks + WALKS.max_examples
    for run in range(RESTARTS + 1):
        left = wanted - walked.walks
        if left <= 0:
            break
        with suppress(FlakyStrategyDefinition):
            Client.run(settings=settings(WALKS, max_examples=left, derandomize=run == 0))


def test_no_request_gets_a_server_error(app, session, history):
    """Sent by UBND's head and by the reviewer, is any answer to any operation a 5xx?"""
    answers = Counter()
    for who in (history.heads["UBND"], history.reviewer):
        headers = bearer(session, who)
        call_every_operation(fuzzed_document(app, session, headers), headers, answers)
    print(f"{sum(answers.values())} calls: {dict(answers)}")
    assert answers[200] > 0 and not any(status >= 500 for status in answers), answers


def test_no_sequence_of_requests_gets_a_server_error(app, session, history):
    """Following the links with generated values mixed in, as BXDD's head and as the
    reviewer: is any answer on the way a 5xx? Events are accepted on the way, so the walk
    reaches states the acted-out history does not have."""
    walked = Walked()
    for who in (history.heads["BXDD"], history.reviewer):
        headers = bearer(session, who)
        walk_the_links(fuzzed_document(app, session, headers), headers, walked)
    print(f"{walked.walks} walks: {dict(walked.answers)}, accepted: {dict(walked.accepted)}")
    assert not walked.failures, walked.failures
    assert walked.accepted, f"no event was accepted on any walk: {walked.answers}"
