"""Conditions and other expressions that read a matrix value holding a label.

When a matrix value changes from ``ubuntu-20.04`` to ``ubuntu-24.04``, a
step guarded by ``if: matrix.os == 'ubuntu-20.04'`` would silently stop
running. :func:`rewrite` updates such comparisons (``==`` or ``!=``, the
matrix value on either side, the label in either quote) inside one ``if:``
scalar; :func:`uses` finds every other place in a job that reads the value
(artifact names, cache keys, ``with:`` values), for a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from relane.codemods.matrix import Ref
from relane.edit.ops import Edit
from relane.model import Job
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Scalar, Seq

Lookup = Callable[[str], "str | None"]

# How a quote character of an expression string is written inside a YAML
# scalar of each style: as itself, doubled in '...', escaped in "...".
_QUOTES = {
    None: ("'", '"'),
    "|": ("'", '"'),
    ">": ("'", '"'),
    "'": ("''", '"'),
    '"': ("'", '\\"'),
}


def _pattern(ref: Ref, quotes: tuple[str, str]) -> re.Pattern:
    name = re.escape(str(ref)) + r"(?![\w.-])"
    quote = "|".join(re.escape(q) for q in quotes)
    label = rf"(?:(?!{quote})[^\\\n])*"
    return re.compile(
        rf"(?<![\w.]){name}(?P<op1>\s*[!=]=\s*)(?P<q1>{quote})(?P<l1>{label})(?P=q1)"
        rf"|(?<![\w.\\])(?P<q2>{quote})(?P<l2>{label})(?P=q2)(?P<op2>\s*[!=]=\s*){name}"
    )


def _substitute(pattern: re.Pattern, text: str, lookup: Lookup) -> tuple[str, list[tuple[str, str]]]:
    changed: list[tuple[str, str]] = []

    def swap(m: re.Match) -> str:
        group = "l1" if m.group("l1") is not None else "l2"
        old = m.group(group)
        new = lookup(old)
        if new is None:
            return m.group(0)
        changed.append((old, new))
        s, e = m.span(group)
        return m.group(0)[: s - m.start()] + new + m.group(0)[e - m.start() :]

    return pattern.sub(swap, text), changed


def rewrite(source: Source, node: Scalar, ref: Ref, lookup: Lookup) -> tuple[Edit, str, list[tuple[str, str]]] | None:
    """The edit that updates the comparisons of ``ref`` with mapped labels
    in the condition ``node``, the value it then holds and the labels
    changed; ``None`` when there is nothing to update.

    Raises ``ValueError`` when the comparisons found in the value and in the
    text as written disagree (an escape inside a label, a comparison
    split over lines in a way the text does not show plainly).
    """
    new_value, changed = _substitute(_pattern(ref, ("'", '"')), node.value, lookup)
    if not changed:
        return None
    raw = source.text[node.start : node.end]
    new_raw, changed_raw = _substitute(_pattern(ref, _QUOTES[node.style]), raw, lookup)
    if changed_raw != changed:
        raise ValueError(f"the condition {node.value!r} is not written so that relane can edit it in place")
    return Edit(node.start, node.end, new_raw), new_value, changed


# ``matrix['os']``, read as ``matrix.os``.
_INDEX = re.compile(r"""\[\s*(?:'([\w-]+)'|"([\w-]+)")\s*\]""")


def other_use(value: str, ref: Ref) -> bool:
    """Whether ``value`` reads ``ref`` other than by comparing it with a string."""
    value = _pattern(ref, ("'", '"')).sub("", value)
    value = _INDEX.sub(lambda m: "." + (m.group(1) or m.group(2)), value)
    name = re.compile(rf"(?<![\w.])matrix\.{re.escape(ref.key)}((?:\.[\w-]+)*)(?![\w-])")
    for m in name.finditer(value):
        rest = m.group(1)
        if ref.sub is None or not rest or rest == f".{ref.sub}" or rest.startswith(f".{ref.sub}."):
            return True
    return False


def compares(value: str, ref: Ref, lookup: Lookup) -> bool:
    """Whether ``value`` compares ``ref`` with a label ``lookup`` maps."""
    return bool(_substitute(_pattern(ref, ("'", '"')), value, lookup)[1])


def scalars(node: AnyNode | None, path: str = "") -> Iterator[tuple[str, AnyNode | None, Scalar]]:
    """Every scalar value under ``node`` with its path (``steps[2].with.key``)
    and the key node holding it (``None`` for list items)."""
    if node is None:
        return
    stack: list[tuple[str, AnyNode | None, AnyNode]] = [(path, None, node)]
    while stack:
        where, key, n = stack.pop()
        if isinstance(n, Scalar):
            yield where, key, n
        elif isinstance(n, Map):
            for k, v in reversed(n.pairs):
                name = k.value if type(k) is Scalar else "?"
                stack.append((f"{where}.{name}" if where else name, k, v))
        elif isinstance(n, Seq):
            for i in reversed(range(len(n.items))):
                stack.append((f"{where}[{i}]", None, n.items[i]))


def job_scalars(job: Job, skip: set[int]) -> Iterator[tuple[str, AnyNode | None, Scalar]]:
    """Scalars of the job outside ``skip`` (runs-on, strategy), with their paths."""
    # Only a job whose matrix is followed gets here, and that job is a mapping.
    assert job.node is not None
    for key, value in job.node.pairs:
        if id(value) in skip or type(key) is not Scalar:
            continue
        yield from scalars(value, key.value) if type(value) is not Scalar else [(key.value, key, value)]


_STEP_IF = re.compile(r"(?:if|steps\[\d+\]\.if)\Z")


def condition_path(path: str) -> bool:
    """Whether ``path`` is the job's own ``if`` or a step's."""
    return bool(_STEP_IF.match(path))
