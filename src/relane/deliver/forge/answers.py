"""Reading a forge's answers: their JSON with known tokens masked, the
forge's own explanation of an error, and when a rate limit lifts."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from relane.redact import mask, scrub

NOT_JSON = object()


def loads(content: bytes) -> Any:
    """The JSON in ``content`` with known tokens masked, or ``NOT_JSON``
    (the decoder's error, which holds the whole text, is dropped here)."""
    try:
        return mask(json.loads(content))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep to walk
        return NOT_JSON


def forge_message(content: bytes) -> str:
    """The forge's own explanation: GitHub's message and errors, Gitea's message."""
    doc = loads(content)
    if doc is NOT_JSON:
        text = content.decode("utf-8", "replace").strip()
        # Masked before it is cut, so that no part of a token is left at the cut.
        return scrub(" ".join(text.split()))[:200] if text and not text.startswith("<") else ""
    if not isinstance(doc, dict):
        return ""
    parts = []
    message = doc.get("message")
    if isinstance(message, str) and message.strip():
        parts.append(message.strip())
    errors = doc.get("errors")
    if isinstance(errors, list):
        for error in errors:
            if isinstance(error, str):
                parts.append(error)
            elif isinstance(error, dict):
                if isinstance(error.get("message"), str):
                    parts.append(error["message"])
                elif error.get("code"):
                    field = ".".join(str(error[k]) for k in ("resource", "field") if error.get(k))
                    parts.append(f"{field} {error['code']}".strip())
    return ": ".join(" ".join(p.split()) for p in parts)


def rate_limit(response) -> str | None:
    """When a 403/429 is a rate limit, when it lifts; else None."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry = headers.get("retry-after", "").strip()
    if retry.isascii() and retry.isdigit() and len(retry) < 16:
        return f"retry after {int(retry)} s"
    if headers.get("x-ratelimit-remaining", "").strip() == "0":
        reset = headers.get("x-ratelimit-reset", "").strip()
        if reset.isascii() and reset.isdigit():
            try:
                when = datetime.fromtimestamp(int(reset), tz=timezone.utc)
            except (OverflowError, OSError, ValueError):  # past the years a date can hold
                return "its reset time is out of range"
            return f"it resets at {when:%Y-%m-%d %H:%M:%S} UTC"
        return "no reset time given"
    if response.status_code == 429:
        return "no reset time given"
    return None
