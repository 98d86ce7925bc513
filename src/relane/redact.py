"""Keep secrets from the environment out of everything relane prints.

relane reads forge tokens from the environment. Whatever goes wrong, their
values must not reach a terminal, a CI log or a report: every line the
command line prints on an error path passes through :func:`redact`, and so
should any message built from a forge's answer.
"""

from __future__ import annotations

import os
import re
from typing import Mapping

MASK = "***"
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH", re.I)
"""Environment variables whose values count as secrets (GITHUB_TOKEN,
GH_TOKEN, GITEA_TOKEN, FORGEJO_TOKEN, ...)."""
MIN_LENGTH = 6
"""Shorter values are not masked: they would blank out ordinary words."""


def secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    """The secret values in ``environ`` (default: this process's), longest first."""
    env = os.environ if environ is None else environ
    values = {v for k, v in env.items() if SECRET_NAME.search(k) and len(v.strip()) >= MIN_LENGTH}
    return sorted(values, key=lambda v: (-len(v), v))


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with every secret value from the environment replaced by ``***``."""
    for value in secrets(environ):
        if value in text:
            text = text.replace(value, MASK)
    return text
