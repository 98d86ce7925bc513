"""The comments relane writes above the jobs it moves, and the record that undoes a move.

:mod:`~relane.comments.template` (comment templates),
:mod:`~relane.comments.record` (the ``# relane:`` record),
:mod:`~relane.comments.blocks` (finding comment blocks in a job),
:mod:`~relane.comments.annotate` (:class:`Comments`, what a retarget writes) and
:mod:`~relane.comments.rollback` (taking a job back with its record).
"""

from relane.comments.annotate import DEFAULT_WIDTH, Comments, first_record
from relane.comments.blocks import Block, find_block, job_comments
from relane.comments.record import Record
from relane.comments.rollback import NO_RECORD, Undo, data_labels, recorded_runs_on, undo
from relane.comments.template import PLACEHOLDERS, TEMPLATES, OptionError, Template, clean

__all__ = [
    "DEFAULT_WIDTH",
    "NO_RECORD",
    "PLACEHOLDERS",
    "TEMPLATES",
    "Block",
    "Comments",
    "OptionError",
    "Record",
    "Template",
    "Undo",
    "clean",
    "data_labels",
    "find_block",
    "first_record",
    "job_comments",
    "recorded_runs_on",
    "undo",
]
