"""retarget on unusual but valid YAML: keys written as aliases of a scalar
(``*k :``) count as the key they name, for duplicates and for runs-on."""

from __future__ import annotations

import json

import pytest
from roundtrip import COMMENT, COMMENT_SPEC, round_trip

ANCHORS = "on: push\nenv:\n  KEY: &k runs-on\n  JOB: &j build\n"
DUPLICATES = {
    # The last of two equal keys wins in PyYAML; GitHub refuses the file.
    "runs-on-then-alias": ("jobs:\n  build:\n    runs-on: x\n    *k : y\n", "8:5: duplicate key 'runs-on' in mapping (first at line 7)"),
    "alias-then-runs-on": ("jobs:\n  build:\n    *k : y\n    runs-on: x\n", "8:5: duplicate key 'runs-on' in mapping (first at line 7)"),
    "job-id-twice": ("jobs:\n  build:\n    runs-on: x\n  *j :\n    runs-on: y\n", "8:3: duplicate key 'build' in mapping (first at line 6)"),
}


@pytest.mark.parametrize("shape", DUPLICATES)
def test_a_key_written_as_an_alias_is_a_duplicate_of_the_key_it_names(relane, repo, shape):
    body, where = DUPLICATES[shape]
    root = repo({"w.yml": ANCHORS + body})
    r = relane("retarget", str(root), "--to", "new", "--write")
    assert r.code == 2
    assert r.err.startswith(f"relane: error: .github/workflows/w.yml:{where}\n")
    assert (root / ".github/workflows/w.yml").read_text() == ANCHORS + body


@pytest.mark.parametrize("options", [(), COMMENT], ids=["record", "comment"])
def test_runs_on_written_as_an_alias_key_is_moved(relane, repo, options):
    text = ANCHORS + "jobs:\n  build:\n    *k : x # why\n    steps: []\n"
    jobs = round_trip(relane, repo, text, options, COMMENT_SPEC if options else "", same=bool(options))
    assert [(j["job"], j["outcome"], j["before"]) for j in jobs] == [("build", "moved", "x")]


# Gitea and Forgejo apply YAML merge keys, at the top level of a workflow too.
TRIGGERS_MERGED = "x-triggers: &t\n  on: pull_request_target\n<<: *t\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
JOBS_MERGED = "x-jobs: &j\n  jobs:\n    a:\n      runs-on: ubuntu-latest\non: push\n<<: *j\n"


def test_triggers_a_top_level_merge_key_brings_in_count(relane, repo):
    root = repo({"w.yml": TRIGGERS_MERGED}, folder=".gitea/workflows")
    r = relane("retarget", str(root), "--not-on", "@pr", "--to", "publish", "--write", "--format", "json")
    assert r.code == 0, r.err
    assert [(j["job"], j["outcome"], j["triggers"]) for j in json.loads(r.out)["jobs"]] == [
        ("a", "excluded", ["pull_request_target"])
    ]
    assert (root / ".gitea/workflows/w.yml").read_text() == TRIGGERS_MERGED


def test_jobs_a_top_level_merge_key_brings_in_are_reported_never_edited(relane, repo):
    root = repo({"w.yml": JOBS_MERGED}, folder=".gitea/workflows")
    r = relane("retarget", str(root), "--to", "publish", "--write", "--format", "text")
    assert r.code == 0, r.err
    assert r.out == "skipped  .gitea/workflows/w.yml:3  a  job comes in through a << merge key\n"
    assert (root / ".gitea/workflows/w.yml").read_text() == JOBS_MERGED
    rows = json.loads(relane("ls", str(root), "--format", "json").out)
    assert [row["job"] for row in rows] == ["a"]



CHAIN = "".join(f"t{i}: &t{i} {{<<: *t{i - 1}}}\n" for i in range(1, 20))
UNSAFE_TRIGGERS = {
    "merge-chain": f"t0: &t0 {{pull_request_target: {{}}}}\n{CHAIN}on:\n  <<: *t19\n  push: {{}}\n",
    "alias-key": "x-event: &e pull_request_target\non:\n  *e : {}\n  push: {}\n",
    "self-merge": "on: &o\n  <<: [*o, {pull_request_target: {}}]\n  push: {}\n",
}


@pytest.mark.parametrize("shape", UNSAFE_TRIGGERS)
def test_every_trigger_yaml_loaders_read_counts(relane, repo, shape):
    text = UNSAFE_TRIGGERS[shape] + "jobs:\n  a:\n    runs-on: ubuntu-latest\n"
    root = repo({"w.yml": text}, folder=".gitea/workflows")
    r = relane("retarget", str(root), "--not-on", "@pr", "--to", "publish", "--format", "json")
    assert r.code == 0, r.err
    assert [(j["outcome"], sorted(j["triggers"])) for j in json.loads(r.out)["jobs"]] == [
        ("excluded", ["pull_request_target", "push"])
    ]

@pytest.mark.parametrize("merge", ["*a", "[*a]"])
def test_a_job_that_merges_itself_is_read_as_yaml_loaders_read_it(relane, repo, merge):
    # PyYAML and ruamel.yaml both read job a as {steps: []}.
    text = f"on: push\njobs:\n  a: &a\n    <<: {merge}\n    steps: []\n  b:\n    runs-on: x\n"
    root = repo({"w.yml": text})
    r = relane("retarget", str(root), "--to", "new", "--write", "--format", "json")
    assert r.code == 0, r.err
    assert [(j["job"], j["outcome"], j["code"]) for j in json.loads(r.out)["jobs"]] == [
        ("a", "skipped", "no-runs-on"), ("b", "moved", "moved")
    ]


def test_a_long_chain_of_merge_keys_is_followed_to_its_end(relane, repo):
    chain = "".join(f"  a{i}: &a{i} {{<<: *a{i - 1}}}\n" for i in range(1, 1500))
    text = f"on: push\nx:\n  a0: &a0 {{runs-on: x}}\n{chain}jobs:\n  j:\n    <<: *a1499\n"
    root = repo({"w.yml": text})
    r = relane("retarget", str(root), "--from", "x", "--to", "new", "--format", "json")
    assert r.code == 0, r.err
    assert [(j["job"], j["code"], j["before"]) for j in json.loads(r.out)["jobs"]] == [("j", "merged", "x")]


# Job a's dropped comment goes back three lines below its runs-on.
DROPPED = (
    "on: push\njobs:\n"
    "  a:\n    runs-on: x\n    steps:\n      - run: a\n    # stale note\n    env: {}\n"
    "  b:\n    runs-on: x\n    # stale note\n"
)


def test_a_dropped_comment_whose_place_is_now_inside_a_script_leaves_that_job_alone(relane, repo):
    path = repo({"w.yml": DROPPED}) / ".github/workflows/w.yml"
    (spec := path.parents[2] / "m.toml").write_text('[migration.m]\nto = "new"\ndrop-comment = ["stale"]\n')
    assert relane("migrate", str(spec), "--write").code == 0
    # Edited since: the line the dropped comment goes back to is now a script's.
    path.write_text(path.read_text().replace("      - run: a\n", "      - run: |\n          echo 1\n          echo 2\n"))
    r = relane("migrate", str(spec), "--reverse", "--write", "--format", "json")
    assert r.code == 0, r.err
    jobs = {j["job"]: (j["outcome"], j["code"]) for j in json.loads(r.out)["migrations"][0]["jobs"]}
    assert jobs == {"a": ("skipped", "changed"), "b": ("moved", "moved-back")}
    assert "      - run: |\n          echo 1\n          echo 2\n" in path.read_text()
    assert path.read_text().endswith("  b:\n    runs-on: x\n    # stale note\n")
