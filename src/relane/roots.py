"""The library's front door (:func:`plan`), a run over several repository
roots at once (``relane retarget a b``), and the warnings about selector
values that match nothing.

Each root is run on its own (the trigger rule reads one repository's
workflows together), selectors are judged over all of them, and the plans
are joined. Every path in the joined plan, the diff's included, is
relative to the current folder, so that ``git apply`` works from there and
the roots' files (often all called ``.github/workflows/ci.yml``) can be
told apart; :attr:`~relane.engine.Plan.roots` says which root each
workflow is in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from relane.codemod import Codemod
from relane.codemods.retarget import Retarget
from relane.engine import Plan, run
from relane.read.files import WorkflowFile, discover, shown_root
from relane.select import Selector, Unmatched

if TYPE_CHECKING:
    from relane.comments import Comments


def plan(
    paths: Sequence[str | os.PathLike] = (".",),
    to: Sequence[str] | str = (),
    *,
    selector: Selector | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    move_expressions: bool = False,
    move_groups: bool = False,
    comments: Comments | None = None,
) -> Plan:
    """Plan moving the jobs ``selector`` picks under ``paths`` to ``to``.

    >>> p = plan(["."], "publish", selector=Selector.build(on=["@ship"], not_on=["@pr"]))
    >>> print(p.diff)            # doctest: +SKIP
    >>> p.write()                # doctest: +SKIP

    ``comments`` (:meth:`relane.comments.Comments.build`) adds relane's
    comment block to the moved jobs and drops stale comments from them.
    """
    labels = (to,) if isinstance(to, str) else tuple(to)
    codemod = Retarget(
        to=labels,
        selector=selector or Selector(),
        move_expressions=move_expressions,
        move_groups=move_groups,
        comments=comments,
    )
    return run_roots(codemod, discover(paths, include, exclude))


def run_roots(codemod: Codemod, files: Iterable[WorkflowFile]) -> Plan:
    """:func:`relane.engine.run` over ``files``, which may come from several
    roots, with a warning for each selector value that matches nothing."""
    groups: dict[Path, list[WorkflowFile]] = {}
    for wf in files:
        groups.setdefault(wf.root, []).append(wf)
    unmatched = Unmatched.of(codemod)
    watch = None if unmatched is None else (lambda _, workflow: unmatched.see(workflow))
    if len(groups) <= 1:
        plan = run(codemod, [wf for group in groups.values() for wf in group], watch)
    else:
        parts = [_under(run(codemod, group, watch), shown_root(root)) for root, group in groups.items()]
        plan = Plan(
            changes=tuple(c for p in parts for c in p.changes),
            results=tuple(r for p in parts for r in p.results),
            files=tuple(f for p in parts for f in p.files),
            notes=tuple(n for p in parts for n in p.notes),
            target=codemod.target,
            codemod=codemod,
            warnings=tuple(w for p in parts for w in p.warnings),
            file_results=tuple(f for p in parts for f in p.file_results),
            roots={path: root for p in parts for path, root in p.roots.items()},
        )
    return plan if unmatched is None else replace(plan, warnings=plan.warnings + unmatched.cautions())


def _under(plan: Plan, root: str) -> Plan:
    """``plan``, the plan of one root, with its paths put under ``root``."""

    def shown(path: str) -> str:
        return path if root == "." or not path else f"{root}/{path}"

    def caution(w):
        return replace(w, workflow=shown(w.workflow))

    def change(c):
        if c is None:
            return None
        return replace(c, source=replace(c.source, path=shown(c.source.path)), stored=c.stored and shown(c.stored))

    changes = {id(c): change(c) for c in plan.changes}
    file_results = []
    for f in plan.file_results:
        if f.error is not None and f.error.path and not Path(f.error.path).is_absolute():
            f.error.path = shown(f.error.path)  # the error a caller raises names the file as reports do
        file_results.append(replace(f, path=shown(f.path), change=changes.get(id(f.change), change(f.change))))
    return replace(
        plan,
        changes=tuple(changes.values()),
        results=tuple(
            replace(r, workflow=shown(r.workflow), warnings=tuple(caution(w) for w in r.warnings)) for r in plan.results
        ),
        files=tuple(shown(p) for p in plan.files),
        notes=tuple((shown(p), note) for p, note in plan.notes),
        warnings=tuple(caution(w) for w in plan.warnings),
        file_results=tuple(file_results),
        roots={shown(p): root for p in plan.files},
    )
