"""A run over several repository roots at once (``relane retarget a b``).

Each root is run on its own (the trigger rule reads one repository's
workflows together), selectors are judged over all of them, and the plans
are joined. Every path in the joined plan, the diff's included, is
relative to the current folder, so that ``git apply`` works from there and
the roots' files (often all called ``.github/workflows/ci.yml``) can be
told apart; :attr:`Plan.roots` says which root each workflow is in.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable

from relane.engine import Plan, run, selector_warnings
from relane.read.discover import WorkflowFile, errors_under, shown_root
from relane.select import Unmatched


def run_roots(codemod, files: Iterable[WorkflowFile]) -> Plan:
    """:func:`relane.engine.run` over ``files``, which may come from several roots."""
    groups: dict[Path, list[WorkflowFile]] = {}
    for wf in files:
        groups.setdefault(wf.root, []).append(wf)
    if len(groups) <= 1:
        return run(codemod, [wf for group in groups.values() for wf in group])
    unmatched = Unmatched(codemod.selector, codemod.to)
    joined = Plan(target=codemod.target, codemod=codemod)
    for root, group in groups.items():
        shown = shown_root(root)
        with errors_under(shown):
            part = run(codemod, group, unmatched)
        _join(joined, part, shown)
    joined.warnings.extend(selector_warnings(unmatched))
    return joined


def _join(joined: Plan, part: Plan, root: str) -> None:
    """Add ``part``, the plan of one root, to ``joined``, its paths put under ``root``."""

    def shown(path: str) -> str:
        return path if root == "." or not path else f"{root}/{path}"

    def caution(w):
        return replace(w, workflow=shown(w.workflow))

    for change in part.changes:
        change.source = replace(change.source, path=shown(change.source.path))
        joined.changes.append(change)
    joined.results.extend(
        replace(r, workflow=shown(r.workflow), warnings=tuple(caution(w) for w in r.warnings)) for r in part.results
    )
    joined.files.extend(shown(p) for p in part.files)
    joined.notes.extend((shown(p), note) for p, note in part.notes)
    joined.warnings.extend(caution(w) for w in part.warnings)
    joined.roots.update((shown(p), root) for p in part.files)
