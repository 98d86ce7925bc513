"""What git says, made into one line of an error: its fatal line, a push's rejection,
the first words of a remote's or a local hook's refusal (secrets scrubbed)."""

from __future__ import annotations

import re

from relane.redact import scrub

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x1f\x7f]")


def message_of(stderr: bytes) -> str:
    """git's own words, one line: its fatal/error line if there is one; a fatal one with the
    line before it, if any, where ssh says why (``git@host: Permission denied (publickey).``)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    for at, line in enumerate(lines):
        if line.startswith(("fatal:", "error:")):
            said = line.split(":", 1)[1].strip()
            why = [b for b in lines[:at] if not b.startswith(("hint:", "warning:", "remote:"))]  # servers echo secrets
            return scrub(f"{said} ({_CONTROL.sub('', why[-1])[:200]})" if why and line[0] == "f" else said)
    return scrub(lines[-1]) if lines else "no message"


def rejection_of(stdout: bytes) -> str:
    """The status of the first ref git push --porcelain reports rejected: ``[remote rejected] (reason)``."""
    for line in stdout.decode("utf-8", "surrogateescape").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[0] == "!":
            return _CONTROL.sub("", fields[2]).strip()
    return ""


def hook_declined(stderr: bytes, limit: int = 200) -> str:
    """`` (the pre-push hook declined); hook: ...``, with the first line the hook
    wrote; nothing when git stopped on a fatal error (that comes before any hook)."""
    said = ""
    for line in stderr.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("fatal:"):
            return ""
        text = " ".join(_CONTROL.sub(" ", line).split())
        if text and not said and not line.startswith(("error:", "hint:", "remote:", "To ")):
            said = scrub(f"; hook: {text[:limit]}")
    return f" (the pre-push hook declined){said}"


def remote_says(stderr: bytes, limit: int = 200) -> str:
    """``; remote: ...``: the first thing the remote's hooks said, if anything."""
    for line in stderr.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("remote:"):
            said = " ".join(_CONTROL.sub(" ", line[len("remote:"):]).split())
            if said:
                return f"; remote: {said[:limit]}"
    return ""
