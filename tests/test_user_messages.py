"""What a user reads around an edit: comment templates, the pull-request
description's merge precondition, and messages that say what to do."""

from __future__ import annotations

import pytest

SHIP = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"


def added(diff: str) -> list[str]:
    return [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]


def test_hard_dependency_without_ref_leaves_the_reference_out(relane, repo):
    root = repo({"ship.yml": SHIP})
    r = relane("retarget", str(root), "--to", "publish", "--comment", "hard-dependency")
    assert r.code == 0, r.err
    assert added(r.out) == [
        "    # relane: was ubuntu-latest",
        "    # HARD DEPENDENCY: the label `publish` must be advertised by at least one",
        "    # registered, online runner before this merges; otherwise this job queues",
        "    # indefinitely with zero eligible runners. It ran on `ubuntu-latest` before.",
        "    runs-on: publish",
    ]
    r = relane("retarget", str(root), "--to", "publish", "--comment", "hard-dependency", "--ref", "internal#462")
    assert added(r.out)[1] == (
        "    # HARD DEPENDENCY (internal#462): the label `publish` must be advertised by at least")


def test_help_says_the_reference_is_optional(relane):
    help_text = " ".join(relane("retarget", "--help").out.split())
    assert "which names --ref when given" in help_text
    assert "({ref}) and ({note}) are left out when not set" in help_text


@pytest.mark.parametrize(("template", "line"), [
    ("Moved to {label} ({ref}).\n", "    # Moved to publish."),
    ("Moved to {label} ({note}), see ({ref}).\n", "    # Moved to publish, see."),
])
def test_a_bracketed_ref_or_note_goes_when_not_set(relane, repo, tmp_path, template, line):
    root = repo({"ship.yml": SHIP})
    (tmp_path / "t.txt").write_text(template)
    r = relane("retarget", str(root), "--to", "publish", "--comment", str(tmp_path / "t.txt"))
    assert r.code == 0, r.err
    assert added(r.out)[1] == line


def test_a_ref_in_running_text_still_needs_a_value(relane, repo, tmp_path):
    (tmp_path / "t.txt").write_text("Tracked in {ref}.\n")
    r = relane("retarget", str(repo({"ship.yml": SHIP})), "--to", "publish", "--comment", str(tmp_path / "t.txt"))
    assert (r.code, r.err) == (2, f"relane: error: comment template {tmp_path / 't.txt'} uses {{ref}}, which is not set (--ref)\n")


@pytest.mark.parametrize(("placeholder", "shown"), [("{label!r}", "{label!r}"), ("{label:>10}", "{label:>10}"),
                                                    ("{job!s:x}", "{job!s:x}")])
def test_a_placeholder_with_a_format_says_so(relane, repo, tmp_path, placeholder, shown):
    (tmp_path / "t.txt").write_text(f"moved to {placeholder}\n")
    r = relane("retarget", str(repo({"ship.yml": SHIP})), "--to", "publish", "--comment", str(tmp_path / "t.txt"))
    field = shown[1:].split("!")[0].split(":")[0]
    assert (r.code, r.err) == (2, f"relane: error: comment template {tmp_path / 't.txt'}: {shown} has a conversion "
                                  f"or format; placeholders are plain: write {{{field}}}\n")


def test_a_template_from_a_pipe_is_read(relane, repo, tmp_path):
    import os

    root = repo({"ship.yml": SHIP})
    fifo = tmp_path / "template.fifo"
    os.mkfifo(fifo)
    import threading

    def feed():
        with open(fifo, "w") as f:
            f.write("Moved to {label}.\n")

    writer = threading.Thread(target=feed)
    writer.start()
    r = relane("retarget", str(root), "--to", "publish", "--comment", str(fifo))
    writer.join(5)
    assert r.code == 0, r.err
    assert added(r.out)[1] == "    # Moved to publish."


def test_a_template_that_is_a_folder_says_so(relane, repo, tmp_path):
    r = relane("retarget", str(repo({"ship.yml": SHIP})), "--to", "publish", "--comment", str(tmp_path))
    assert (r.code, r.err) == (2, f"relane: error: comment template {tmp_path}: is a folder, not a file\n")


@pytest.mark.parametrize(("to", "folder", "stated"), [
    ("publish", ".github/workflows", True),
    ("ubuntu-22.04", ".github/workflows", False),
    ("ubuntu-22.04", ".gitea/workflows", True),  # Gitea has no hosted runners
])
def test_the_merge_precondition_is_stated_unless_the_target_is_github_hosted(relane, repo, to, folder, stated):
    root = repo({"ship.yml": SHIP}, folder=folder)
    r = relane("retarget", str(root), "--to", to, "--format", "markdown")
    assert r.code == 0
    assert ("### Merge precondition" in r.out) is stated
    if stated:
        assert f"Check it mechanically: `relane guard --label {to}` exits 0 only once such a runner is online." in r.out


def test_the_guard_names_an_alias_as_one(relane, repo, tmp_path):
    import json

    root = repo({"a.yml": "on: push\nx: &lab [self-hosted, gpu]\ny: &m {group: big}\n"
                          "jobs:\n  a:\n    runs-on: *lab\n  b:\n    runs-on: *m\n  c:\n    runs-on: [*lab]\n"})
    (tmp_path / "r.json").write_text('{"runners": []}')
    r = relane("guard", "--from-workflows", str(root), "--runners-json", str(tmp_path / "r.json"),
               "--forge", "github", "--format", "json")
    doc = json.loads(r.out)
    assert [c["labels"] for c in doc["labels"]] == [["self-hosted", "gpu"]]  # read through the alias
    assert [(s["job"], s["code"], s["reason"]) for s in doc["not_checked"]] == [
        ("b", "group", "runner group without labels (runs-on is the YAML alias *m); "
                       "group members are not listed by label"),
        ("c", "unsupported", "runs-on holds something other than label names (runs-on holds the YAML alias *lab)"),
    ]


def test_a_missing_remote_points_at_repo_and_runners_json(relane, monkeypatch, tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    r = relane("guard", "--label", "publish", "--forge", "github")
    assert (r.code, r.out) == (2, "")
    assert r.err == (f"relane: error: no git remote named 'origin' in {tmp_path}; name the repository with "
                     "--repo OWNER/NAME (and --forge, --api-url), or check a saved listing with --runners-json FILE\n")
