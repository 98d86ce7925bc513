"""Migrations applied one after another to the same job: each records and
rolls back its own step. Rolling back the second gives back the file as the
first left it; rolling back the first then gives back the original."""

from __future__ import annotations

import pytest

SHAPES = {
    "scalar": "    # keep me\n    runs-on: old\n    steps: []\n",
    "block-list": "    runs-on:\n      - old # c1\n      - x # c2\n    steps: []\n",
    "flow-list": "    runs-on: [old,\n      x] # c\n    steps: []\n",
    "stale-notes": "    # NOTE: stale one\n    runs-on: old\n    # NOTE: stale two\n    steps: []\n",
    "group": "    runs-on:\n      group: g # c\n      labels: [old]\n    steps: []\n",
    # A tab before the comment after the key: the record starts with it.
    "tab-comment": "    runs-on:\t# c\n      - old\n      - x\n    steps: []\n",
}
OPTIONS = {
    "record": "",
    "comment": 'comment = "hard-dependency"\nref = "R"',
    "drop": 'drop-comment = ["stale"]',
    "comment-and-drop": 'comment = "hard-dependency"\nref = "R"\ndrop-comment = ["stale|relane"]',
}


@pytest.mark.parametrize("first", OPTIONS)
@pytest.mark.parametrize("second", OPTIONS)
@pytest.mark.parametrize("shape", SHAPES)
def test_each_migration_rolls_back_its_own_step(relane, repo, shape, first, second):
    text = "on: push\njobs:\n  build:\n" + SHAPES[shape]
    root = repo({"w.yml": text})
    path = root / ".github/workflows/w.yml"
    a, b = root / "a.toml", root / "b.toml"
    a.write_text(f'[migration.A]\nto = "mid"\nmove-groups = true\n{OPTIONS[first]}\n')
    b.write_text(f'[migration.B]\nfrom = ["mid"]\nto = "new"\nmove-groups = true\n{OPTIONS[second]}\n')

    assert relane("migrate", str(a), "--write").code == 0
    after_a = path.read_text()
    r = relane("migrate", str(b), "--write", "--format", "json")
    assert r.code == 0, r.err
    after_b = path.read_text()
    # One record line of B's own; A's block is kept inside B's record.
    assert [line.strip().split(" ")[2] for line in after_b.splitlines() if line.strip().startswith("# relane:")][:2] in (
        ["was", "dropped@0"], ["was-text", "dropped@0"])
    assert relane("migrate", str(b), "--check").code == 0
    r = relane("migrate", str(b), "--reverse", "--write")
    assert (r.code, r.err.splitlines()[0]) == (0, "B: changed 1 file of 1; 1 job moved back to their previous runs-on")
    assert path.read_text() == after_a
    assert relane("migrate", str(a), "--reverse", "--write").code == 0
    assert path.read_text() == text


def test_the_second_comment_names_the_label_it_moved_from(relane, repo):
    text = "on: push\njobs:\n  build:\n    runs-on: old\n"
    root = repo({"w.yml": text})
    a, b = root / "a.toml", root / "b.toml"
    a.write_text('[migration.A]\nto = "mid"\n')
    b.write_text('[migration.B]\nfrom = ["mid"]\nto = "new"\ncomment = "hard-dependency"\nref = "R"\n')
    assert relane("migrate", str(a), "--write").code == 0
    assert relane("migrate", str(b), "--write").code == 0
    assert (root / ".github/workflows/w.yml").read_text() == (
        "on: push\njobs:\n  build:\n"
        "    # relane: was mid\n"
        '    # relane: dropped@0 "    # relane: was old\\n"\n'
        "    # HARD DEPENDENCY (R): the label `new` must be advertised by at least one\n"
        "    # registered, online runner before this merges; otherwise this job queues\n"
        "    # indefinitely with zero eligible runners. It ran on `mid` before.\n"
        "    runs-on: new\n"
    )
