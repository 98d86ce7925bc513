"""How a job's ``runs-on`` value is written: the :class:`Form` the retarget
codemod decides from (kept apart from :mod:`relane.model`, which reads YAML,
so that a run with no file to read never loads the parser)."""

from __future__ import annotations

import enum


class Form(str, enum.Enum):
    """How a ``runs-on`` value is written (and so how relane may edit it)."""

    SCALAR = "scalar"  # runs-on: ubuntu-latest / "publish" / 'x'
    FLOW_LIST = "flow-list"  # runs-on: [self-hosted, linux]
    BLOCK_LIST = "block-list"  # runs-on:\n  - self-hosted
    EXPRESSION = "expression"  # runs-on: ${{ matrix.os }} (or a list holding one)
    GROUP = "group"  # runs-on: {group: ..., labels: ...}
    ALIAS = "alias"  # runs-on: *runner (or a list holding an alias)
    ANCHOR = "anchor"  # runs-on: &runner ubuntu-latest
    SHARED = "shared"  # the job or its runs-on is reachable through an alias elsewhere
    MERGED = "merged"  # no runs-on of its own; a << merge key may bring one in
    ABSENT = "absent"  # no runs-on: a reusable workflow call, or missing
    EMPTY = "empty"  # runs-on:, runs-on: null, runs-on: []
    UNSUPPORTED = "unsupported"  # block scalars, nested lists, ...

    @property
    def static(self) -> bool:
        """Whether the value is a fixed set of labels relane can rewrite."""
        return self in (Form.SCALAR, Form.FLOW_LIST, Form.BLOCK_LIST)
