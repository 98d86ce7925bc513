"""Secrets from the environment never reach stderr, whatever goes wrong."""

from __future__ import annotations

import relane.roots as roots
from relane.redact import scrub, secrets

TOKEN = "ghp_s3cretT0kenValue42"


def test_redact_masks_secret_variables_longest_first():
    env = {"GITHUB_TOKEN": "abcdef123", "GITEA_TOKEN": "abcdef", "PATH": "/usr/bin:/bin",
           "MY_API_KEY": "k3y-value", "SHORT_TOKEN": "ab", "HOME": "abcdef123"}
    assert secrets(env) == ["abcdef123", "k3y-value", "abcdef"]
    assert scrub("x abcdef123 abcdef k3y-value /usr/bin ab", env) == "x *** *** *** /usr/bin ab"


def test_usage_error_naming_a_secret_is_masked(relane, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    r = relane("retarget", str(tmp_path / TOKEN), "--to", "p")
    assert r.code == 2
    assert r.err == f"relane: error: {tmp_path}/***: no such file or folder\n"


def test_click_error_naming_a_secret_is_masked(relane, monkeypatch):
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    r = relane("retarget", f"--{TOKEN}")
    assert r.code == 2
    assert TOKEN not in r.err
    assert "--***" in r.err


def test_input_error_and_summary_naming_a_secret_are_masked(relane, monkeypatch, tmp_path):
    monkeypatch.setenv("FORGEJO_TOKEN", TOKEN)
    folder = tmp_path / TOKEN
    folder.mkdir()
    (folder / "a.yml").write_text("on: push\njobs: [\n")
    r = relane("retarget", str(folder / "a.yml"), "--to", "p")
    assert r.code == 2
    assert TOKEN not in r.err
    (folder / "a.yml").write_text("on: pull_request\njobs:\n  a:\n    runs-on: x\n")
    r = relane("retarget", str(folder / "a.yml"), "--to", TOKEN + "-lane")
    assert r.code == 0
    assert TOKEN not in r.err
    assert "moved to ***-lane" in r.err


def test_crash_message_and_traceback_are_masked(relane, monkeypatch, tmp_path):
    monkeypatch.setenv("RELANE_TOKEN", TOKEN)

    def crash(*args, **kwargs):
        raise RuntimeError(f"request failed: Authorization: token {TOKEN}")

    # Fault injection: the planner fails with a message carrying the token.
    monkeypatch.setattr(roots, "run_roots", crash)  # the command looks it up when it runs
    r = relane("retarget", str(tmp_path), "--to", "p")
    assert r.code == 3
    assert r.err == (
        "relane: internal error: RuntimeError: request failed: Authorization: token *** "
        "(set RELANE_TRACEBACK=1 to see where)\n"
    )
    monkeypatch.setenv("RELANE_TRACEBACK", "1")
    r = relane("retarget", str(tmp_path), "--to", "p")
    assert r.code == 3
    assert r.err.startswith("Traceback (most recent call last):\n")
    assert r.err.endswith("RuntimeError: request failed: Authorization: token ***\n")
    assert TOKEN not in r.err


def test_scrub_masks_the_escaped_forms_an_error_quotes_a_secret_in():
    value = "ghp_TOPSECRET1\nTOPSECRET2\u00f6"
    env = {"GITHUB_TOKEN": value}
    for quoted in (repr(value), ascii(value), repr(value.encode()), '"ghp_TOPSECRET1\\nTOPSECRET2\\u00f6"'):
        text = f"Illegal header value Bearer {quoted} (GET /x)"
        assert "TOPSECRET" not in scrub(text, env), quoted
    assert scrub(f"header b'Bearer {value.encode()!r}'", env).count("***") == 1


def test_scrub_masks_userinfo_of_any_scheme_up_to_its_last_at():
    cases = {
        "ssh://deploy:Sup3rPassw0rd@git.corp.net/o/r.git": "ssh://***@git.corp.net/o/r.git",
        "https://deploy:Sup3r@Passw0rd@git.corp.net/o/r.git": "https://***@git.corp.net/o/r.git",
        "https://deploy:Sup3r/Passw0rd@github.com/o/r.git": "https://***@github.com/o/r.git",
        "git+ssh://u:pw@h/o/r": "git+ssh://***@h/o/r",
        "ftp://u:pw@h/x": "ftp://***@h/x",
        "HTTPS://tok@h:3000/x": "HTTPS://***@h:3000/x",
        # an ssh user name alone is no secret
        "ssh://git@github.com/o/r.git": "ssh://git@github.com/o/r.git",
        "git@github.com:o/r.git": "git@github.com:o/r.git",
        "https://github.com/o/r.git": "https://github.com/o/r.git",
    }
    for url, shown in cases.items():
        assert scrub(f"remote 'origin' ({url}); and a@b", {}) == f"remote 'origin' ({shown}); and a@b"
