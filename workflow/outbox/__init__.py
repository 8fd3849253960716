"""The outbox: every email the program will send, written in the same transaction as the
decision to send it.

- ``models``: ``OutboxMessage``, ``NotificationItem`` (one reminder line);
- ``queries`` and ``operations``: the outbox as an administrator sees and retries it.

Sending is ``notifications``' job; the tables live here so that the engine's migrations cover
every table.
"""
