"""People who sign in: users, roles, passwords and API tokens.

- ``models``: ``User``, ``ApiToken``; ``roles``: ``Role``;
- ``passwords``: the password rules, hashing and signing in;
- ``tokens``: API tokens, kept as SHA-256 digests;
- ``operations``: creating users, changing passwords, roles, language and notification
  settings (each checks who may); ``queries``: finding users.
"""
