"""How the portal keeps passwords: Argon2id with the parameters the OWASP Password Storage
Cheat Sheet names first (19 MiB of memory, 2 passes, 1 lane).

A login is the one request whose cost is chosen to be high. Django's default, PBKDF2 with
a million SHA-256 rounds, costs about 0.25 s of CPU a login on this project's 2-core host;
when a province's communes log in at the start of a December morning — 200 officials in a
minute in ``make load`` — those hashes alone take most of both cores and every page waits
behind them. Argon2id at these parameters costs about 27 ms and 19 MiB a check, and resists
guessing on graphics cards better than PBKDF2 does: memory, not only rounds. A password
kept with an older hasher (PBKDF2, or Argon2 with other parameters) is still checked, and
kept anew with this one at the user's next login (``PASSWORD_HASHERS``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id) at OWASP's first configuration."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
