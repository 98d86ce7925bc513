"""Bad input at the edges of reading: odd files in a workflow folder, and
what the command line says about them."""

from __future__ import annotations

import json
import os

import pytest

WF = ".github/workflows"
GOOD = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"


def test_a_symlink_loop_is_named_as_the_file_and_skip_invalid_goes_on(relane, repo):
    root = repo({"good.yml": GOOD})
    (root / WF / "l1.yml").symlink_to("l2.yml")
    (root / WF / "l2.yml").symlink_to("l1.yml")
    r = relane("retarget", str(root), "--to", "publish")
    assert r.code == 2
    assert r.err.startswith(f"relane: error: {WF}/l1.yml: cannot read: ")
    assert len(r.err.splitlines()) == 1
    r = relane("retarget", str(root), "--to", "publish", "--skip-invalid", "--write")
    assert r.code == 0
    assert (root / WF / "good.yml").read_text() == GOOD.replace("ubuntu-latest", "publish")
    assert f"relane: skipped {WF}/l1.yml: cannot read: " in r.err
    assert f"relane: skipped {WF}/l2.yml: cannot read: " in r.err
    r = relane("ls", str(root))
    assert r.code == 2
    assert r.err.startswith(f"relane: error: {WF}/l1.yml: cannot read: ")


def test_a_dangling_symlink_is_named_as_the_file_and_skip_invalid_goes_on(relane, repo):
    root = repo({"good.yml": GOOD})
    (root / WF / "b.yml").symlink_to("nowhere.yml")
    (root / WF / "d.yml").mkdir()  # a folder with a workflow's name is no file: passed over
    for command in (("retarget", str(root), "--to", "publish"), ("ls", str(root))):
        r = relane(*command)
        assert r.code == 2
        assert r.err == f"relane: error: {WF}/b.yml: cannot read: No such file or directory\n"
    r = relane("retarget", str(root), "--to", "publish", "--skip-invalid", "--write")
    assert r.code == 0
    assert (root / WF / "good.yml").read_text() == GOOD.replace("ubuntu-latest", "publish")
    assert f"relane: skipped {WF}/b.yml: cannot read: No such file or directory" in r.err
    assert os.readlink(root / WF / "b.yml") == "nowhere.yml"
    assert not (root / WF / "nowhere.yml").exists()


def test_a_symlink_loop_named_on_the_command_line_is_not_called_missing(relane, repo, monkeypatch):
    root = repo({"good.yml": GOOD})
    (root / WF / "l1.yml").symlink_to("l2.yml")
    (root / WF / "l2.yml").symlink_to("l1.yml")
    (root / WF / "b.yml").symlink_to("nowhere.yml")
    monkeypatch.chdir(root)
    r = relane("retarget", f"{WF}/l1.yml", "--to", "publish")
    assert (r.code, r.out) == (2, "")
    assert r.err == f"relane: error: {WF}/l1.yml: cannot read: Too many levels of symbolic links\n"
    r = relane("ls", f"{WF}/b.yml")
    assert (r.code, r.err) == (2, f"relane: error: {WF}/b.yml: no such file or folder\n")


@pytest.mark.parametrize(
    ("link", "to", "reason"),
    [
        (".github/workflows", "../nowhere", "No such file or directory"),
        (".github", "nowhere", "No such file or directory"),
        (".github/workflows", "workflows", "Too many levels of symbolic links"),
    ],
)
def test_a_workflow_folder_link_that_leads_nowhere_is_named(relane, repo, monkeypatch, link, to, reason):
    """Not read as a repository without that forge's workflows: the run
    stops with one line naming the link, and nothing is written."""
    root = repo({"a.yml": GOOD}, folder=".gitea/workflows")
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(to)
    monkeypatch.chdir(root)
    for command in (("retarget", ".", "--to", "publish", "--write"), ("ls", ".")):
        r = relane(*command)
        assert (r.code, r.out) == (2, "")
        assert r.err == f"relane: error: {link}: cannot read the folder: {reason}\n"
    assert (root / ".gitea/workflows/a.yml").read_text() == GOOD


@pytest.fixture
def undecodable_name(repo):
    """A repository whose one workflow file has a name that is not UTF-8."""
    root = repo({})
    (root / WF).mkdir(parents=True)
    name = os.fsencode(root / WF) + b"/bad\xff name.yml"
    try:
        with open(name, "wb") as f:
            f.write(GOOD.encode())
    except OSError:  # a file system that takes UTF-8 names only
        pytest.skip("the file system refuses names that are not UTF-8")
    return root


@pytest.mark.parametrize("command", [("retarget", "--to", "publish"), ("ls",)])
def test_json_names_a_file_whose_name_is_not_utf8(relane, undecodable_name, command):
    r = relane(command[0], str(undecodable_name), *command[1:], "--format", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    rows = doc["jobs"] if isinstance(doc, dict) else doc
    assert [row["workflow"] for row in rows] == [f"{WF}/bad\udcff name.yml"]
    assert os.fsencode(rows[0]["workflow"]) == f"{WF}/".encode() + b"bad\xff name.yml"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[migration.m]\nto = "p\xffq"\n', "spec.toml:2:8: invalid UTF-8 (byte 0xff)"),
        ("[migration.m]\n".encode("utf-16"), "spec.toml:1:1: invalid UTF-8 (byte 0xff)"),
    ],
)
def test_a_spec_that_is_not_utf8_is_one_line_with_its_position(relane, tmp_path, monkeypatch, data, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.toml").write_bytes(data)
    r = relane("migrate", "spec.toml")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")


def test_a_spec_that_is_a_folder_says_so_once(relane, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.toml").mkdir()
    r = relane("migrate", "spec.toml")
    assert (r.code, r.out, r.err) == (2, "", "relane: error: spec.toml: cannot read: Is a directory\n")


BROKEN = "on: push\njobs:\n  a:\n    runs-on: [x\n"
REFUSED = {"workflow": f"{WF}/bad.yml", "line": 5, "col": 1, "error": "did not find expected ',' or ']' (while parsing a flow sequence)"}


def test_skip_invalid_never_says_no_files_were_found(relane, repo, tmp_path):
    root = repo({"bad.yml": BROKEN})
    spec = tmp_path / "relane.toml"
    spec.write_text('[migration.m]\nto = "publish"\n')
    for command in (("retarget", str(root), "--to", "publish"), ("migrate", str(spec))):
        r = relane(*command, "--skip-invalid")
        assert r.code == 0
        assert "no workflow files found" not in r.err
        assert f"relane: skipped {WF}/bad.yml:5:1: " in r.err


def test_skip_invalid_names_the_refused_files_in_json(relane, repo, tmp_path):
    root = repo({"bad.yml": BROKEN, "good.yml": GOOD})
    r = relane("retarget", str(root), "--to", "publish", "--skip-invalid", "--format", "json")
    assert r.code == 0
    assert json.loads(r.out)["files"] == {
        "considered": [f"{WF}/good.yml"],
        "changed": [f"{WF}/good.yml"],
        "refused": [REFUSED],
    }
    spec = tmp_path / "relane.toml"
    spec.write_text('[migration.m]\nto = "publish"\n')
    r = relane("migrate", str(spec), "--skip-invalid", "--format", "json")
    assert r.code == 0
    assert json.loads(r.out)["files"]["refused"] == [REFUSED]
    r = relane("retarget", str(root), "--to", "publish", "--format", "json", "--include", "good.yml")
    assert "refused" not in json.loads(r.out)["files"]


def test_skip_invalid_names_the_refused_files_in_markdown(relane, repo, tmp_path):
    root = repo({"bad.yml": BROKEN, "good.yml": GOOD})
    r = relane("retarget", str(root), "--to", "publish", "--skip-invalid", "--format", "markdown")
    assert r.code == 0
    assert "\n### Not read (1)\n\n| Workflow | Line | Why |\n|---|---|---|\n" in r.out
    row = "| `.github/workflows/bad.yml` | 5:1 | did not find expected ',' or '\\]' (while parsing a flow sequence) |\n"
    assert row in r.out
    spec = tmp_path / "relane.toml"
    spec.write_text('[migration.m]\nto = "publish"\n')
    r = relane("migrate", str(spec), "--skip-invalid", "--format", "markdown")
    assert r.code == 0
    assert "\n## Not read (1)\n\n| Workflow | Line | Why |\n|---|---|---|\n" + row in r.out


def test_an_error_names_a_file_with_a_line_break_or_two_spaces_as_it_is(relane, repo):
    name = "new\nline  two.yml"
    root = repo({name: BROKEN, "good.yml": GOOD})
    shown = f"{WF}/new\\nline  two.yml:5:1: did not find expected ',' or ']' (while parsing a flow sequence)"
    r = relane("retarget", str(root), "--to", "publish")
    assert (r.code, r.err) == (2, f"relane: error: {shown}\n")
    r = relane("retarget", str(root), "--to", "publish", "--skip-invalid", "-q")
    assert (r.code, r.err) == (0, f"relane: skipped {shown}\n")


def test_a_migration_name_with_a_line_break_keeps_its_summary_on_one_line(relane, repo, tmp_path):
    root = repo({"good.yml": GOOD})
    spec = tmp_path / "relane.toml"
    spec.write_text(f'[migration."a\\nb"]\nto = "publish"\npaths = ["{root}"]\n')
    r = relane("migrate", str(spec))
    assert r.code == 0
    assert r.err.splitlines()[0] == "a\\nb: would change 1 file of 1; 1 job moved to publish"
