"""The Giao Việc engine: plans, tasks and their state machine, with no web framework inside.

One room per concern (see README, "How it works"): ``permissions`` says who may see and do what,
``tasks.deadlines`` when a task is on time, ``clock`` what "now" is; ``organisations``,
``accounts``, ``plans``, ``tasks``, ``accountability``, ``reporting`` and ``outbox`` each hold their
models, operations (they change state and flush, never commit) and queries; ``db`` the engine,
column types, schema and migrations; ``demo`` the demo. It imports neither ``web`` nor
``notifications``.
"""
