"""Errors relane expects, and the exit codes the command line maps them to.

Everything below the command line raises these instead of printing or
exiting; ``cli.py`` turns them into one line on stderr and a fixed code.
"""

from __future__ import annotations

EXIT_OK = 0
"""The run finished (for ``--check``: there is nothing to change)."""
EXIT_CHANGES = 1
"""``--check`` found changes to make (``guard``: some label has no runner)."""
EXIT_ERROR = 2
"""Usage or input error; nothing was written."""
EXIT_INTERNAL = 3
"""relane's own fault (for example a rewrite that failed verification)."""


class RelaneError(Exception):
    """An expected failure, shown to the user as one line.

    ``path``, ``line`` and ``col`` (1-based) say where, when it is known.
    """

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col

    @property
    def location(self) -> str:
        parts = [p for p in (self.path, self.line, self.col) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class InputError(RelaneError):
    """A file relane was given cannot be read as a workflow."""


class UsageError(RelaneError):
    """The arguments do not make sense together."""


class PatchError(RelaneError):
    """An edit asked of :func:`relane.patch` cannot be made: its route does
    not exist, its key exists already, it would change what an alias or an
    anchor shares, or the text is not valid YAML."""


class VerificationError(RelaneError):
    """A rewrite did not re-parse to the intended data; nothing is written."""

    exit_code = EXIT_INTERNAL
