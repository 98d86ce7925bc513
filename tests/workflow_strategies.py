"""Hypothesis strategies: workflow files in the many textual styles people
write, each with what the generator knows about it.

A generated :class:`GenFile` is its text as pieces: ``fixed`` text that a
retarget must leave byte for byte, and each job's ``runs-on`` value (the
text after ``runs-on:``), which only a moved job may change. Every job
records whether relane may move it and its labels, so tests can tell which
jobs must move without asking relane.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hypothesis import strategies as st

EVENTS = ("push", "pull_request", "workflow_dispatch", "schedule", "release", "merge_group", "issue_comment")
LABELS = ("ubuntu-latest", "self-hosted", "linux", "x64", "gpu", "publish", "macos-14", "ARM64")
TARGETS = LABELS + ("yes", "1.0", "needs:", "[x]", "it's", 'say"hi"', "#hash", "null", "on", "-dash", "@at", "*star", "!bang")


@dataclass
class GenJob:
    id: str
    kind: str  # "static", "expression", "group", or a kind relane never moves
    labels: tuple[str, ...] = ()


@dataclass
class GenFile:
    name: str
    events: tuple[str, ...]
    pieces: list[tuple] = field(default_factory=list)  # ("fixed", text) | ("value", job id, text)
    jobs: list[GenJob] = field(default_factory=list)
    bom: bool = False

    @property
    def text(self) -> str:
        return "".join(p[-1] for p in self.pieces)

    @property
    def data(self) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.text.encode()


class _Writer:
    """Assembles pieces line by line with the file's line break, adding
    comments, blank lines and trailing spaces between and after lines.

    Those small choices come from one seeded ``random.Random`` rather than
    from a Hypothesis draw each: thousands of draws per file made
    generating cost ten times the test itself. Structure (jobs, forms,
    selections) is still drawn, so it shrinks.
    """

    def __init__(self, draw, nl: str, comments: float):
        self.draw = draw
        self.rng = random.Random(draw(st.integers(0, 2**32)))
        self.nl = nl
        self.comments = comments
        self.pieces: list[tuple] = []

    def fixed(self, text: str) -> None:
        if self.pieces and self.pieces[-1][0] == "fixed":
            self.pieces[-1] = ("fixed", self.pieces[-1][1] + text)
        else:
            self.pieces.append(("fixed", text))

    def value(self, job: str, text: str) -> None:
        self.pieces.append(("value", job, text))

    def maybe(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options):
        return self.rng.choice(options)

    def comment(self) -> str:
        return self.pick(["# c", "#", "# runs-on: old", "#: x", "# ${{ x }}", "#\tt", "# é ü"])

    def trailing(self, tab: bool = True) -> str:
        """An optional comment after a value on its line (inside a flow
        collection PyYAML takes no tab before it: ``tab=False``)."""
        if self.maybe(self.comments):
            return self.pick([" ", "  ", "\t" if tab else " "]) + self.comment()
        return self.pick(["", "", "", " "])

    def quoted(self, label: str) -> str:
        style = self.pick(["plain", "plain", "single", "double"])
        if style == "single":
            return "'" + label + "'"
        if style == "double":
            return '"' + label + '"'
        return label

    def between(self, indent: int) -> None:
        """Optional blank and comment lines between two lines."""
        while self.maybe(self.comments / 2):
            if self.maybe(0.3):
                self.fixed(self.pick(["", " ", "  "]) + self.nl)
            else:
                at = self.rng.randint(0, indent + 4)
                self.fixed(" " * at + self.comment() + self.nl)

    def line(self, indent: int, text: str, comment: bool = True) -> None:
        self.between(indent)
        self.fixed(" " * indent + text + (self.trailing() if comment else "") + self.nl)


def _key(w: _Writer, key: str) -> str:
    return w.pick([key, key, key, f'"{key}"', f"'{key}'"])


@st.composite
def workflow_files(draw, name: str = "ci.yml") -> GenFile:
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    unit = draw(st.sampled_from([2, 2, 4, 3, 1]))
    base = draw(st.sampled_from([0, 0, 0, 2]))
    w = _Writer(draw, nl, comments=draw(st.sampled_from([0.0, 0.2, 0.5])))
    events = tuple(draw(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=3, unique=True)))
    gen = GenFile(name, events, bom=draw(st.booleans()) and draw(st.booleans()))

    if w.maybe(0.2):
        w.fixed("---" + w.trailing() + nl)
    if w.maybe(0.5):
        w.line(base, "name: " + w.quoted(draw(st.sampled_from(["CI", "Build it", "ship"]))))
    _triggers(draw, w, base, unit, events)
    anchors = []
    if w.maybe(0.25):
        w.line(base, "x-runner: &runner " + w.quoted(draw(st.sampled_from(LABELS))))
        anchors.append("runner")
    if w.maybe(0.2):
        w.line(base, "x-defaults: &defaults", comment=False)
        w.line(base + unit, "runs-on: " + draw(st.sampled_from(LABELS)))
        w.line(base + unit, "timeout-minutes: 5")
        anchors.append("defaults")
    if w.maybe(0.3):
        w.line(base, "env: {A: 1, B: 'two'}")
    count = draw(st.integers(1, 5))
    if w.maybe(0.1):
        gen.jobs.extend(_flow_jobs(draw, w, base, unit, anchors, count))
    else:
        w.line(base, "jobs:")
        for i in range(count):
            gen.jobs.append(_job(draw, w, f"j{i}", base + unit, unit, anchors))
    w.between(base)
    if w.maybe(0.1):
        w.fixed("..." + nl)
    text_pieces = w.pieces
    if w.maybe(0.15):  # no line break at the end of the file
        last = text_pieces[-1]
        if last[0] == "fixed" and last[1].endswith(nl):
            text_pieces[-1] = ("fixed", last[1][: -len(nl)])
    gen.pieces = text_pieces
    return gen


def _triggers(draw, w: _Writer, base: int, unit: int, events: tuple[str, ...]) -> None:
    on = _key(w, "on")
    form = draw(st.sampled_from(["scalar", "flow", "block", "map"]))
    if form == "scalar" and len(events) == 1:
        w.line(base, f"{on}: {events[0]}")
    elif form == "flow":
        w.line(base, f"{on}: [" + ", ".join(events) + "]")
    elif form == "block":
        w.line(base, f"{on}:")
        for e in events:
            w.line(base + unit, f"- {e}")
    else:
        w.line(base, f"{on}:")
        for e in events:
            filt = draw(st.sampled_from(["", "branches", "types"]))
            if not filt:
                w.line(base + unit, f"{e}:")
            elif draw(st.booleans()):
                w.line(base + unit, f"{e}: {{{filt}: [main, 'v*']}}")
            else:
                w.line(base + unit, f"{e}:")
                w.line(base + 2 * unit, f"{filt}:")
                w.line(base + 2 * unit + draw(st.sampled_from([0, unit])), "- main")


def _flow_jobs(draw, w: _Writer, base: int, unit: int, anchors: list[str], count: int) -> list[GenJob]:
    """``jobs:`` as a flow mapping over several lines: a job a line, or
    several on one, and runs-on lists running onto the next job's line."""
    nl = w.nl
    jobs = []
    w.fixed(" " * base + "jobs: {" + w.trailing(tab=False) + nl + " " * (base + unit))
    for i in range(count):
        job = f"j{i}"
        if w.maybe(0.3):
            labels = _labels(draw)
            cont = " " * (base + 2 * unit)
            value, kind = " [" + ("," + nl + cont).join(w.quoted(label) for label in labels) + "]", "static"
        else:
            value, kind, labels = _flow_value(draw, w, anchors)
        w.fixed(f"{_key(w, job)}: {{{_key(w, 'runs-on')}:")
        w.value(job, value)
        w.fixed(", steps: []}")
        jobs.append(GenJob(job, kind, labels))
        if i + 1 < count:
            w.fixed(w.pick([", ", "," + w.trailing(tab=False) + nl + " " * (base + unit)]))
    w.fixed(nl + " " * base + "}" + w.trailing(tab=False) + nl)
    return jobs


def _job(draw, w: _Writer, job: str, indent: int, unit: int, anchors: list[str]) -> GenJob:
    key = _key(w, job)
    runs_on_key = _key(w, "runs-on")
    if draw(st.integers(0, 5)) == 0:
        # A flow mapping job on one line.
        value, kind, labels = _flow_value(draw, w, anchors)
        w.between(indent)
        w.fixed(" " * indent + f"{key}: {{name: {job}, {runs_on_key}:")
        w.value(job, value)
        w.fixed(", steps: [{run: echo}]}" + w.trailing() + w.nl)
        return GenJob(job, kind, labels)
    w.line(indent, f"{key}:")
    inner = indent + unit
    gen = GenJob(job, "absent")
    entries = draw(st.permutations(["runs-on", "name", "steps", "env", "if"]))
    if w.maybe(0.1) and "defaults" in anchors:
        w.line(inner, "<<: *defaults")
        gen = GenJob(job, "merged")
        entries = [e for e in entries if e != "runs-on"]
    for entry in entries:
        if entry == "runs-on":
            if w.maybe(0.08):
                w.line(inner, "uses: ./.github/workflows/reuse.yml")
                continue
            w.between(inner)
            if w.maybe(0.1):
                # An explicit key: "? runs-on", then the value after ":",
                # where a block list or mapping may start on the same line.
                w.fixed(" " * inner + "? " + runs_on_key + w.trailing() + w.nl)
                w.between(inner)
                w.fixed(" " * inner + ":")
                value, kind, labels = _explicit_value(draw, w, inner, unit, anchors)
            else:
                w.fixed(" " * inner + runs_on_key + ":")
                value, kind, labels = _block_value(draw, w, inner, unit, anchors)
            w.value(job, value)
            w.fixed(w.nl)
            gen = GenJob(job, kind, labels)
        elif entry == "name" and w.maybe(0.5):
            w.line(inner, "name: " + w.quoted("Job " + job))
        elif entry == "steps":
            w.line(inner, "steps:")
            step = inner + draw(st.sampled_from([0, unit]))
            for n in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    w.line(step, f"- run: echo {n}")
                else:
                    w.line(step, f"- name: step {n}")
                    w.line(step + 2, "run: |", comment=False)
                    w.fixed(" " * (step + 4) + "make" + w.nl + " " * (step + 4) + "# not a comment" + w.nl)
        elif entry == "env" and w.maybe(0.4):
            w.line(inner, "env:")
            w.line(inner + unit, "RUNNER: " + w.quoted(draw(st.sampled_from(LABELS))))
        elif entry == "if" and w.maybe(0.3):
            w.line(inner, "if: ${{ github.event_name == 'push' }}")
    return gen


def _explicit_value(draw, w: _Writer, indent: int, unit: int, anchors: list[str]) -> tuple[str, str, tuple[str, ...]]:
    """A runs-on value after an explicit key's ``:``: a compact block list
    or mapping starting on the ``:`` line, or any block value."""
    form = draw(st.sampled_from(["compact-list", "compact-list", "compact-group", "other"]))
    if form == "other":
        text, kind, labels = _block_value(draw, w, indent, unit, anchors)
        # libyaml takes no tab right after an explicit key's ":".
        return (" " + text[1:] if text.startswith("\t") else text), kind, labels
    nl = w.nl
    item = " " * (indent + 2)
    if form == "compact-group":
        return " group: big" + w.trailing() + nl + item + "labels: gpu" + w.trailing(), "group", ("gpu",)
    labels = _labels(draw)
    text = ""
    for n, label in enumerate(labels):
        if n:
            text += nl
            if w.maybe(w.comments / 2):
                text += item + w.comment() + nl
            text += item
        text += " - " if not n else "- "
        text += w.quoted(label) + w.trailing()
    return text, "static", labels


def _labels(draw) -> tuple[str, ...]:
    return tuple(draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True)))


def _flow_value(draw, w: _Writer, anchors: list[str], in_flow: bool = True) -> tuple[str, str, tuple[str, ...]]:
    """A runs-on value that fits inside a flow mapping: (text, kind, labels)."""
    form = draw(st.sampled_from(["scalar", "scalar", "list", "list", "expression", "alias"]))
    if form == "alias" and "runner" in anchors:
        return " *runner", "alias", ()
    if form == "expression":
        # A plain scalar holding { } cannot stand inside a flow collection.
        return (" '${{ matrix.os }}'" if in_flow else " ${{ matrix.os }}"), "expression", ()
    labels = _labels(draw)
    if form == "scalar":
        return " " + w.quoted(labels[0]), "static", labels[:1]
    sep = w.pick([", ", ",", " , "])
    pad = w.pick(["", " "])
    return " [" + pad + sep.join(w.quoted(label) for label in labels) + pad + "]", "static", labels


def _block_value(draw, w: _Writer, indent: int, unit: int, anchors: list[str]) -> tuple[str, str, tuple[str, ...]]:
    """A runs-on value in block context: the text after ``runs-on:`` up to
    (not including) the line break that ends it; (text, kind, labels)."""
    form = draw(st.sampled_from(["scalar", "scalar", "flow", "block", "block", "expression",
                                 "group", "anchor", "alias", "empty", "multiline", "mixed"]))
    nl = w.nl
    if form in ("scalar", "flow", "expression") or (form == "alias" and "runner" in anchors):
        if form == "alias":
            return " *runner" + w.trailing(), "alias", ()
        text, kind, labels = _flow_value(draw, w, [], in_flow=False)
        if form == "scalar" and kind == "static" and len(labels) > 1:
            labels = labels[:1]
            text = " " + w.quoted(labels[0])
        return text + w.trailing(), kind, labels
    if form == "anchor":
        label = draw(st.sampled_from(LABELS))
        return f" &lane-{w.rng.randrange(16**6):06x} {label}" + w.trailing(), "anchor", (label,)
    if form == "mixed":  # not a list of labels: never moved
        item = " " * (indent + unit)
        return nl + item + "- ${{ matrix.os }}" + nl + item + "- {k: v}", "unsupported", ()
    if form == "empty":
        return draw(st.sampled_from(["", " ", " ~", " null"])) + w.trailing(), "empty", ()
    if form == "multiline":
        labels = _labels(draw)
        inner = " " * (indent + unit)
        return " [" + ("," + nl + inner).join(labels) + "]", "static", labels
    if form == "group":
        if draw(st.booleans()):
            return " {group: big, labels: [gpu]}" + w.trailing(), "group", ("gpu",)
        inner = " " * (indent + unit)
        return w.trailing() + nl + inner + "group: big" + nl + inner + "labels: gpu", "group", ("gpu",)
    # A block list, items indented or not, comments among them, now and
    # then a label folded over two lines.
    labels = list(_labels(draw))
    item = " " * (indent + draw(st.sampled_from([0, unit, 2])))
    text = w.trailing()
    for n, label in enumerate(labels):
        text += nl
        if n and w.maybe(w.comments / 2):
            text += item + w.comment() + nl
        written = w.quoted(label)
        if w.maybe(0.1):
            written = written[:-1] + nl + item + "    more" + written[-1] if written[-1] in "'\"" else written + nl + item + "    more"
            labels[n] = label + " more"
        if w.maybe(0.05):  # the label on the line after its dash
            text += item + "-" + w.pick(["", " # why"]) + nl + item + "   " + written + w.trailing()
        else:
            text += item + "- " + written + w.trailing()
    return text, "static", tuple(labels)


@st.composite
def selections(draw, files: list[GenFile]) -> dict:
    """Options for a run: target labels and a random selection."""
    return {
        "to": tuple(draw(st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3, unique=True))),
        "from_labels": tuple(draw(st.lists(st.sampled_from(LABELS), max_size=2, unique=True))),
        "on": tuple(draw(st.lists(st.sampled_from(EVENTS), max_size=2, unique=True))),
        "not_on": tuple(draw(st.lists(st.sampled_from(EVENTS), max_size=1, unique=True))),
        "jobs": tuple(draw(st.lists(st.sampled_from(["*", "ci*:j[01]", "*:j2", "other", "wf1"]), max_size=2, unique=True))),
        "move_expressions": draw(st.booleans()),
        "move_groups": draw(st.booleans()),
    }


def expected_moves(files: list[GenFile], sel: dict) -> set[tuple[str, str]]:
    """(file name, job id) of every job the selection must move, worked out
    from what the generator knows, not from relane."""
    from fnmatch import fnmatchcase

    moves = set()
    for f in files:
        stem = f.name.rsplit(".", 1)[0]
        if sel["not_on"] and set(f.events) & set(sel["not_on"]):
            continue
        if sel["on"] and not set(f.events) & set(sel["on"]):
            continue
        for job in f.jobs:
            if sel["jobs"]:
                picked = False
                for pattern in sel["jobs"]:
                    wf, _, jp = pattern.partition(":")
                    if any(fnmatchcase(n, wf) for n in (f.name, stem)) and fnmatchcase(job.id, jp or "*"):
                        picked = True
                if not picked:
                    continue
            movable = (
                job.kind == "static"
                or (job.kind == "expression" and sel["move_expressions"])
                or (job.kind == "group" and sel["move_groups"])
            )
            if not movable:
                continue
            if sel["from_labels"] and not set(job.labels) & set(sel["from_labels"]):
                continue
            if job.kind == "static" and set(job.labels) == set(sel["to"]):
                continue
            moves.add((f.name, job.id))
    return moves
