"""Keep tokens out of everything relane shows.

A token read from the environment is wrapped in a :class:`Secret`, whose
``str`` and ``repr`` never show it, and remembered so that :func:`scrub`
can take it out of any text (a forge's error message that echoes it, say)
before the text is shown. :func:`scrub` also removes the credentials that a
URL can carry (``https://user:token@host/...``), as git remotes often do.
"""

from __future__ import annotations

import re

MASK = "***"

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


def scrub(text: str) -> str:
    """``text`` without remembered secrets and without credentials in URLs."""
    for value in sorted(_seen, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
