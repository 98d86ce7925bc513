"""What bounds the guard's talk with a forge: the size of an answer, the time
of the whole command, and answers that would have crashed it (a real HTTP
server on 127.0.0.1)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import time
import zlib

import pytest

from forgeserver import Answer, forge  # noqa: F401
from gitrepo import git_env  # noqa: F401

TOKEN = "ghp_limitsT0kenNeverShown"
GH_PATH = "/repos/acme/widgets/actions/runners"
GT_PATH = "/api/v1/repos/acme/widgets/actions/runners"
MiB = 1024 * 1024


def guard(relane, forge, *extra, forge_name="github"):
    api = forge.url if forge_name == "github" else f"{forge.url}/api/v1"
    return relane("guard", "--label", "publish", "--forge", forge_name, "--api-url", api,
                  "--repo", "acme/widgets", *extra)


def listing_of(size: int) -> bytes:
    """A GitHub runner listing padded to ``size`` bytes."""
    head = b'{"total_count": 0, "runners": [], "padding": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'


def pack(body: bytes, coding: str, level: int = 6) -> bytes:
    """``body`` compressed as gzip, deflate (zlib's format) or raw-deflate
    (deflate data without zlib's header, as some servers send it)."""
    if coding == "gzip":
        return gzip.compress(body, level)
    wbits = -zlib.MAX_WBITS if coding == "raw-deflate" else zlib.MAX_WBITS
    packer = zlib.compressobj(level, zlib.DEFLATED, wbits)
    return packer.compress(body) + packer.flush()


def header_of(coding: str) -> str:
    return "gzip" if coding == "gzip" else "deflate"


@pytest.fixture(autouse=True)
def tokens(monkeypatch, git_env):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)


def test_an_answer_over_the_size_bound_is_not_read(relane, forge):
    forge.on("GET", GH_PATH, Answer(200, raw=listing_of(10 * MiB + 1)))
    r = guard(relane, forge)
    assert (r.code, r.out, r.err) == (
        2, "", f"relane: error: github: the answer from {forge.url} is larger than 10 MiB; not read (GET {GH_PATH})\n"
    )


def test_an_answer_just_under_the_bound_is_read(relane, forge):
    forge.on("GET", GH_PATH, Answer(200, raw=listing_of(10 * MiB)))
    r = guard(relane, forge)
    assert r.code == 1 and r.err == "" and "missing: 1 of 1 label has no online runner: publish" in r.out


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_a_compression_bomb_is_stopped_at_the_bound_decompressed(relane, forge, coding):
    packed = pack(listing_of(64 * MiB), coding, level=1)
    assert len(packed) < 1 * MiB  # 64 MiB once inflated
    forge.on("GET", GH_PATH, Answer(200, raw=packed, headers={"Content-Encoding": header_of(coding)}))
    started = time.monotonic()
    r = guard(relane, forge)
    assert time.monotonic() - started < 5
    assert (r.code, r.err) == (
        2, f"relane: error: github: the answer from {forge.url} is larger than 10 MiB; not read (GET {GH_PATH})\n"
    )


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_a_compressed_answer_is_read(relane, forge, coding):
    body = json.dumps({"total_count": 1, "runners": [
        {"id": 1, "name": "p1", "os": "Linux", "status": "online", "busy": False,
         "labels": [{"id": 1, "name": "publish", "type": "custom"}]}]}).encode()
    forge.on("GET", GH_PATH, Answer(200, raw=pack(body, coding), headers={"Content-Encoding": header_of(coding)}))
    r = guard(relane, forge)
    assert (r.code, r.err) == (0, ""), r.err
    assert forge.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(("coding", "says"), [
    ("br", "unsupported content coding 'br'"),
    ("gzip, gzip", "more than one content coding (gzip, gzip)"),
])
def test_an_encoding_relane_does_not_undo_is_one_line(relane, forge, coding, says):
    forge.on("GET", GH_PATH, Answer(200, raw=b"\x00\x01", headers={"Content-Encoding": coding}))
    r = guard(relane, forge)
    assert (r.code, r.err) == (
        2, f"relane: error: github: cannot decode the answer from {forge.url}: {says} (GET {GH_PATH})\n"
    )


def test_a_large_redirect_body_is_not_read(relane, forge):
    """A redirect is followed without reading its body, however large."""
    forge.on("GET", GH_PATH, Answer(307, raw=b"x" * (20 * MiB), headers={"Location": "/elsewhere"}))
    forge.on("GET", "/elsewhere", Answer(200, {"total_count": 0, "runners": []}))
    r = guard(relane, forge)
    assert r.code == 1 and r.err == ""


def test_the_deadline_bounds_the_whole_listing(relane, forge):
    """Each page comes within --timeout, but a listing with no end would
    hold the guard for a hundred pages: --deadline stops it."""
    forge.on("GET", GT_PATH, lambda request: Answer(
        200, {"total_count": 10_000, "runners": [{"id": int(request.query["page"]), "name": "r",
                                                   "status": "online", "labels": []}]}, delay=0.2))
    started = time.monotonic()
    r = guard(relane, forge, "--timeout", "5", "--deadline", "1", forge_name="gitea")
    took = time.monotonic() - started
    assert (r.code, r.out, r.err) == (
        2, "", "relane: error: gitea: the forge's answers took more than 1 s in all; stopped "
        f"(--deadline sets the bound) (GET {GT_PATH})\n",
    )
    assert 0.9 < took < 2.5
    assert 3 <= len(forge.requests) <= 6


def test_the_deadline_cuts_a_slow_answer_short(relane, forge):
    forge.on("GET", GH_PATH, Answer(200, {"total_count": 0, "runners": []}, delay=3))
    started = time.monotonic()
    r = guard(relane, forge, "--deadline", "0.5")
    assert time.monotonic() - started < 2
    assert r.err.startswith("relane: error: github: the forge's answers took more than 0.5 s in all; stopped")


def test_the_deadline_has_a_default_and_says_so(relane):
    r = relane("guard", "--help")
    assert "--deadline SECONDS" in r.out and "[default: 300]" in " ".join(r.out.split())


@pytest.mark.parametrize("forge_name", ["github", "gitea"])
@pytest.mark.parametrize("reset", ["99999999999999", "9" * 5000])
def test_a_rate_limit_reset_out_of_range_is_one_line(relane, forge, forge_name, reset):
    path = GH_PATH if forge_name == "github" else GT_PATH
    forge.on("GET", path, Answer(403, {"message": "API rate limit exceeded"},
                                 {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}))
    r = guard(relane, forge, forge_name=forge_name)
    assert (r.code, r.err) == (
        2, f"relane: error: {forge_name}: rate limit exceeded: API rate limit exceeded; its reset time is out of "
        f"range (GET {path})\n",
    )


def test_a_huge_retry_after_is_not_read_as_a_number(relane, forge):
    forge.on("GET", GH_PATH, Answer(429, {"message": "slow down"}, {"Retry-After": "9" * 5000}))
    r = guard(relane, forge)
    assert (r.code, r.err) == (
        2, f"relane: error: github: rate limit exceeded: slow down; no reset time given (GET {GH_PATH})\n"
    )


# An unreadable workflows folder. root reads any folder; it is run with the
# capabilities that let it do so dropped.

def _without_read_override(relane, tmp_path, *args):
    if os.geteuid() != 0:
        return relane(*args)
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: every folder is readable")
    proc = subprocess.run(
        ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", sys.executable, "-c",
         "import sys; from relane.cli.app import main; sys.exit(main(sys.argv[1:]))", *args],
        capture_output=True, text=True, cwd=tmp_path,
    )
    return type("Result", (), {"code": proc.returncode, "out": proc.stdout, "err": proc.stderr})


@pytest.mark.parametrize("locked", [".github", ".github/workflows"])
@pytest.mark.parametrize("command", [
    ["retarget", "repo", "--to", "publish"],
    ["ls", "repo"],
    ["guard", "--from-workflows", "repo", "--runners-json", "runners.json"],
])
def test_an_unreadable_workflows_folder_is_one_line(relane, tmp_path, monkeypatch, locked, command):
    folder = tmp_path / "repo" / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ship.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    (tmp_path / "runners.json").write_text('{"runners": []}')
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo" / locked).chmod(0)
    try:
        r = _without_read_override(relane, tmp_path, *command)
    finally:
        (tmp_path / "repo" / locked).chmod(0o755)
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: repo/{locked}: cannot read the folder: Permission denied\n")


# Hostile runner listings: saved (--runners-json) or from the API.

@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "not a runner listing: nested too deep"),
    ('{"runners": [{"name": "a", "id": ' + "9" * 5000 + "}]}", "not a runner listing: a number too long to read"),
    ('{"runners": [{"name": "a", "id": [1]}]}', "runner 1 has an id that is not a number or a string"),
    ('{"runners": [{"name": "a", "id": {}}]}', "runner 1 has an id that is not a number or a string"),
    ('[{"name": "a", "id": true}]', "runner 1 has an id that is not a number or a string"),
])
def test_a_hostile_saved_listing_is_one_line(relane, tmp_path, text, message):
    listing = tmp_path / "runners.json"
    listing.write_text(text)
    r = relane("guard", "--label", "publish", "--runners-json", str(listing), "--forge", "gitea")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {listing}: {message}\n")


@pytest.mark.parametrize("runner_id", [[1], {}])
def test_an_unhashable_runner_id_from_the_api_is_one_line(relane, forge, runner_id):
    forge.on("GET", GH_PATH, Answer(200, {"total_count": 1, "runners": [
        {"id": runner_id, "name": "p", "status": "online", "labels": [{"name": "publish"}]}]}))
    r = guard(relane, forge)
    assert (r.code, r.out, r.err) == (
        2, "", "relane: error: github runners of acme/widgets: runner 1 has an id that is not a number or a string\n")


@pytest.mark.parametrize("disabled", [True, "true", "True", "1"])
def test_a_runner_disabled_in_any_spelling_does_not_serve(relane, tmp_path, disabled):
    listing = tmp_path / "runners.json"
    listing.write_text(json.dumps({"runners": [
        {"id": 1, "name": "p", "status": "online", "busy": False, "disabled": disabled,
         "labels": [{"id": 1, "name": "publish", "type": "custom"}]}]}))
    r = relane("guard", "--label", "publish", "--runners-json", str(listing), "--forge", "gitea")
    assert (r.code, r.out) == (1, "LABEL    RUNNER  STATUS    BUSY\npublish  p       disabled  no\n"
                                  "missing: 1 of 1 label has no online runner: publish\n")


@pytest.mark.parametrize("disabled", [False, "false", None, 0])
def test_a_runner_not_disabled_serves(relane, tmp_path, disabled):
    listing = tmp_path / "runners.json"
    listing.write_text(json.dumps({"runners": [
        {"id": 1, "name": "p", "status": "online", "busy": False, "disabled": disabled,
         "labels": [{"id": 1, "name": "publish", "type": "custom"}]}]}))
    r = relane("guard", "--label", "publish", "--runners-json", str(listing), "--forge", "gitea")
    assert r.code == 0, r.out
