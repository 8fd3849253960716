"""The organisation and its units: who owes the work.

- ``models``: ``Organisation``, ``Unit`` (a body, position or group), ``UnitMembership``;
- ``queries``: finding the organisation and a unit, the heads of each unit, the units page.
"""
