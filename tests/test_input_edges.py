"""Bad input at the edges of reading: odd files in a workflow folder, and
what the command line says about them."""

from __future__ import annotations

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

