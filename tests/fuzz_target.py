"""The fuzzing target: relane's whole path from bytes to reports, in process.

:func:`check` runs one input through reading, parsing, the retarget codemod,
verification, the diff and every report renderer, and on a change runs the
codemod again on the result. Any exception other than a one-line input
error (exit 2) is a bug: a traceback, or a rewrite that failed verification
(exit 3). Shared by the suite's fuzz tests and ``fuzz/atheris_relane.py``.
"""

from __future__ import annotations

from dataclasses import replace

from relane.render import json as render_json, text as report
from relane.errors import EXIT_ERROR, RelaneError
from relane.model import load
from relane.engine import Plan, plan_workflow
from relane.codemods.retarget import Retarget
from relane.codemods.rollback import Rollback
from relane.comments.annotate import Comments
from relane.select import Selector
from relane.read.source import Source

CODEMODS = (
    Retarget(("publish",)),
    Retarget(("self-hosted", "linux"), move_expressions=True, move_groups=True),
    Retarget(("#needs-quotes",), selector=Selector.build(from_labels=["ubuntu-latest"])),
    Retarget(("it's",), selector=Selector.build(not_on=["@pr"])),
    # As migrations run them: with relane's record, which a rollback reads.
    Retarget(("publish",), move_groups=True, comments=Comments(record=True)),
    Retarget(
        ("self-hosted", "linux"),
        move_expressions=True,
        move_groups=True,
        comments=Comments.build("hard-dependency", ref="R#1", drop=["."], width=40),
    ),
)
# A second migration after one of those: from its labels to others.
THEN = Retarget(("then",), move_groups=True, comments=Comments(record=True))

# Byte strings that steer mutations towards YAML's and relane's edge cases.
TOKENS = (
    b"[", b"]", b"{", b"}", b",", b": ", b"- ", b"? ", b"&a ", b"*a", b"!!str ", b"!tag ", b"<<: *a",
    b"'", b'"', b"\\", b"#", b"\n", b"\r\n", b"\r", b"\t", b"  ", b"|", b">-", b"---\n", b"...\n",
    b"%YAML 1.1\n", b"runs-on: ", b"runs-on:\n  - x\n", b"jobs:\n", b"on: ", b"${{ matrix.os }}",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xc2\x85", b"\xe2\x80\xa8", b"\xed\xa0\x80", b"\xff",
)


def check(data: bytes, choice: int = 0) -> str:
    """``"ok"`` or ``"refused"``; raises on anything that is a bug."""
    codemod = CODEMODS[choice % len(CODEMODS)]
    try:
        source = Source.from_bytes(data, "fuzz.yml")
        workflow = load(source, require_mapping=choice % 2 == 0)
        results, change = plan_workflow(workflow, codemod)
        plan = Plan(changes=[change] if change else [], results=results, files=["fuzz.yml"], target=codemod.target)
        render_json.as_json(plan)
        report.plan_text(plan)
        report.summary(plan)
        if change is not None:
            assert change.diff
            again = load(Source.from_bytes(change.new_bytes, "fuzz.yml"), require_mapping=choice % 2 == 0)
            assert plan_workflow(again, codemod)[1] is None, "a second run changed the file again"
            if codemod.comments is not None and b"relane:" not in data:
                _rolls_back(source.text, change.new_text, codemod, choice % 2 == 0)
    except RelaneError as exc:
        if exc.exit_code != EXIT_ERROR:
            raise AssertionError(f"exit {exc.exit_code}: {exc}") from exc
        assert "\n" not in str(exc), f"error of more than one line: {exc}"
        return "refused"
    return "ok"


def _rolls_back(old: str, new: str, codemod: Retarget, require_mapping: bool) -> None:
    """Each migration records and reverses its own step: a second one moved
    over ``new`` and rolled back gives ``new``; ``codemod``'s rollback of
    ``new`` gives ``old``."""

    def run(text: str, step) -> str:
        workflow = load(Source("fuzz.yml", text), require_mapping=require_mapping)
        change = plan_workflow(workflow, step)[1]
        return text if change is None else change.new_text

    then = replace(THEN, selector=Selector.build(from_labels=list(codemod.to)))
    after = run(new, then)
    assert run(after, Rollback(THEN.to)) == new, "rolling back the second migration did not give the first's file"
    assert run(new, Rollback(codemod.to)) == old, "rolling back did not give the original file"


def mutate(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    """Apply ``ops`` (kind, position, amount) to ``data``: insert a token,
    delete a span, overwrite a byte, or copy a span elsewhere."""
    buf = bytearray(data)
    for kind, pos, amount in ops:
        at = pos % (len(buf) + 1)
        kind %= 4
        if kind == 0:
            buf[at:at] = TOKENS[amount % len(TOKENS)]
        elif kind == 1:
            del buf[at : at + amount % 40 + 1]
        elif kind == 2 and buf:
            buf[at % len(buf)] = amount % 256
        else:
            start = amount % (len(buf) + 1)
            buf[at:at] = buf[start : start + 60]
    return bytes(buf)
