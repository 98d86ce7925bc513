"""--branch / --push with real git: the commit holds only relane's change, the checkout is untouched."""

from __future__ import annotations

import os

import pytest

import relane
from relane.deliver.branch import DeliverOptions, commit_message, deliver, summary_line
from relane.deliver.git import GitError

from gitrepo import CI, SHIP, SHIP_MOVED, branches, git, git_env, snapshot, workrepo  # noqa: F401

SHIP_ARGS = ("--on", "@ship", "--not-on", "@pr", "--to", "publish")


def dirty_checkout(root):
    """Unrelated work in progress that must survive: modified, staged, untracked."""
    (root / "README.md").write_text("widgets, being edited\n")
    (root / "notes.txt").write_text("staged work\n")
    git(root, "add", "notes.txt")
    (root / "scratch.tmp").write_text("untracked\n")


def test_branch_holds_only_the_workflow_change_and_checkout_is_untouched(relane, workrepo):
    root = workrepo()
    dirty_checkout(root)
    before = snapshot(root)
    main = git(root, "rev-parse", "main").strip()

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "relane/publish")

    assert r.code == 0, r.err
    assert r.out.startswith("diff --git a/.github/workflows/ship.yml b/.github/workflows/ship.yml\n")
    commit = git(root, "rev-parse", "relane/publish").strip()
    assert r.err.splitlines()[-1] == f"committed 1 file on new branch relane/publish ({commit[:12]}, parent {main[:12]}; commit hooks not run)"
    assert snapshot(root) == before
    assert git(root, "rev-list", "--parents", "-n", "1", "relane/publish").split() == [commit, main]
    assert git(root, "diff", "--name-status", "main", "relane/publish") == "M\t.github/workflows/ship.yml\n"
    assert git(root, "show", "relane/publish:.github/workflows/ship.yml") == SHIP_MOVED
    assert git(root, "show", "relane/publish:.github/workflows/ci.yml") == CI
    assert git(root, "log", "-1", "--format=%B", "relane/publish") == (
        "Move 1 job to runs-on: publish\n"
        "\n"
        "Moved by relane:\n"
        "- .github/workflows/ship.yml: build (ubuntu-latest -> publish)\n"
        "\n"
    )
    assert git(root, "log", "-1", "--format=%an <%ae>", "relane/publish") == "Relane Test <test@example.com>\n"
    assert branches(root) == ["refs/heads/main", "refs/heads/relane/publish"]


def test_message_base_and_json_report(relane, workrepo):
    root = workrepo()
    git(root, "checkout", "-q", "-b", "release")
    (root / "CHANGES").write_text("1.0\n")
    git(root, "add", "CHANGES")
    git(root, "commit", "-q", "-m", "release notes")
    release = git(root, "rev-parse", "release").strip()
    git(root, "checkout", "-q", "main")
    before = snapshot(root)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "ship-lane", "--base", "release",
        "--message", "ci: ship jobs to the publish lane", "--format", "json", "-q",
    )

    assert r.code == 0, r.err
    assert r.err == ""
    import json

    delivery = json.loads(r.out)["delivery"]
    commit = git(root, "rev-parse", "ship-lane").strip()
    assert delivery == {
        "branch": "ship-lane",
        "commit": commit,
        "base": release,
        "files": [".github/workflows/ship.yml"],
        "pushed": False,
        "remote": None,
        "pull_request": None,
    }
    assert git(root, "rev-parse", "ship-lane^").strip() == release
    assert git(root, "log", "-1", "--format=%B", "ship-lane") == "ci: ship jobs to the publish lane\n"
    assert git(root, "diff", "--name-only", "release", "ship-lane") == ".github/workflows/ship.yml\n"
    assert snapshot(root) == before


def test_executable_bit_and_crlf_bytes_are_kept(relane, workrepo):
    crlf = SHIP.replace("\n", "\r\n")
    root = workrepo({"ship.yml": crlf})
    git(root, "update-index", "--chmod=+x", ".github/workflows/ship.yml")
    git(root, "commit", "-q", "-m", "mode")
    os.chmod(root / ".github/workflows/ship.yml", 0o755)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "b")

    assert r.code == 0, r.err
    assert git(root, "ls-tree", "b", ".github/workflows/ship.yml").split()[0] == "100755"
    blob = git(root, "rev-parse", "b:.github/workflows/ship.yml").strip()
    assert git(root, "cat-file", "blob", blob).encode() == SHIP_MOVED.replace("\n", "\r\n").encode()


@pytest.mark.parametrize(
    ("committed_crlf", "attributes"),
    [
        (True, None),  # core.autocrlf=true, the file committed with CRLF: git keeps its CRLF
        (False, None),  # core.autocrlf=true, committed with LF, checked out with CRLF
        (False, "*.yml text eol=crlf\n"),  # the attribute: LF in the repository, CRLF on disk
    ],
)
def test_line_ending_conversion_is_not_a_change(relane, workrepo, committed_crlf, attributes):
    root = workrepo({"ship.yml": SHIP.replace("\n", "\r\n") if committed_crlf else SHIP})
    if attributes:
        (root / ".gitattributes").write_text(attributes)
        git(root, "add", ".gitattributes")
        git(root, "commit", "-q", "-m", "attributes")
    else:
        git(root, "config", "core.autocrlf", "true")
    ship = root / ".github/workflows/ship.yml"
    ship.unlink()
    git(root, "checkout", "--", ".github/workflows/ship.yml")  # as a fresh clone would have it
    assert ship.read_bytes() == SHIP.replace("\n", "\r\n").encode()
    assert git(root, "status", "--porcelain") == ""
    before = snapshot(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "b")

    assert r.code == 0, r.err
    assert git(root, "diff", "--name-only", "main", "b") == ".github/workflows/ship.yml\n"
    blob = git(root, "rev-parse", "b:.github/workflows/ship.yml").strip()
    kept = SHIP_MOVED.replace("\n", "\r\n") if committed_crlf else SHIP_MOVED
    assert git(root, "cat-file", "blob", blob).encode() == kept.encode()
    # Checked out, the branch's file is relane's output: no spurious whole-file change.
    assert git(root, "diff", "--numstat", "main", "b") == "1\t1\t.github/workflows/ship.yml\n"
    assert snapshot(root) == before


def test_push_sends_the_branch_to_the_remote(relane, workrepo, tmp_path):
    root = workrepo()
    before = snapshot(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "relane/publish", "--push")

    assert r.code == 0, r.err
    assert r.err.splitlines()[-1] == "pushed relane/publish to origin"
    bare = tmp_path / "remote" / "acme" / "widgets.git"
    assert git(bare, "rev-parse", "relane/publish") == git(root, "rev-parse", "relane/publish")
    assert snapshot(root) == before


def test_push_to_a_named_remote(relane, workrepo, tmp_path):
    root = workrepo()
    other = tmp_path / "mirror.git"
    git(tmp_path, "init", "-q", "--bare", str(other))
    git(root, "remote", "add", "mirror", str(other))

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "mirror")

    assert r.code == 0, r.err
    assert git(other, "rev-parse", "lane") == git(root, "rev-parse", "lane")


def test_rejected_push_says_why(relane, workrepo, tmp_path):
    root = workrepo()
    bare = tmp_path / "remote" / "acme" / "widgets.git"
    hook = bare / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(
        "#!/bin/sh\n"
        "echo >&2\n"
        "echo 'policy: ask in #ci first, see https://bot:hook-s3cret@ci.example.com/x' >&2\n"
        "echo 'second line' >&2\n"
        "exit 1\n"
    )
    hook.chmod(0o755)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert (r.code, r.err) == (2, (
        "relane: error: branch 'lane' was not pushed to origin, so relane removed it again: "
        "git push failed: [remote rejected] (pre-receive hook declined); "
        "remote: policy: ask in #ci first, see https://***@ci.example.com/x\n"
    ))
    assert "lane" not in git(bare, "for-each-ref", "--format=%(refname)")
    assert "lane" not in git(root, "for-each-ref", "--format=%(refname)")


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("branch", ("--branch", "taken"), "branch 'taken' already exists; choose another name"),
        ("none", ("--branch", "bad..name"), "'bad..name' is not a valid branch name"),
        ("none", ("--branch", "@{-1}"), "'@{{-1}}' is not a valid branch name"),  # not "the previous branch"
        ("on-target", ("--branch", "lane"), "nothing to change; no branch created"),
        ("unstaged", ("--branch", "lane"), "uncommitted changes in .github/workflows/ship.yml; "
         "commit or stash them first (relane commits only its own change)"),
        ("staged", ("--branch", "lane"), "uncommitted changes in .github/workflows/ship.yml; "
         "commit or stash them first (relane commits only its own change)"),
        ("untracked", ("--branch", "lane"), "uncommitted changes in .github/workflows/new.yml; "
         "commit or stash them first (relane commits only its own change)"),
        ("base-differs", ("--branch", "lane", "--base", "old"), ".github/workflows/ship.yml differs between "
         "base 'old' and the checked-out file relane read; run relane on a checkout of 'old'"),
        ("none", ("--branch", "lane", "--base", "nope"), "base 'nope' is not a commit in {root}"),
        ("none", ("--branch", "lane", "--write"),
         "--branch and --write cannot be used together (--branch leaves the working tree alone)"),
        ("none", ("--branch", "lane", "--check"), "--branch and --check cannot be used together"),
        ("none", ("--push",), "--push needs --branch NAME"),
        ("none", ("--label", "x"), "--label needs --branch NAME"),
        ("none", ("--branch", "lane", "--open-pr"), "--open-pr needs --push"),
        ("none", ("--branch", "lane", "--push", "--draft"), "--draft needs --open-pr"),
        ("none", ("--branch", "lane", "--timeout", "5"), "--timeout needs --open-pr"),
        ("none", ("--branch", "lane", "--push", "nowhere"), "no git remote named 'nowhere' in {root}"),
    ],
)
def test_refusals_change_nothing(relane, workrepo, setup, args, message):
    root = workrepo()
    git(root, "branch", "old")
    ship = root / ".github/workflows/ship.yml"
    if setup == "branch":
        git(root, "branch", "taken")
    elif setup == "on-target":
        ship.write_text(SHIP_MOVED)
        git(root, "commit", "-q", "-am", "moved already")
    elif setup in ("unstaged", "staged"):
        ship.write_text(SHIP.replace("name: ship", "name: shipping"))
        if setup == "staged":
            git(root, "add", str(ship))
    elif setup == "untracked":
        (root / ".github/workflows/new.yml").write_text(SHIP)
        ship.write_text(SHIP_MOVED)
        git(root, "commit", "-q", "-am", "moved already")
    elif setup == "base-differs":
        ship.write_text(SHIP.replace("name: ship", "name: shipping"))
        git(root, "commit", "-q", "-am", "renamed")
    before = snapshot(root)
    refs = branches(root)
    objects = git(root, "count-objects", "-v")

    r = relane("retarget", str(root), *SHIP_ARGS, *args)

    assert (r.code, r.err) == (2, f"relane: error: {message.format(root=root)}\n")
    assert snapshot(root) == before
    assert branches(root) == refs
    assert git(root, "count-objects", "-v") == objects  # not even a loose object was written


def test_not_in_a_git_repository(relane, repo, git_env):
    root = repo({"ship.yml": SHIP})
    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")
    assert (r.code, r.err) == (2, f"relane: error: {root}: not in a git repository\n")
    assert not (root / ".git").exists()


def test_file_outside_the_repository_is_refused(workrepo, tmp_path):
    root = workrepo()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".github/workflows").mkdir(parents=True)
    (elsewhere / ".github/workflows/ship.yml").write_text(SHIP)
    plan = relane.plan([elsewhere], "publish")
    with pytest.raises(GitError, match=r"^\.github/workflows/ship\.yml: not a file in the git repository at "):
        deliver(plan, DeliverOptions(branch="lane"), path=root)
    assert branches(root) == ["refs/heads/main"]


def test_library_deliver_returns_the_delivery(workrepo):
    root = workrepo()
    plan = relane.plan([root], "publish", selector=relane.Selector.build(on=["@ship"]))
    result = deliver(plan, DeliverOptions(branch="lane", push="origin"), path=root)
    assert result.branch == "lane"
    assert result.commit == git(root, "rev-parse", "lane").strip()
    assert result.base == git(root, "rev-parse", "main").strip()
    assert result.files == (".github/workflows/ship.yml",)
    assert result.pushed and result.remote == "origin"
    assert result.pull_request is None


def test_deliver_from_a_subfolder_path(relane, workrepo):
    root = workrepo()
    r = relane("retarget", str(root / ".github/workflows/ship.yml"), "--to", "publish", "--branch", "lane")
    assert r.code == 0, r.err
    assert git(root, "diff", "--name-only", "main", "lane") == ".github/workflows/ship.yml\n"


def test_summary_line_stays_under_72_characters(workrepo):
    root = workrepo()
    short = relane.plan([root], "publish", selector=relane.Selector.build(on=["@ship"]))
    assert summary_line(short) == "Move 1 job to runs-on: publish"
    long_labels = ["self-hosted", "linux", "x64", "a-very-long-runner-label-name-for-the-lane"]
    long = relane.plan([root], long_labels)
    line = summary_line(long)
    assert line == "Move 2 jobs to other runner labels"
    assert commit_message(long).splitlines()[0] == line
    assert all(len(summary_line(p)) < 72 for p in (short, long))


def test_migrate_delivers_its_change_on_a_branch(relane, workrepo):
    root = workrepo()
    (root / "relane.toml").write_text(
        '[migration.publish-lane]\non = ["@ship"]\nnot-on = ["@pr"]\nto = "publish"\n'
    )
    git(root, "add", "relane.toml")
    git(root, "commit", "-q", "-m", "add the migration")
    before = snapshot(root)
    main = git(root, "rev-parse", "main").strip()

    r = relane("migrate", str(root / "relane.toml"), "--branch", "relane/lane")

    assert r.code == 0, r.err
    commit = git(root, "rev-parse", "relane/lane").strip()
    assert r.err.splitlines()[-1] == f"committed 1 file on new branch relane/lane ({commit[:12]}, parent {main[:12]}; commit hooks not run)"
    assert snapshot(root) == before
    assert git(root, "diff", "--name-status", "main", "relane/lane") == "M\t.github/workflows/ship.yml\n"
    assert git(root, "show", "relane/lane:.github/workflows/ship.yml") == SHIP_MOVED.replace(
        "    runs-on: publish", "    # relane: was ubuntu-latest\n    runs-on: publish"
    )
    assert git(root, "log", "-1", "--format=%B", "relane/lane") == (
        "Move 1 job to runs-on: publish\n"
        "\n"
        "Moved by relane:\n"
        "- .github/workflows/ship.yml: build (ubuntu-latest -> publish)\n"
        "\n"
    )


def test_a_rollback_on_a_branch_says_so(relane, workrepo):
    root = workrepo()
    spec = root / "relane.toml"
    spec.write_text('[migration.lane]\non = ["@ship"]\nnot-on = ["@pr"]\nto = "publish"\n')
    assert relane("migrate", str(spec), "--write").code == 0
    git(root, "commit", "-q", "-am", "moved")

    r = relane("migrate", str(spec), "--reverse", "--branch", "undo")

    assert r.code == 0, r.err
    message = git(root, "log", "-1", "--format=%B", "undo").splitlines()
    assert message[0] == "Move 1 job back to their previous runs-on"
