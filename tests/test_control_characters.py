"""Characters that act on a terminal (ESC, CR, NUL, ...) never reach it raw:
job ids, file names, migration and runner names are escaped in everything
made for people (text, Markdown, ls and guard tables, stderr); the diff and
JSON keep or encode them exactly."""

from __future__ import annotations

import json

import pytest

RAW = ("\x1b", "\r", "\x00", "\u202e")


def _no_raw(text: str) -> None:
    assert not any(c in text for c in RAW), repr(text)


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "a\x1b[31mred\nx.yml").write_text(
        'on: push\njobs:\n  "j\\e[2Kb\\r\\0z\\u202e":\n    runs-on: ubuntu-latest\n')
    return tmp_path


def test_ls_text_and_markdown_escape(relane, hostile):
    r = relane("ls", str(hostile))
    _no_raw(r.out)
    assert r.out.splitlines()[1].split() == [
        ".github/workflows/a\\x1b[31mred\\nx.yml", "j\\x1b[2Kb\\r\\x00z\\u202e", "push", "ship", "ubuntu-latest"]
    md = relane("ls", str(hostile), "--format", "markdown").out
    _no_raw(md)
    assert "| `.github/workflows/a\\x1b[31mred x.yml` | `j\\x1b[2Kb \\x00z\\u202e` |" in md  # one line each
    rows = json.loads(relane("ls", str(hostile), "--format", "json").out)
    assert rows[0]["job"] == "j\x1b[2Kb\r\x00z\u202e"  # JSON encodes them exactly


def test_retarget_reports_escape_and_the_diff_stays_exact(relane, hostile):
    r = relane("retarget", str(hostile), "--to", "publish", "--format", "text")
    _no_raw(r.out)
    assert r.out == "moved  .github/workflows/a\\x1b[31mred\\nx.yml:3  j\\x1b[2Kb\\r\\x00z\\u202e  ubuntu-latest -> publish\n"
    md = relane("retarget", str(hostile), "--to", "publish", "--format", "markdown").out
    table = md.split("```")[0]
    _no_raw(table)
    r = relane("retarget", str(hostile), "--to", "publish", "--job", "nope\x1b[2J")
    _no_raw(r.err)
    assert "warning: --job 'nope\\x1b[2J' matches no workflow" in r.err


def test_an_error_line_escapes(relane, tmp_path):
    r = relane("retarget", str(tmp_path / "no\x1b[2Jsuch"), "--to", "p")
    assert r.code == 2
    _no_raw(r.err)
    assert r.err == f"relane: error: {tmp_path}/no\\x1b[2Jsuch: no such file or folder\n"


def test_guard_table_escapes_runner_names_and_statuses(relane, tmp_path):
    listing = tmp_path / "runners.json"
    listing.write_text(json.dumps({"runners": [
        {"id": 1, "name": "r\x1b[2Jx", "status": "on\rline", "busy": False, "labels": [{"name": "publish"}]}]}))
    r = relane("guard", "--label", "publish", "--runners-json", str(listing), "--forge", "github")
    _no_raw(r.out)
    assert r.out.splitlines()[1].split() == ["publish", "r\\x1b[2Jx", "on\\rline", "no"]


def test_a_migration_name_is_escaped(relane, repo):
    root = repo({"ship.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"})
    (root / "relane.toml").write_text('[migration."m\\u001b[31m"]\nto = "publish"\n')
    r = relane("migrate", str(root / "relane.toml"), "--format", "text")
    assert r.code == 0, r.err
    _no_raw(r.out + r.err)
    assert "m\\x1b[31m" in r.err
