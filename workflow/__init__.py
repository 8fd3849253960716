"""The Giao Việc engine: plans, tasks and their state machine, with no web framework inside."""
