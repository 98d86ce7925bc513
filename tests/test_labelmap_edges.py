"""``retarget --map`` edges: several labels of one list mapping onto one,
and the readings of a matrix value outside conditions."""

from __future__ import annotations

import pytest

from relane import Source, load
from relane.codemod import Outcome
from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import parse_maps
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

