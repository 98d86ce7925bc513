"""Keep tokens and other secrets out of everything relane shows.

relane reads forge tokens from the environment. Whatever goes wrong, their
values must not reach a terminal, a CI log or a report. Three defences meet
in :func:`scrub`, which every line printed on an error path, and every
message built from a forge's or git's answer, passes through:

* a token relane reads is wrapped in a :class:`Secret`, whose ``str`` and
  ``repr`` never show it, and is remembered;
* the values of environment variables named like secrets (``GITHUB_TOKEN``,
  ``*_PASSWORD``, ``*API_KEY``, ...) are masked even if relane never read
  them;
* credentials a URL carries (``https://user:token@host/...``), as git
  remotes often do, are removed.
"""

from __future__ import annotations

import os
import re
from typing import Mapping

MASK = "***"
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH", re.I)
"""Environment variables whose values count as secrets."""
MIN_LENGTH = 6
"""Shorter environment values are not masked: they would blank out ordinary words."""

# scheme://userinfo@ in web URLs; an ssh user name (git@host) is not a secret.
_USERINFO = re.compile(r"(?i)\b((?:https?|ftps?)://)[^/@\s]+@")
_seen: set[str] = set()


class Secret:
    """A token: shown as ``***`` everywhere; :meth:`reveal` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        remember(value)

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __reduce__(self):  # never pickled, copied into a log, or sent to a worker
        raise TypeError("a Secret cannot be pickled")


def remember(value: str) -> None:
    """Scrub ``value`` from all text shown from now on."""
    if value and len(value) >= 4:
        _seen.add(value)


def secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    """The secret values in ``environ`` (default: this process's), longest first."""
    env = os.environ if environ is None else environ
    values = {v for k, v in env.items() if SECRET_NAME.search(k) and len(v.strip()) >= MIN_LENGTH}
    return sorted(values, key=lambda v: (-len(v), v))


def scrub(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` without secrets: remembered tokens, secret environment
    values (from ``environ``, default this process's) and URL credentials."""
    for value in sorted(_seen.union(secrets(environ)), key=lambda v: (-len(v), v)):
        if value in text:
            text = text.replace(value, MASK)
    return _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
