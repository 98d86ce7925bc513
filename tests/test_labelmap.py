"""``retarget --map``: label maps through runs-on, matrices and conditions, as exact text.

Each case maps one workflow and compares the output byte for byte; every
case also checks that a second run changes nothing and that the output
reads, to ruamel.yaml (an independent YAML 1.2 parser), as the input with
only the mapped scalars changed.
"""

from __future__ import annotations

import json

import pytest

import yaml12
from relane import Source, load
from relane.codemod import Outcome
from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import parse_maps, retired
from relane.engine import plan_workflow

MAP = ("ubuntu-20.04=ubuntu-24.04", "windows-2019=windows-2022")


def remap(text: str, *maps: str, path: str = ".github/workflows/w.yml") -> tuple[str, list]:
    codemod = LabelMap(parse_maps(maps or MAP))
    workflow = load(Source(path, text))
    results, change = plan_workflow(workflow, codemod)
    new = change.new_text if change else text
    moved = [r for r in results if r.outcome is Outcome.MOVED]
    assert bool(moved) == (change is not None)
    if change is not None:
        assert yaml12.read(new.encode())[0] != yaml12.read(text.encode())[0]
    again, change2 = plan_workflow(load(Source(path, new)), codemod)
    assert change2 is None, change2.diff
    assert all(r.outcome is not Outcome.MOVED for r in again)
    return new, results


def job(block: str) -> str:
    return "on: push\njobs:\n  build:\n" + block


CASES = [
    ("scalar", "    runs-on: ubuntu-20.04\n", "    runs-on: ubuntu-24.04\n"),
    ("quoted", "    runs-on: 'ubuntu-20.04'  # keep\n", "    runs-on: 'ubuntu-24.04'  # keep\n"),
    ("case-insensitive", "    runs-on: Ubuntu-20.04\n", "    runs-on: ubuntu-24.04\n"),
    ("flow-list", '    runs-on: [self-hosted, "windows-2019"]\n', '    runs-on: [self-hosted, "windows-2022"]\n'),
    (
        "block-list",
        "    runs-on:\n      - self-hosted\n      - ubuntu-20.04 # os\n",
        "    runs-on:\n      - self-hosted\n      - ubuntu-24.04 # os\n",
    ),
    ("list-duplicate", "    runs-on: [ubuntu-24.04, ubuntu-20.04]\n", "    runs-on: ubuntu-24.04\n"),
    (
        "matrix-axis",
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, 'windows-2019', macos-14]\n    runs-on: ${{ matrix.os }}\n",
        "    strategy:\n      matrix:\n        os: [ubuntu-24.04, 'windows-2022', macos-14]\n    runs-on: ${{ matrix.os }}\n",
    ),
    (
        "matrix-block-axis-include-exclude",
        "    strategy:\n      matrix:\n        os:\n          - ubuntu-20.04\n          - windows-2019\n        py: ['3.9', '3.12']\n"
        "        include:\n          - os: windows-2019\n            arch: x86\n        exclude:\n          - os: \"ubuntu-20.04\"\n            py: '3.9'\n"
        "    runs-on: ${{ matrix.os }}\n",
        "    strategy:\n      matrix:\n        os:\n          - ubuntu-24.04\n          - windows-2022\n        py: ['3.9', '3.12']\n"
        "        include:\n          - os: windows-2022\n            arch: x86\n        exclude:\n          - os: \"ubuntu-24.04\"\n            py: '3.9'\n"
        "    runs-on: ${{ matrix.os }}\n",
    ),
    (
        "matrix-include-only",
        "    strategy:\n      matrix:\n        include:\n          - {os: ubuntu-20.04, name: linux}\n          - {os: macos-14, name: mac}\n    runs-on: ${{matrix.os}}\n",
        "    strategy:\n      matrix:\n        include:\n          - {os: ubuntu-24.04, name: linux}\n          - {os: macos-14, name: mac}\n    runs-on: ${{matrix.os}}\n",
    ),
    (
        "matrix-sub-key",
        "    strategy:\n      matrix:\n        cfg:\n          - {runner: windows-2019, name: win}\n          - runner: ubuntu-22.04\n    runs-on: ${{ matrix.cfg.runner }}\n",
        "    strategy:\n      matrix:\n        cfg:\n          - {runner: windows-2022, name: win}\n          - runner: ubuntu-22.04\n    runs-on: ${{ matrix.cfg.runner }}\n",
    ),
    (
        "matrix-list-of-labels",
        "    strategy:\n      matrix:\n        runner: [[self-hosted, ubuntu-20.04], [windows-2019]]\n    runs-on: ${{ matrix.runner }}\n",
        "    strategy:\n      matrix:\n        runner: [[self-hosted, ubuntu-24.04], [windows-2022]]\n    runs-on: ${{ matrix.runner }}\n",
    ),
    (
        "matrix-duplicate-flow",
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-24.04]\n    runs-on: ${{ matrix.os }}\n",
        "    strategy:\n      matrix:\n        os: [ubuntu-24.04]\n    runs-on: ${{ matrix.os }}\n",
    ),
    (
        "matrix-duplicate-block",
        "    strategy:\n      matrix:\n        os:\n          - ubuntu-24.04\n          - ubuntu-20.04  # old\n          - windows-2019\n    runs-on: ${{ matrix.os }}\n",
        "    strategy:\n      matrix:\n        os:\n          - ubuntu-24.04\n          - windows-2022\n    runs-on: ${{ matrix.os }}\n",
    ),
    (
        "conditions",
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, windows-2019]\n    runs-on: ${{ matrix.os }}\n    steps:\n"
        "      - if: matrix.os == 'ubuntu-20.04'\n        run: a\n"
        "      - if: ${{ \"windows-2019\" != matrix.os }}\n        run: b\n"
        "      - if: \"'windows-2019' == matrix.os && github.event_name == 'push'\"\n        run: c\n"
        "      - if: 'matrix.os == ''ubuntu-20.04'''\n        run: d\n"
        "      - if: |\n          matrix.os == 'windows-2019' ||\n          matrix.os == 'macos-14'\n        run: e\n"
        "      - if: matrix.os == 'macos-14'\n        run: f\n",
        "    strategy:\n      matrix:\n        os: [ubuntu-24.04, windows-2022]\n    runs-on: ${{ matrix.os }}\n    steps:\n"
        "      - if: matrix.os == 'ubuntu-24.04'\n        run: a\n"
        "      - if: ${{ \"windows-2022\" != matrix.os }}\n        run: b\n"
        "      - if: \"'windows-2022' == matrix.os && github.event_name == 'push'\"\n        run: c\n"
        "      - if: 'matrix.os == ''ubuntu-24.04'''\n        run: d\n"
        "      - if: |\n          matrix.os == 'windows-2022' ||\n          matrix.os == 'macos-14'\n        run: e\n"
        "      - if: matrix.os == 'macos-14'\n        run: f\n",
    ),
]


@pytest.mark.parametrize("before, after", [(b, a) for _, b, a in CASES], ids=[c[0] for c in CASES])
def test_map_forms(before, after):
    new, results = remap(job(before))
    assert new == job(after)
    assert [r.outcome for r in results] == [Outcome.MOVED]


SKIPS = [
    ("from-json", "    strategy:\n      matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}\n    runs-on: ${{ matrix.os }}\n", "matrix-expression"),
    ("axis-expression", "    strategy:\n      matrix:\n        os: ${{ fromJSON(inputs.oses) }}\n    runs-on: ${{ matrix.os }}\n", "matrix-expression"),
    ("assembled", "    strategy:\n      matrix:\n        v: ['20.04']\n    runs-on: ubuntu-${{ matrix.v }}\n", "assembled"),
    ("ternary", "    runs-on: ${{ github.ref == 'refs/heads/main' && 'ubuntu-20.04' || 'ubuntu-22.04' }}\n", "ternary"),
    ("alias", "    strategy:\n      matrix:\n        os: &oses [ubuntu-20.04]\n        other: *oses\n    runs-on: ${{ matrix.os }}\n", "alias"),
    ("merge-key", "    strategy:\n      matrix:\n        include:\n          - <<: {os: ubuntu-20.04}\n    runs-on: ${{ matrix.os }}\n", "merged"),
    ("runs-on-alias", "    runs-on: &r ubuntu-20.04\n  other:\n    runs-on: *r\n", "anchor"),
    ("no-matrix", "    runs-on: ${{ matrix.os }}\n", "no-matrix"),
    ("other-expression", "    runs-on: ${{ vars.RUNNER }}\n", "expression"),
    ("remote-reusable", "    uses: octo/ci/.github/workflows/build.yml@v1\n", "reusable-remote"),
]


@pytest.mark.parametrize("block, code", [(b, c) for _, b, c in SKIPS], ids=[c[0] for c in SKIPS])
def test_what_is_not_followed_is_reported(block, code):
    text = job(block)
    new, results = remap(text)
    assert new == text
    assert results[0].outcome is Outcome.SKIPPED
    assert results[0].code == code
    assert results[0].reason


def test_gitea_compares_labels_exactly():
    text = job("    runs-on: Ubuntu-20.04\n  b:\n    runs-on: ubuntu-20.04\n")
    new, results = remap(text, path=".gitea/workflows/w.yml")
    assert new == job("    runs-on: Ubuntu-20.04\n  b:\n    runs-on: ubuntu-24.04\n")
    assert [(r.outcome, r.code) for r in results] == [(Outcome.EXCLUDED, "unmapped"), (Outcome.MOVED, "moved")]


def test_warnings_name_other_uses_of_the_matrix_value():
    text = job(
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-24.04]\n    runs-on: ${{ matrix.os }}\n    steps:\n"
        "      - uses: actions/cache@v4\n        with:\n          key: deps-${{ matrix.os }}-${{ hashFiles('x') }}\n"
        "      - if: startsWith(matrix.os, 'ubuntu')\n        run: a\n"
        "      - if: matrix.os == 'ubuntu-20.04'\n        run: b\n"
    )
    new, results = remap(text)
    assert new == text.replace("[ubuntu-20.04, ubuntu-24.04]", "[ubuntu-24.04]").replace("== 'ubuntu-20.04'", "== 'ubuntu-24.04'")
    shown = [(w.code, w.line, w.text) for w in results[0].warnings]
    assert shown == [
        ("duplicate-removed", 6, "removed ubuntu-20.04 from the matrix axis os: it maps to ubuntu-24.04, already listed there"),
        ("matrix-use", 11, "steps[0].with.key reads matrix.os, whose values change (ubuntu-20.04 -> ubuntu-24.04)"),
        ("matrix-use", 12, "steps[1].if reads matrix.os, whose values change (ubuntu-20.04 -> ubuntu-24.04)"),
    ]
    assert results[0].reason == "mapped ubuntu-20.04 -> ubuntu-24.04 in the matrix axis os, 1 condition"


def test_retired_table_reports_architecture_change():
    table = retired()
    assert {r.label for r in table.rows} >= {"ubuntu-20.04", "windows-2019", "macos-12", "macos-13"}
    for row in table.rows:
        assert row.date and row.source.startswith("https://") and row.architecture
    codemod = LabelMap(parse_maps(["@retired"]))
    workflow = load(Source(".github/workflows/w.yml", job("    runs-on: macos-13\n")))
    results, change = plan_workflow(workflow, codemod)
    assert change.new_text == job("    runs-on: macos-15\n")
    assert [(w.code, w.text) for w in results[0].warnings] == [
        ("architecture", "macos-13 -> macos-15 changes the architecture from x64 to arm64 (macos-15-intel keeps x64 until August 2027)")
    ]


def test_user_table(tmp_path):
    table = tmp_path / "labels.toml"
    table.write_text('[[label]]\nlabel = "old-lane"\nreplacement = "new-lane"\n')
    got = parse_maps([str(table), "a=b"])
    assert got.pairs == (("old-lane", "new-lane"), ("a", "b"))


@pytest.mark.parametrize(
    "args, message",
    [
        (("--map", "ubuntu-20.04"), "--map 'ubuntu-20.04': expected OLD=NEW, @retired or a FILE.toml"),
        (("--map", "=x"), "--map '=x': empty old label"),
        (("--map", "x="), "--map 'x=': empty new label"),
        (("--map", "x=x"), "--map x=x: the label maps to itself"),
        (("--map", "x=y", "--to", "z"), "--map and --to cannot be used together"),
        (("--map", "x=y", "--map", "x=z"), "--map: x maps to both y and z"),
        (("--map", "x=y", "--map", "y=z"), "--map: x=y and y=z chain; map each label straight to its final name"),
        (("--map", "x=y", "--comment", "hard-dependency"), "--map does not take the comment options (--comment, --ref, --note, --comment-width, --drop-comment)"),
        (("--map", "@nope"), "--map @nope: unknown table (known: @retired)"),
    ],
)
def test_bad_maps_are_one_line_and_exit_2(args, message, relane, repo):
    root = repo({"ci.yml": job("    runs-on: x\n")})
    r = relane("retarget", str(root), *args, "--write")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")
    assert (root / ".github/workflows/ci.yml").read_text() == job("    runs-on: x\n")


def test_cli_map_with_selectors(relane, repo):
    root = repo(
        {
            "ci.yml": "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-20.04\n",
            "ship.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-20.04\n  b:\n    runs-on: windows-2019\n",
        }
    )
    r = relane("retarget", str(root), "--map", "ubuntu-20.04=ubuntu-24.04", "--map", "windows-2019=windows-2025",
               "--not-on", "@pr", "--from", "windows-2019", "--format", "json")
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert [(j["workflow"][-8:], j["job"], j["outcome"], j["code"]) for j in report["jobs"]] == [
        ("s/ci.yml", "a", "excluded", "trigger"),
        ("ship.yml", "a", "excluded", "label"),
        ("ship.yml", "b", "moved", "moved"),
    ]
    assert report["target"] == "mapped labels (ubuntu-20.04=ubuntu-24.04, windows-2019=windows-2025)"


def test_from_to_replaces_in_the_matrix(relane, repo):
    text = (
        "on: push\njobs:\n  m:\n    strategy:\n      matrix:\n        os: [ubuntu-22.04, windows-2019]\n"
        "    runs-on: ${{ matrix.os }}\n    steps:\n      - if: matrix.os == 'windows-2019'\n        run: x\n"
        "  l:\n    runs-on: windows-2019\n  o:\n    strategy:\n      matrix:\n        os: [macos-14]\n    runs-on: ${{ matrix.os }}\n"
    )
    root = repo({"ci.yml": text})
    r = relane("retarget", str(root), "--from", "windows-2019", "--to", "windows-2025", "--write", "--format", "text")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/ci.yml").read_text() == text.replace("windows-2019", "windows-2025")
    lines = [line.split()[:3] for line in r.out.splitlines()]
    assert ["moved", ".github/workflows/ci.yml:3", "m"] in lines
    assert ["moved", ".github/workflows/ci.yml:11", "l"] in lines
    assert ["excluded", ".github/workflows/ci.yml:13", "o"] in lines
    # --move-expressions keeps its meaning: the expression itself is replaced.
    root2 = repo({"ci.yml": text}, folder="other/.github/workflows")
    r = relane("retarget", str(root2 / "other"), "--job", "ci:m", "--to", "w", "--move-expressions")
    assert "-    runs-on: ${{ matrix.os }}\n+    runs-on: w\n" in r.out


README_CI = """on: [push, pull_request]
jobs:
  lint:
    runs-on: ubuntu-20.04
    steps:
      - run: make lint
  test:
    strategy:
      matrix:
        os: [ubuntu-20.04, ubuntu-24.04, windows-2019]
        python: ["3.9", "3.12"]
        exclude:
          - os: windows-2019
            python: "3.9"
    runs-on: ${{ matrix.os }}
    steps:
      - if: matrix.os == 'ubuntu-20.04'
        run: sudo apt-get install -y libfoo-dev
      - uses: actions/upload-artifact@v4
        with:
          name: wheels-${{ matrix.os }}-${{ matrix.python }}
"""


def test_readme_walkthrough_is_what_relane_prints(relane, repo, monkeypatch):
    """The README's retirement walkthrough: each line shown is printed as shown."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme[readme.index("## Retired runner labels") : readme.index("## Comments in the moved jobs")]
    blocks = re.findall(r"```(?:console|diff|text)\n(.*?)```", section, re.S)
    root = repo({"ci.yml": README_CI})
    monkeypatch.chdir(root)
    listed = relane("ls", "--retired")
    assert listed.code == 1
    assert blocks[0] == "$ relane ls --retired\n" + listed.out + listed.err
    mapped = relane("retarget", "--map", "@retired")
    assert blocks[1] == "$ relane retarget --map @retired\n"
    assert blocks[2] in mapped.out
    assert blocks[3] == mapped.err


CALLED = """on:
  workflow_call:
    inputs:
      runner: {type: string, default: ubuntu-20.04}
  workflow_dispatch:
    inputs:
      runner:
        type: choice
        default: "ubuntu-20.04"
        options: [ubuntu-20.04, windows-2019, ubuntu-24.04]
jobs:
  build:
    runs-on: ${{ inputs.runner }}
"""
CALLER = """on: push
jobs:
  linux:
    uses: ./.github/workflows/build.yml
    with:
      runner: 'ubuntu-20.04'
  expr:
    uses: ./.github/workflows/build.yml
    with: {runner: "${{ matrix.os }}"}
  plain:
    uses: ./.github/workflows/build.yml
  missing:
    uses: ./.github/workflows/nope.yml
  remote:
    uses: octo/ci/.github/workflows/build.yml@v1
"""


def test_inputs_of_reusable_and_dispatched_workflows(relane, repo):
    root = repo({"build.yml": CALLED, "ci.yml": CALLER})
    r = relane("retarget", str(root), "--map", "@retired", "--write", "--format", "json")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/build.yml").read_text() == CALLED.replace(
        "default: ubuntu-20.04", "default: ubuntu-24.04"
    ).replace('"ubuntu-20.04"', '"ubuntu-24.04"').replace(
        "[ubuntu-20.04, windows-2019, ubuntu-24.04]", "[windows-2022, ubuntu-24.04]"
    )
    assert (root / ".github/workflows/ci.yml").read_text() == CALLER.replace("'ubuntu-20.04'", "'ubuntu-24.04'")
    jobs = {j["job"]: (j["outcome"], j["code"], j["reason"]) for j in json.loads(r.out)["jobs"]}
    assert jobs["build"][:2] == ("moved", "moved")
    assert jobs["linux"] == ("moved", "moved", "mapped ubuntu-20.04 -> ubuntu-24.04 in with.runner passed to ./.github/workflows/build.yml")
    assert jobs["expr"][:2] == ("skipped", "expression")
    assert jobs["plain"][:2] == ("skipped", "no-value")
    assert jobs["missing"][:2] == ("skipped", "reusable")
    assert jobs["remote"][:2] == ("skipped", "reusable-remote")
    again = relane("retarget", str(root), "--map", "@retired", "--check")
    assert again.code == 0, again.out


def test_other_sub_keys_of_the_matrix_value_are_not_warned_about():
    text = job(
        "    strategy:\n      matrix:\n        platform:\n          - {runs-on: windows-2019, arch: x64}\n"
        "    runs-on: ${{ matrix.platform.runs-on }}\n    name: build ${{ matrix.platform.arch }}\n"
        "    steps:\n      - run: echo ${{ matrix.platform.runs-on }}\n"
    )
    new, results = remap(text)
    assert new == text.replace("runs-on: windows-2019", "runs-on: windows-2022")
    assert [(w.code, w.line) for w in results[0].warnings] == [("matrix-use", 11)]


def test_markdown_report_of_a_map_names_the_labels_to_serve(relane, repo):
    root = repo({"ci.yml": job("    runs-on: ubuntu-20.04\n  w:\n    runs-on: windows-2019\n")})
    r = relane("retarget", str(root), "--map", "ubuntu-20.04=lane-a", "--map", "windows-2019=windows-2025", "--format", "markdown")
    assert r.code == 0, r.err
    assert "Do not merge until the label `lane-a` is advertised by a registered, online runner." in r.out
    assert "`relane guard --label lane-a` exits 0 only once each is served." in r.out
    assert "| `.github/workflows/ci.yml` | `w` | `windows-2025` |" in r.out
    hosted_only = relane("retarget", str(root), "--map", "@retired", "--format", "markdown")
    assert "Merge precondition" not in hosted_only.out
