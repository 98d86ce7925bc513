"""Reason and notice codes of the label map, besides :class:`~relane.codemod.Reason`'s."""

from __future__ import annotations

import enum

from relane.codemod import Reason


class _Code(str, enum.Enum):
    """A code that prints as its value."""

    def __str__(self) -> str:
        return self.value


class MapReason(_Code):
    """Reason codes of the label map besides :class:`~relane.codemod.Reason`'s."""

    UNMAPPED = "unmapped"
    SELF_HOSTED = "self-hosted"
    LITERAL = "literal"
    ASSEMBLED = "assembled"
    TERNARY = "ternary"
    REUSABLE_REMOTE = "reusable-remote"
    # the matrix cannot be followed (:class:`~relane.codemods.matrix.NotFollowed`)
    NO_MATRIX = "no-matrix"
    MATRIX_EXPRESSION = "matrix-expression"
    MATRIX_VALUE = "matrix-value"
    NO_VALUE = "no-value"
    UNRECORDED = "unrecorded"  # a record is asked for and cannot carry the edits


class MapNotice(_Code):
    """Codes of the label map's :class:`~relane.codemod.Caution` s."""

    MATRIX_USE = "matrix-use"
    DUPLICATE_REMOVED = "duplicate-removed"
    MERGED_ENTRY = "merged-entry"  # an include or exclude entry of a label removed as a duplicate
    DUPLICATE = "duplicate"
    CONDITION = "condition"
    ARCHITECTURE = "architecture"


def reason_code(code: str) -> Reason | MapReason:
    """A :class:`NotFollowed` code as the enum it belongs to."""
    return Reason(code) if code in Reason._value2member_map_ else MapReason(code)
