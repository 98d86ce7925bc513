"""``retarget --map`` edges: several labels of one list mapping onto one,
readings of a matrix value outside conditions, anchors, Gitea reasons,
include and exclude entries of a merged value, maps of a label's case."""

from __future__ import annotations

import json

import pytest

from relane import Source, load
from relane.codemod import Outcome
from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import parse_maps, retired
from relane.engine import plan_workflow
from test_labelmap import job, remap
from test_labelmap_record import backward

TWO_ONTO_ONE = ("ubuntu-20.04=ubuntu-24.04", "ubuntu-22.04=ubuntu-24.04")


@pytest.mark.parametrize(
    "before, after",
    [
        ("[ubuntu-20.04, ubuntu-22.04, ubuntu-24.04]", "[ubuntu-24.04]"),
        ("[ubuntu-20.04, ubuntu-22.04, macos-14, ubuntu-24.04]", "[macos-14, ubuntu-24.04]"),
        ("[ubuntu-20.04, macos-14, ubuntu-22.04, ubuntu-24.04]", "[macos-14, ubuntu-24.04]"),
        ("[ubuntu-24.04, ubuntu-20.04, ubuntu-22.04]", "[ubuntu-24.04]"),
        ("[ubuntu-20.04, ubuntu-22.04]", "[ubuntu-24.04]"),
        ("['ubuntu-20.04',  'ubuntu-22.04',  'ubuntu-24.04']", "['ubuntu-24.04']"),
    ],
)
def test_two_leading_axis_items_mapping_onto_a_listed_label_are_both_removed(before, after):
    # Two items at the head of a flow list, each mapping onto a label the
    # list holds: both are removed (relane stopped with an internal error).
    text = job(f"    strategy:\n      matrix:\n        os: {before}\n    runs-on: ${{{{ matrix.os }}}}\n")
    new, results = remap(text, *TWO_ONTO_ONE)
    assert new == job(f"    strategy:\n      matrix:\n        os: {after}\n    runs-on: ${{{{ matrix.os }}}}\n")
    assert [r.outcome for r in results] == [Outcome.MOVED]


def test_choice_options_mapping_onto_a_listed_label_are_both_removed():
    text = (
        "on:\n  workflow_dispatch:\n    inputs:\n      runner:\n        type: choice\n"
        "        options: [ubuntu-20.04, ubuntu-22.04, ubuntu-24.04]\n        default: ubuntu-20.04\n"
        "jobs:\n  build:\n    runs-on: ${{ inputs.runner }}\n"
    )
    new, results = remap(text, *TWO_ONTO_ONE)
    assert new == text.replace("[ubuntu-20.04, ubuntu-22.04, ubuntu-24.04]", "[ubuntu-24.04]").replace(
        "default: ubuntu-20.04", "default: ubuntu-24.04"
    )
    assert [r.outcome for r in results] == [Outcome.MOVED]


def test_two_leading_items_removed_are_recorded_and_given_back():
    axis = "[ubuntu-20.04, ubuntu-22.04, macos-14, ubuntu-24.04]"
    text = job(f"    strategy:\n      matrix:\n        os: {axis}\n    runs-on: ${{{{ matrix.os }}}}\n")
    codemod = LabelMap(parse_maps(TWO_ONTO_ONE), record=True)
    results, change = plan_workflow(load(Source(".github/workflows/w.yml", text)), codemod)
    assert [r.outcome for r in results] == [Outcome.MOVED]
    assert change is not None
    assert "        os: [macos-14, ubuntu-24.04]\n" in change.new_text
    back, _ = backward(change.new_text)
    assert back == text


def test_comparisons_outside_conditions_are_warned_about():
    # A comparison with a mapped label outside an `if:` (an env value, a
    # step's with: or continue-on-error) keeps its text, so it now compares
    # with a label the matrix no longer gives: it is warned about, as the
    # README says of every other line reading the matrix value; so is a
    # condition reading it as matrix['os'], which relane does not edit.
    text = job(
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, windows-2019]\n    runs-on: ${{ matrix.os }}\n"
        "    env:\n      LINUX: ${{ matrix.os == 'ubuntu-20.04' }}\n    steps:\n"
        "      - uses: foo/bar@v1\n        with:\n          upload: ${{ matrix.os == 'ubuntu-20.04' && 'always' || 'never' }}\n"
        "      - run: make\n        continue-on-error: ${{ 'windows-2019' == matrix.os }}\n"
        "      - run: make\n        if: matrix.os == 'macos-14'\n"
        "        timeout-minutes: ${{ matrix.os == 'macos-14' && 30 || 10 }}\n"
        "      - if: matrix['os'] == 'ubuntu-20.04'\n        run: make\n"
    )
    new, results = remap(text)
    assert new == text.replace("[ubuntu-20.04, windows-2019]", "[ubuntu-24.04, windows-2022]")
    shown = [(w.code, w.line, w.text.split(" reads ")[0]) for w in results[0].warnings]
    assert shown == [
        ("matrix-use", 9, "env.LINUX"),
        ("matrix-use", 13, "steps[0].with.upload"),
        ("matrix-use", 15, "steps[1].continue-on-error"),
        ("matrix-use", 19, "steps[3].if"),
    ]



MATRIX = "    strategy:\n      matrix:\n        os: {}\n    runs-on: ${{{{ matrix.os }}}}\n"


@pytest.mark.parametrize(
    "block",
    [
        MATRIX.format("[&u ubuntu-20.04, windows-2019]"),
        MATRIX.format("[macos-14]\n        include:\n          - os: &u 'ubuntu-20.04'"),
        "    strategy:\n      matrix:\n        cfg:\n          - {os: &u windows-2019}\n    runs-on: ${{ matrix.cfg.os }}\n",
    ],
)
def test_an_anchored_label_in_the_matrix_is_skipped(block):
    # Replacing the scalar replaced its anchor with it: `&u ubuntu-20.04`
    # became `ubuntu-24.04`, the anchor gone without a word.
    text = job(block)
    new, results = remap(text)
    assert new == text
    assert [(r.outcome, r.code) for r in results] == [(Outcome.SKIPPED, "anchor")]
    assert "&u" in results[0].reason


def test_an_anchored_option_of_an_input_is_skipped():
    text = (
        "on:\n  workflow_dispatch:\n    inputs:\n      runner:\n        type: choice\n"
        "        options: [&u ubuntu-20.04, ubuntu-24.04]\njobs:\n  build:\n    runs-on: ${{ inputs.runner }}\n"
    )
    new, results = remap(text)
    assert new == text
    assert [(r.outcome, r.code) for r in results] == [(Outcome.SKIPPED, "anchor")]


def test_an_anchored_axis_keeps_an_item_it_cannot_lose():
    # The verifier reads an anchored list as no plain list: removing an item
    # from it stopped the run with exit 3. The item is mapped in place instead.
    text = job(MATRIX.format("&oses [ubuntu-20.04, ubuntu-24.04]"))
    new, results = remap(text)
    assert new == job(MATRIX.format("&oses [ubuntu-24.04, ubuntu-24.04]"))
    assert [(r.outcome, [w.code for w in r.warnings]) for r in results] == [(Outcome.MOVED, ["duplicate"])]


def test_an_anchored_condition_is_left_with_a_warning():
    # Rewriting it kept the anchor in a value the verifier must read plainly
    # (exit 3); a condition other jobs share through the anchor must not
    # change with this job's map either.
    text = job(
        MATRIX.format("[ubuntu-20.04]") + "    steps:\n      - if: &linux matrix.os == 'ubuntu-20.04'\n        run: a\n"
        "  other:\n    runs-on: ubuntu-22.04\n    steps:\n      - if: *linux\n        run: b\n"
    )
    new, results = remap(text)
    assert new == text.replace("os: [ubuntu-20.04]", "os: [ubuntu-24.04]")
    assert [w.code for w in results[0].warnings] == ["condition"]
    assert "&linux" in results[0].warnings[0].text


@pytest.mark.parametrize("forge", [".gitea", ".forgejo"])
def test_retired_labels_of_a_gitea_workflow_are_excluded_for_what_they_are(forge):
    # The reason said "a GitHub-hosted label beside others" of a label that
    # stands alone: what keeps it is the forge, whose runners' owners name them.
    text = job("    runs-on: ubuntu-20.04\n  m:\n" + MATRIX.format("[windows-2019]"))
    codemod = LabelMap(retired())
    results, change = plan_workflow(load(Source(f"{forge}/workflows/w.yml", text)), codemod)
    assert change is None
    assert [(r.outcome, r.code) for r in results] == [(Outcome.EXCLUDED, "self-hosted")] * 2
    assert [r.reason for r in results] == [
        f"runs-on names a GitHub-hosted label in a {forge[1:].capitalize()} workflow, whose runners keep their own labels",
        f"the matrix names a GitHub-hosted label in a {forge[1:].capitalize()} workflow, whose runners keep their own labels",
    ]
    beside = job("    runs-on: [self-hosted, ubuntu-20.04]\n")
    hosted, _ = plan_workflow(load(Source(".github/workflows/w.yml", beside)), codemod)
    assert hosted[0].reason == "runs-on names a GitHub-hosted label beside others: a self-hosted runner keeps its labels"


def test_entries_naming_a_label_merged_into_another_are_warned_about():
    # ubuntu-20.04 leaves the axis, merged into ubuntu-24.04: the exclude
    # entry written for it now drops ubuntu-24.04 / 3.12, which ran before,
    # and the include entry now gives cc to the ubuntu-24.04 combinations.
    text = job(
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-24.04, windows-2019]\n        py: ['3.9', '3.12']\n"
        "        exclude:\n          - os: ubuntu-20.04\n            py: '3.12'\n          - os: windows-2019\n            py: '3.9'\n"
        "        include:\n          - os: ubuntu-20.04\n            cc: gcc\n          - os: ubuntu-20.04\n"
        "    runs-on: ${{ matrix.os }}\n"
    )
    new, results = remap(text)
    assert new == job(
        "    strategy:\n      matrix:\n        os: [ubuntu-24.04, windows-2022]\n        py: ['3.9', '3.12']\n"
        "        exclude:\n          - os: ubuntu-24.04\n            py: '3.12'\n          - os: windows-2022\n            py: '3.9'\n"
        "        include:\n          - os: ubuntu-24.04\n            cc: gcc\n          - os: ubuntu-24.04\n"
        "    runs-on: ${{ matrix.os }}\n"
    )
    shown = [(w.code, w.line, w.text) for w in results[0].warnings]
    assert shown == [
        ("duplicate-removed", 6, "removed ubuntu-20.04 from the matrix axis os: it maps to ubuntu-24.04, already listed there"),
        (
            "merged-entry",
            14,
            "include entry 1 now names ubuntu-24.04: ubuntu-20.04 merged into it, so it extends "
            "ubuntu-24.04 combinations it did not before",
        ),
        (
            "merged-entry",
            9,
            "exclude entry 1 now names ubuntu-24.04: ubuntu-20.04 merged into it, so it excludes "
            "ubuntu-24.04 combinations that ran before",
        ),
    ]


@pytest.mark.parametrize(
    "before",
    ["    runs-on: ubuntu-20.04\n", MATRIX.format("[ubuntu-20.04, macos-14]")],
    ids=["literal", "matrix"],
)
def test_a_map_changing_only_the_case_is_done_once(before):
    # The second run found the label already as written and still reported
    # the job as moved (Ubuntu-20.04 -> Ubuntu-20.04), changing nothing.
    new, results = remap(job(before), "ubuntu-20.04=Ubuntu-20.04")
    assert new == job(before.replace("ubuntu-20.04", "Ubuntu-20.04"))
    assert [r.outcome for r in results] == [Outcome.MOVED]
    again = plan_workflow(load(Source(".github/workflows/w.yml", new)), LabelMap(parse_maps(["ubuntu-20.04=Ubuntu-20.04"])))
    assert [(r.outcome, r.code) for r in again[0]] == [(Outcome.ALREADY, "on-target")]


def test_ls_still_reads_an_anchored_matrix_label_the_map_skips(relane, repo):
    root = repo({"ci.yml": job(MATRIX.format("[&u ubuntu-20.04, macos-14]"))})
    listed = relane("ls", str(root), "--retired")
    assert listed.code == 1
    assert "matrix: ubuntu-20.04, macos-14" in listed.out
    mapped = relane("retarget", str(root), "--map", "@retired", "--format", "json")
    assert mapped.code == 0
    assert [(j["outcome"], j["code"]) for j in json.loads(mapped.out)["jobs"]] == [("skipped", "anchor")]


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("a=b c", "--map: new runner label 'b c' holds a space; a map replaces one label by one label"),
        ("a b=c", "--map: old runner label 'a b' holds a space; a map replaces one label by one label"),
        ("a=b,c", "--map: new runner label 'b,c' holds a comma; a map replaces one label by one label"),
    ],
)
def test_a_map_label_holding_a_separator_is_named_for_its_side_without_a_to_hint(spec, said):
    from relane.errors import UsageError

    with pytest.raises(UsageError) as caught:
        parse_maps([spec])
    assert str(caught.value) == said


CHOICE = (
    "on:\n  workflow_dispatch:\n    inputs:\n      os:\n        type: choice\n"
    "        options: [ubuntu-20.04, my-runner]\n        default: {}\n"
    "jobs:\n  build:\n    runs-on: ${{{{ inputs.os }}}}\n"
)


@pytest.mark.parametrize("default", ["my-runner", "ubuntu-20.04"])
def test_each_choice_option_is_a_runs_on_of_its_own(default):
    # The options were judged as one label set: ubuntu-20.04 beside the
    # self-hosted my-runner read as a self-hosted runner's label and was
    # left, although only one option is chosen per run.
    text = CHOICE.format(default)
    codemod = LabelMap(retired())
    results, change = plan_workflow(load(Source(".github/workflows/w.yml", text)), codemod)
    assert change is not None
    assert change.new_text == text.replace("ubuntu-20.04", "ubuntu-24.04")
    again, _ = plan_workflow(load(Source(".github/workflows/w.yml", change.new_text)), codemod)
    assert [r.outcome for r in again] == [Outcome.ALREADY]
    assert [(r.outcome, r.reason) for r in results] == [
        (Outcome.MOVED, "mapped ubuntu-20.04 -> ubuntu-24.04 in " + (
            "the workflow_dispatch options of os" if default == "my-runner"
            else "the workflow_dispatch default of os, the workflow_dispatch options of os"
        ))
    ]


def test_retarget_maps_the_choice_option_ls_lists(relane, repo):
    root = repo({"ci.yml": CHOICE.format("my-runner")})
    listed = relane("ls", str(root), "--retired")
    assert listed.code == 1
    assert "inputs: my-runner, ubuntu-20.04" in listed.out
    mapped = relane("retarget", str(root), "--map", "@retired", "--format", "json")
    assert mapped.code == 0
    assert [(j["outcome"], j["before"], j["after"]) for j in json.loads(mapped.out)["jobs"]] == [
        ("moved", ["my-runner", "ubuntu-20.04"], ["my-runner", "ubuntu-24.04"])
    ]


def test_ls_retired_from_matches_the_labels_an_input_gives(relane, repo):
    # ls --retired listed the job, but with --from ubuntu-20.04 it found no
    # job, warned that --from matched nothing and exited 0, while retarget
    # --map @retired --from ubuntu-20.04 mapped it.
    root = repo({"ci.yml": CHOICE.format("my-runner")})
    listed = relane("ls", str(root), "--retired", "--from", "ubuntu-20.04")
    assert listed.code == 1
    assert "inputs: my-runner, ubuntu-20.04" in listed.out
    assert "warning" not in listed.err
    other = relane("ls", str(root), "--retired", "--from", "macos-14")
    assert (other.code, other.out) == (0, "no jobs found\n")
    assert "warning: --from 'macos-14' matches no job's runs-on" in other.err
