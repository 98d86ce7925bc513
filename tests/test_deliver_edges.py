"""--branch / --push on the edges of git: identities, ref names, local hooks."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from forgeserver import Answer, forge  # noqa: F401
from gitrepo import branches, git, git_env, hook, snapshot, workrepo  # noqa: F401

SHIP_ARGS = ("--on", "@ship", "--not-on", "@pr", "--to", "publish")


def objects(root):
    return git(root, "count-objects", "-v")


def forget_identity(git_env, monkeypatch, home):
    """git with no user.name, user.email or identity variables."""
    git_env.write_text("[init]\n\tdefaultBranch = main\n")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))


def test_no_git_identity_is_refused_before_anything_is_written(relane, workrepo, git_env, monkeypatch, tmp_path):
    root = workrepo()
    forget_identity(git_env, monkeypatch, tmp_path)
    before, refs, count = snapshot(root), branches(root), objects(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")

    assert r.code == 2
    assert r.err.startswith("relane: error: git has no identity to commit with: ")
    assert r.err.endswith("; set user.name and user.email\n")
    assert r.err.count("\n") == 1
    assert (snapshot(root), branches(root), objects(root)) == (before, refs, count)


def test_no_git_identity_is_refused_before_the_forge_is_asked(relane, workrepo, git_env, monkeypatch, tmp_path, forge):
    root = workrepo()
    forget_identity(git_env, monkeypatch, tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_Sup3rSecretT0kenValue")
    forge.on("GET", "/repos/acme/widgets", Answer(200, {"id": 1}))

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
        "--forge", "github", "--api-url", forge.url,
    )

    assert r.code == 2
    assert r.err.startswith("relane: error: git has no identity to commit with: ")
    assert forge.requests == []
    assert branches(root) == ["refs/heads/main"]


def test_an_identity_from_the_environment_is_enough(relane, workrepo, git_env, monkeypatch, tmp_path):
    root = workrepo()
    git_env.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Env Person")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "env@example.com")

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")

    assert r.code == 0, r.err
    assert git(root, "show", "-s", "--format=%an <%ae>", "lane") == "Env Person <env@example.com>\n"


def test_a_branch_name_that_clashes_with_a_branch_folder_is_refused_first(relane, workrepo):
    root = workrepo()
    git(root, "branch", "feat/x")
    git(root, "branch", "ci")
    git(root, "pack-refs", "--all")  # packed refs clash all the same
    before, refs, count = snapshot(root), branches(root), objects(root)

    for name, other in (("feat", "feat/x"), ("ci/publish", "ci")):
        r = relane("retarget", str(root), *SHIP_ARGS, "--branch", name)

        assert (r.code, r.err) == (2, (
            f"relane: error: branch {name!r} cannot be made beside existing branch {other!r} "
            "(one branch name cannot be a folder of another); choose another name\n"
        ))
    assert (snapshot(root), branches(root), objects(root)) == (before, refs, count)


def test_a_branch_sharing_only_a_prefix_does_not_clash(relane, workrepo):
    root = workrepo()
    git(root, "branch", "feature")
    git(root, "branch", "lane-old/x")

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "feat")
    assert r.code == 0, r.err
    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")
    assert r.code == 0, r.err


def test_a_local_pre_push_hook_that_refuses_says_why(relane, workrepo, tmp_path):
    root = workrepo()
    hook(root / ".git" / "hooks", "pre-push", (
        "echo >&2\n"
        "echo 'tests must pass first \033[31m(see https://bot:hook-s3cret@ci.example.com/x)\033[0m' >&2\n"
        "echo 'second line' >&2\n"
        "exit 1\n"
    ))

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    bare = tmp_path / "remote" / "acme" / "widgets.git"
    assert (r.code, r.err) == (2, (
        "relane: error: branch 'lane' was not pushed to origin, so relane removed it again: "
        f"git push failed: failed to push some refs to '{bare}' (the pre-push hook declined); "
        "hook: tests must pass first (see https://***@ci.example.com/x)\n"
    ))
    assert "lane" not in git(bare, "for-each-ref", "--format=%(refname)")


def test_a_silent_pre_push_hook_in_a_hooks_path_is_named(relane, workrepo, tmp_path):
    root = workrepo()
    hooks = tmp_path / "hooks"
    hook(hooks, "pre-push", "exit 1\n")
    git(root, "config", "core.hooksPath", str(hooks))

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    bare = tmp_path / "remote" / "acme" / "widgets.git"
    assert r.code == 2
    assert r.err.endswith(f"git push failed: failed to push some refs to '{bare}' (the pre-push hook declined)\n")


def test_a_pre_push_hook_is_not_blamed_for_a_remote_git_cannot_reach(relane, workrepo, tmp_path):
    root = workrepo()
    hook(root / ".git" / "hooks", "pre-push", "exit 0\n")
    git(root, "remote", "add", "gone", str(tmp_path / "no-such-remote.git"))

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "gone")

    assert r.code == 2
    assert "does not appear to be a git repository" in r.err
    assert "hook declined" not in r.err



def test_several_roots_in_one_repository_go_on_one_branch(relane, workrepo, monkeypatch):
    root = workrepo(folder="svc/a/.github/workflows")
    (root / "svc/b").mkdir()
    git(root, "mv", "svc/a/.github/workflows/ci.yml", "svc/b/ci.yml")
    (root / "svc/b/.github/workflows").mkdir(parents=True)
    git(root, "mv", "svc/b/ci.yml", "svc/b/.github/workflows/ship.yml")
    git(root, "commit", "-q", "-m", "two services")
    monkeypatch.chdir(root)
    before = snapshot(root)

    r = relane("retarget", "svc/a", "svc/b", "--to", "publish", "--branch", "lane")

    assert r.code == 0, r.err
    assert git(root, "diff", "--name-only", "main", "lane").split() == [
        "svc/a/.github/workflows/ship.yml", "svc/b/.github/workflows/ship.yml"]
    assert snapshot(root) == before


def test_roots_in_different_repositories_are_still_refused(relane, workrepo, tmp_path, monkeypatch):
    workrepo()
    other = tmp_path / "other"
    (other / ".github/workflows").mkdir(parents=True)
    (other / ".github/workflows/ci.yml").write_text("on: push\njobs:\n  b:\n    runs-on: x\n")
    git(other, "init", "-q")
    monkeypatch.chdir(tmp_path)

    r = relane("retarget", "work", "other", "--to", "publish", "--branch", "lane")

    assert (r.code, r.err) == (2, "relane: error: --branch commits in one repository, and this run covers "
                               "several (other, work); run once per repository\n")


def test_push_sends_the_branch_and_no_tags_even_with_follow_tags(relane, workrepo, tmp_path):
    root = workrepo()
    git(root, "tag", "-a", "v9", "-m", "a release not published yet")
    git(root, "config", "push.followTags", "true")

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert r.code == 0, r.err
    bare = tmp_path / "remote" / "acme" / "widgets.git"
    assert git(bare, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/lane", "refs/heads/main"]


def signing_key(root, tmp_path):
    """An SSH key git signs commits with (``gpg.format ssh``), and commit.gpgSign on."""
    key = tmp_path / "signing-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, capture_output=True)
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingKey", str(key))
    git(root, "config", "commit.gpgSign", "true")


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen to make a signing key")
def test_the_commit_is_signed_when_commit_gpgsign_asks(relane, workrepo, tmp_path):
    root = workrepo()
    signing_key(root, tmp_path)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")

    assert r.code == 0, r.err
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in git(root, "cat-file", "-p", "lane")


def test_a_signature_that_cannot_be_made_is_one_line_and_no_branch(relane, workrepo, tmp_path):
    root = workrepo()
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingKey", str(tmp_path / "no-such-key"))
    git(root, "config", "commit.gpgSign", "true")
    before = snapshot(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")

    assert r.code == 2
    assert r.err.startswith("relane: error: git commit-tree failed: ") and r.err.count("\n") == 1
    assert branches(root) == ["refs/heads/main"]
    assert snapshot(root) == before


def test_a_push_refused_by_ssh_says_why(relane, workrepo, tmp_path, monkeypatch):
    root = workrepo()
    ssh = tmp_path / "ssh"
    ssh.write_text("#!/bin/sh\necho 'git@forge.example: Permission denied (publickey).' >&2\nexit 255\n")
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    git(root, "remote", "add", "forge", "git@127.0.0.1:acme/widgets.git")

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "forge")

    assert (r.code, r.err) == (2, (
        "relane: error: cannot push to forge, so nothing was written: "
        "Could not read from remote repository. (git@forge.example: Permission denied (publickey).)\n"
    ))


def bare_remote(tmp_path):
    return tmp_path / "remote" / "acme" / "widgets.git"


@pytest.mark.parametrize("there", ["main", "unrelated"])
def test_a_branch_the_remote_has_is_refused_before_anything_is_written(relane, workrepo, tmp_path, there):
    root = workrepo()
    bare = bare_remote(tmp_path)
    if there == "unrelated":
        git(bare, "update-ref", "refs/heads/lane", git(bare, "commit-tree", "-m", "theirs", "HEAD^{tree}").strip())
    else:  # at the very commit relane would branch from
        git(bare, "update-ref", "refs/heads/lane", "main")
    theirs = git(bare, "rev-parse", "lane")
    before, count = snapshot(root), objects(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert (r.code, r.err) == (2, "relane: error: origin already has a branch 'lane'; choose another name\n")
    assert (snapshot(root), branches(root), objects(root)) == (before, ["refs/heads/main"], count)
    assert git(bare, "rev-parse", "lane") == theirs


def test_an_unreachable_remote_is_refused_before_anything_is_written(relane, workrepo):
    root = workrepo()
    git(root, "remote", "add", "broken", "https://user:s3cret-in-url@127.0.0.1:9/acme/widgets.git")
    before, count = snapshot(root), objects(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "broken")

    assert r.code == 2
    assert r.err.startswith("relane: error: cannot push to broken, so nothing was written: unable to access ")
    assert r.err.count("\n") == 1 and "s3cret-in-url" not in r.err + r.out
    assert (snapshot(root), branches(root), objects(root)) == (before, ["refs/heads/main"], count)


def test_the_push_url_of_the_remote_is_the_one_checked(relane, workrepo, tmp_path):
    root = workrepo()
    pushed_to = tmp_path / "push-here.git"
    git(tmp_path, "init", "-q", "--bare", str(pushed_to))
    git(root, "push", "-q", str(pushed_to), "main:lane")
    git(root, "remote", "set-url", "--push", "origin", str(pushed_to))

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert (r.code, r.err) == (2, "relane: error: origin already has a branch 'lane'; choose another name\n")
    assert branches(root) == ["refs/heads/main"]


def test_a_push_the_remote_rejects_leaves_no_branch_and_can_be_run_again(relane, workrepo, tmp_path):
    root = workrepo()
    bare = bare_remote(tmp_path)
    hook(bare / "hooks", "pre-receive", "echo 'ask in #ci first' >&2\nexit 1\n")
    before = snapshot(root)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert (r.code, r.err) == (2, (
        "relane: error: branch 'lane' was not pushed to origin, so relane removed it again: "
        "git push failed: [remote rejected] (pre-receive hook declined); remote: ask in #ci first\n"
    ))
    assert (snapshot(root), branches(root)) == (before, ["refs/heads/main"])

    (bare / "hooks" / "pre-receive").unlink()
    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert r.code == 0, r.err
    assert git(bare, "rev-parse", "lane") == git(root, "rev-parse", "lane")


def test_a_branch_made_on_the_remote_during_the_push_is_left_alone(relane, workrepo, tmp_path):
    root = workrepo()
    bare = bare_remote(tmp_path)
    # Someone else creates the branch between relane's check and its push.
    hook(root / ".git" / "hooks", "pre-push", f"git --git-dir='{bare}' update-ref refs/heads/lane main\n")
    theirs = git(bare, "rev-parse", "main")

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push")

    assert r.code == 2
    assert r.err.startswith(
        "relane: error: branch 'lane' was not pushed to origin, so relane removed it again: "
        "git push failed: [remote rejected] (failed to update ref); remote: "
    )
    assert git(bare, "rev-parse", "lane") == theirs
    assert branches(root) == ["refs/heads/main"]


def test_a_repository_with_no_commits_yet_says_so(relane, tmp_path, git_env):
    root = tmp_path / "fresh"
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_text("on: push\njobs:\n  b:\n    runs-on: x\n")
    git(tmp_path, "init", "-q", "-b", "main", str(root))

    for base in ((), ("--base", "main")):
        r = relane("retarget", str(root), "--to", "y", "--branch", "lane", *base)

        name = base[1] if base else "HEAD"
        assert (r.code, r.err) == (2, f"relane: error: base {name!r} is not a commit in {root}: "
                                   "the repository has no commits yet; commit the workflows first\n")
    assert branches(root) == []


def test_a_branch_with_no_commits_yet_says_so(relane, workrepo):
    root = workrepo()
    git(root, "checkout", "-q", "--orphan", "fresh")

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane")

    assert (r.code, r.err) == (2, f"relane: error: base 'HEAD' is not a commit in {root}: "
                               "branch 'fresh' has no commits yet; pass --base REF\n")
    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--base", "nope")
    assert (r.code, r.err) == (2, f"relane: error: base 'nope' is not a commit in {root}\n")
