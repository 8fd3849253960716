"""Reminders and escalations by email: rules, outbox, SMTP sender and scheduled jobs.

Calls ``workflow``; ``workflow`` never imports this package.
"""
