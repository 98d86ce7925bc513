"""relane's record of a label map: every edit kind forward with its record,
a second run a no-op, the rollback byte for byte, a hand edit left alone."""

from __future__ import annotations

import pytest

from relane import Source, load
from relane.codemod import Outcome
from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import parse_maps
from relane.codemods.maprollback import MapRollback
from relane.engine import plan_workflow, run
from relane.read.files import discover

MAP = parse_maps(("ubuntu-20.04=ubuntu-24.04", "windows-2019=windows-2022"))
PATH = ".github/workflows/w.yml"


def job(block: str) -> str:
    return "on: push\njobs:\n  build:\n" + block + "    steps:\n      - run: make\n"


def forward(text: str, path: str = PATH) -> tuple[str, list]:
    results, change = plan_workflow(load(Source(path, text)), LabelMap(MAP, record=True))
    return (change.new_text if change else text), results


def backward(text: str, path: str = PATH) -> tuple[str, list]:
    results, change = plan_workflow(load(Source(path, text)), MapRollback())
    return (change.new_text if change else text), results


MATRIX = "    strategy:\n      matrix:\n"
CASES = {
    "scalar": (
        "    runs-on: ubuntu-20.04\n",
        '    # relane: map ["runs-on"] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n    runs-on: ubuntu-24.04\n',
    ),
    "flow-list-item": (
        '    runs-on: [self-hosted, "windows-2019"]\n',
        '    # relane: map ["runs-on",1] "\\"windows-2019\\""\n    # relane: now "\\"windows-2022\\""\n'
        '    runs-on: [self-hosted, "windows-2022"]\n',
    ),
    "block-list-item": (
        "    runs-on:\n      - self-hosted\n      - ubuntu-20.04 # os\n",
        '    # relane: map ["runs-on",1] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n'
        "    runs-on:\n      - self-hosted\n      - ubuntu-24.04 # os\n",
    ),
    "list-duplicate": (
        "    runs-on: [ubuntu-24.04, ubuntu-20.04]\n",
        '    # relane: map ["runs-on"] "[ubuntu-24.04, ubuntu-20.04]"\n    # relane: now "ubuntu-24.04"\n'
        "    runs-on: ubuntu-24.04\n",
    ),
    "matrix-axis": (
        MATRIX + "        os: [ubuntu-20.04, 'windows-2019', macos-14]\n    runs-on: ${{ matrix.os }}\n",
        MATRIX + "        os: [ubuntu-24.04, 'windows-2022', macos-14]\n"
        '    # relane: map ["strategy","matrix","os",0] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n'
        '    # relane: map ["strategy","matrix","os",1] "\'windows-2019\'"\n    # relane: now "\'windows-2022\'"\n'
        "    runs-on: ${{ matrix.os }}\n",
    ),
    "matrix-axis-duplicate-flow": (
        MATRIX + "        os: [ubuntu-20.04, ubuntu-24.04]\n    runs-on: ${{ matrix.os }}\n",
        MATRIX + "        os: [ubuntu-24.04]\n"
        '    # relane: gone ["strategy","matrix","os",0] "ubuntu-20.04, "\n'
        "    runs-on: ${{ matrix.os }}\n",
    ),
    "matrix-axis-duplicate-block": (
        MATRIX + "        os:\n          - ubuntu-24.04\n          - ubuntu-20.04  # old\n          - windows-2019\n"
        "    runs-on: ${{ matrix.os }}\n",
        MATRIX + "        os:\n          - ubuntu-24.04\n          - windows-2022\n"
        '    # relane: map ["strategy","matrix","os",1] "windows-2019"\n    # relane: now "windows-2022"\n'
        '    # relane: gone ["strategy","matrix","os",1] "          - ubuntu-20.04  # old\\n"\n'
        "    runs-on: ${{ matrix.os }}\n",
    ),
    "include-exclude-and-conditions": (
        MATRIX + "        os: [macos-14]\n        include:\n          - os: ubuntu-20.04\n"
        "        exclude:\n          - os: \"windows-2019\"\n    if: matrix.os != 'windows-2019'\n"
        "    runs-on: ${{ matrix.os }}\n",
        MATRIX + "        os: [macos-14]\n        include:\n          - os: ubuntu-24.04\n"
        "        exclude:\n          - os: \"windows-2022\"\n    if: matrix.os != 'windows-2022'\n"
        '    # relane: map ["strategy","matrix","include",0,"os"] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n'
        '    # relane: map ["strategy","matrix","exclude",0,"os"] "\\"windows-2019\\""\n'
        '    # relane: now "\\"windows-2022\\""\n'
        '    # relane: map ["if"] "matrix.os != \'windows-2019\'"\n    # relane: now "matrix.os != \'windows-2022\'"\n'
        "    runs-on: ${{ matrix.os }}\n",
    ),
}


@pytest.mark.parametrize("before, after", CASES.values(), ids=CASES.keys())
def test_record_forward_again_and_back(before, after):
    text = job(before)
    new, results = forward(text)
    assert new == job(after)
    assert [r.outcome for r in results] == [Outcome.MOVED]
    again, results = forward(new)
    assert again == new  # a second run: no second record
    assert [r.outcome for r in results] == [Outcome.ALREADY]
    back, results = backward(new)
    assert back == text
    assert [r.outcome for r in results] == [Outcome.MOVED]
    # The report says where runs-on goes: what it reads now, what it will read.
    now, was = (load(Source(PATH, t)).jobs[0].runs_on.data for t in (new, text))
    assert [(r.before, r.after) for r in results] == [(now, was)]


def test_step_condition_and_long_values_go_on_plus_lines():
    cond = "matrix.os == 'ubuntu-20.04' && github.event_name == 'push' && github.ref == 'refs/heads/main' || false"
    text = (
        "on: push\njobs:\n  build:\n" + MATRIX + "        os: [ubuntu-20.04]\n    runs-on: ${{ matrix.os }}\n"
        f"    steps:\n      - if: >-\n          {cond}\n        run: make\n"
    )
    new, _ = forward(text)
    assert '    # relane: + "' in new
    assert all(len(line) <= 88 or "relane: " not in line for line in new.splitlines())
    assert forward(new)[0] == new
    assert backward(new)[0] == text


def test_a_hand_edit_since_is_left_alone_as_changed():
    text = job(MATRIX + "        os: [ubuntu-20.04, windows-2019]\n    runs-on: ${{ matrix.os }}\n")
    new, _ = forward(text)
    edited = new.replace("windows-2022]", "windows-2025]")
    back, results = backward(edited)
    assert back == edited
    assert [(r.outcome, str(r.code)) for r in results] == [(Outcome.SKIPPED, "changed")]
    assert "strategy/matrix/os/1 no longer reads windows-2022" in results[0].reason


def test_no_record_no_rollback():
    text = job("    runs-on: ubuntu-24.04\n")
    back, results = backward(text)
    assert back == text
    assert [r.outcome for r in results] == [Outcome.EXCLUDED]


def test_edits_outside_the_job_are_refused_with_a_record():
    text = (
        "on:\n  workflow_call:\n    inputs:\n      os:\n        default: ubuntu-20.04\n"
        "jobs:\n  build:\n    runs-on: ${{ inputs.os }}\n    steps:\n      - run: make\n"
    )
    new, results = forward(text)
    assert new == text
    assert [(r.outcome, str(r.code)) for r in results] == [(Outcome.SKIPPED, "unrecorded")]
    assert "edits outside the job" in results[0].reason


def test_a_callers_with_values_are_recorded_in_the_caller(tmp_path):
    called = "on:\n  workflow_call:\n    inputs:\n      os:\n        type: string\n"
    text = "on: push\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n    with:\n      os: ubuntu-20.04\n"
    root = tmp_path
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/called.yml").write_text(
        called + "jobs:\n  b:\n    runs-on: ${{ inputs.os }}\n    steps:\n      - run: x\n"
    )
    (root / ".github/workflows/caller.yml").write_text(text)
    plan = run(LabelMap(MAP, record=True), discover([root]))
    for c in plan.changes:
        (root / c.path).write_bytes(c.new_bytes)
    caller = (root / ".github/workflows/caller.yml").read_text()
    assert '    # relane: map ["with","os"] "ubuntu-20.04"\n' in caller
    assert not run(LabelMap(MAP, record=True), discover([root])).changes
    back = run(MapRollback(), discover([root]))
    assert [c.new_bytes.decode() for c in back.changes] == [text]


COMMENTED = (
    "on: push\njobs:\n  build:\n"
    '    # relane: map ["runs-on"] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n'
    "    # Moved from ubuntu-20.04 to ubuntu-24.04 (ops#7).\n"
    "    runs-on: ubuntu-24.04\n    steps:\n      - run: make\n"
)


def test_comment_with_map_goes_below_the_record(relane, repo, tmp_path):
    text = job("    runs-on: ubuntu-20.04\n")
    root = repo({"ci.yml": text})
    (tmp_path / "note.txt").write_text("Moved from {previous} to {label} ({ref}).\n")
    path = root / ".github/workflows/ci.yml"
    args = ("--map", "ubuntu-20.04=ubuntu-24.04", "--comment", str(tmp_path / "note.txt"), "--ref", "ops#7")
    r = relane("retarget", str(root), *args, "--write", "-q")
    assert r.code == 0, r.err
    assert path.read_text() == COMMENTED
    assert relane("retarget", str(root), *args, "--check").code == 0
    # A spec takes the same comment, and its rollback removes it with the record.
    spec = root / "relane.toml"
    spec.write_text('[migration.m]\nmap = { "ubuntu-20.04" = "ubuntu-24.04" }\ncomment = "note.txt"\nref = "ops#7"\n')
    (root / "note.txt").write_text("Moved from {previous} to {label} ({ref}).\n")
    assert relane("migrate", str(spec), "--check").code == 0
    r = relane("migrate", str(spec), "--reverse", "--write", "-q")
    assert r.code == 0, r.err
    assert path.read_text() == text
    assert relane("migrate", str(spec), "--write", "-q").code == 0
    assert path.read_text() == COMMENTED


def test_a_removal_the_record_cannot_give_back_is_refused():
    # The removed last item had a comment above it: put back after the kept
    # item it would land above that comment, so the job is not mapped.
    text = job(
        MATRIX + "        os:\n          - ubuntu-24.04\n          # the old one\n          - ubuntu-20.04\n"
        "    runs-on: ${{ matrix.os }}\n"
    )
    new, results = forward(text)
    assert new == text
    assert [(r.outcome, str(r.code)) for r in results] == [(Outcome.SKIPPED, "unrecorded")]
    assert "would not give this job back byte for byte" in results[0].reason


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_between_the_record_and_its_key_keep_it_found(newline):
    """A blank line a user put between relane's map record and runs-on
    hid the record: the job read as never mapped (no rollback, and a
    second map was not refused). The record is found across blank lines,
    and its rollback leaves them."""
    nl = lambda text: text.replace("\n", newline)  # noqa: E731
    text = nl(job("    runs-on: ubuntu-20.04\n"))
    new, _ = forward(text)
    edited = new.replace(nl("    runs-on: ubuntu-24.04\n"), nl("\n    runs-on: ubuntu-24.04\n"))
    assert forward(edited)[0] == edited
    back, results = backward(edited)
    assert [r.outcome for r in results] == [Outcome.MOVED]
    assert back == text.replace(nl("    runs-on:"), nl("\n    runs-on:"))
    # A comment of the user's below the blank line is never taken for the record.
    mine = new.replace(nl("    runs-on: ubuntu-24.04\n"), nl("\n    # mine\n    runs-on: ubuntu-24.04\n"))
    assert backward(mine) == (mine, backward(mine)[1])
    assert [r.outcome for r in backward(mine)[1]] == [Outcome.EXCLUDED]


def test_a_retarget_record_with_plus_lines_is_not_a_map_record(relane, repo):
    """A retarget record long enough to go on over ``+`` lines was read as
    an unreadable map record: a map rollback reported the job as changed
    since relane mapped it, though no map ever touched it."""
    text = (
        "on: push\njobs:\n  a:\n    runs-on:\n      - self-hosted\n      - " + "x" * 60 + "\n      - " + "y" * 60
        + "\n    steps: []\n"
    )
    root = repo({"w.yml": text})
    (root / "mv.toml").write_text('[migration.mv]\nto = "pub"\n')
    (root / "map.toml").write_text('[migration.retire]\nmap = ["ubuntu-20.04=ubuntu-22.04"]\n')
    assert relane("migrate", str(root / "mv.toml"), "--write").code == 0
    moved = (root / PATH).read_text()
    assert "    # relane: + " in moved
    r = relane("migrate", str(root / "map.toml"), "--reverse", "--format", "text")
    assert r.code == 0, r.err
    assert r.out == "== migration retire\nexcluded  .github/workflows/w.yml:3  a  carries no relane map record\n"
    assert relane("migrate", str(root / "mv.toml"), "--reverse", "--write").code == 0
    assert (root / PATH).read_text() == text


def test_a_map_rollback_leaves_a_later_retarget_record_below_it(relane, repo):
    """A retarget after a map writes its block between the map record and
    runs-on. Rolling the map back removed that block too (the map record
    ran down to runs-on), so the retarget could no longer be rolled back;
    now the map record ends where relane's retarget record begins."""
    text = (
        "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        os: [ubuntu-20.04]\n"
        "    runs-on: ${{ matrix.os }}\n    steps: []\n"
    )
    root = repo({"w.yml": text})
    (root / "map.toml").write_text('[migration.retire]\nmap = ["ubuntu-20.04=ubuntu-22.04"]\n')
    (root / "mv.toml").write_text('[migration.mv]\nto = "pub"\nmove-expressions = true\ncomment = "hard-dependency"\n')
    assert relane("migrate", str(root / "map.toml"), "--write").code == 0
    assert relane("migrate", str(root / "mv.toml"), "--write").code == 0
    both = (root / PATH).read_text()
    start = both.index("    # relane: was ")
    assert both.index("    # relane: map ") < start
    r = relane("migrate", str(root / "map.toml"), "--reverse", "--write")
    assert r.code == 0, r.err
    assert (root / PATH).read_text() == text.replace("    runs-on: ${{ matrix.os }}\n", both[start:both.index("    steps:")])
    r = relane("migrate", str(root / "mv.toml"), "--reverse", "--write")
    assert r.code == 0, r.err
    assert (root / PATH).read_text() == text
