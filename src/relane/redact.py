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
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging

MASK = "***"
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH", re.I)
"""Environment variables whose values count as secrets."""
MIN_LENGTH = 6
"""Shorter environment values are not masked: they would blank out ordinary words."""

# scheme://userinfo@ in URLs of any scheme. The userinfo runs to the last @
# of the URL: a password may hold an @ or a / that was not percent-encoded
# (https://user:pa@ss/word@host), and masking too much is safe.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)(\S*)@")
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
    return without_userinfo(_replace(text, sorted(_seen.union(secrets(environ)), key=lambda v: (-len(v), v))))


def mask(value: Any) -> Any:
    """``value``, as JSON decodes (strings, lists, dicts), with every token
    relane has read replaced by ``***``: what a forge echoes of the token
    goes no further."""
    known = _known()
    return _mask(value, known) if known else value


def _mask(value: Any, known: list[str]) -> Any:
    if isinstance(value, str):
        return _replace(value, known)
    if isinstance(value, list):
        return [_mask(item, known) for item in value]
    if isinstance(value, dict):
        return {_mask(key, known): _mask(item, known) for key, item in value.items()}
    return value


def _known() -> list[str]:
    """The remembered tokens, longest first (one may hold another)."""
    return sorted(_seen, key=lambda v: (-len(v), v))


def _replace(text: str, values: list[str]) -> str:
    for value in values:
        for form in _forms(value):
            if form in text:
                text = text.replace(form, MASK)
    return text


@lru_cache(maxsize=256)
def _forms(value: str) -> tuple[str, ...]:
    """``value`` and the escaped forms an error message may quote it in: the
    ``repr`` of it as a string and as bytes (``\\n`` for a newline, ``\\xf6``
    for a non-ASCII letter), ``ascii`` and JSON. A library that refuses a
    header quotes the value this way (``Illegal header value b'...'``)."""
    import json  # not at start-up: most runs have no secret to mask

    forms = [value]
    for quoted in (repr(value), ascii(value), json.dumps(value), repr(value.encode("utf-8", "surrogatepass"))):
        inner = quoted[2:-1] if quoted.startswith("b") else quoted[1:-1]
        if inner and inner not in forms:
            forms.append(inner)
    return tuple(forms)


def without_userinfo(text: str) -> str:
    """``text`` with the credentials of URLs in it (``https://user:token@``,
    ``ssh://user:password@``) masked."""
    return _USERINFO.sub(_mask_userinfo, text)


def _mask_userinfo(match: re.Match) -> str:
    scheme, userinfo = match.group(1), match.group(2)
    if "ssh" in scheme.lower() and not any(c in userinfo for c in ":/@"):
        return match.group(0)  # an ssh user name alone (ssh://git@host) is no secret
    return scheme + MASK + "@"


def scrub_logs(names: Iterable[str]) -> None:
    """Mask remembered tokens and URL credentials in the records of these
    loggers (another library's, such as httpx's) as they are logged.

    Only what relane itself sent can be in them, so the environment is not
    read for each record."""
    import logging

    global _log_filter
    if _log_filter is None:

        class ScrubFilter(logging.Filter):
            def filter(self, record: logging.LogRecord) -> bool:
                try:
                    message = record.getMessage()
                except Exception:  # a broken record is the logging module's to report
                    return True
                clean = without_userinfo(_replace(message, _known()))
                if clean != message:
                    record.msg, record.args = clean, ()
                return True

        _log_filter = ScrubFilter()
    for name in names:
        logger = logging.getLogger(name)
        if _log_filter not in logger.filters:
            logger.addFilter(_log_filter)


_log_filter: logging.Filter | None = None
