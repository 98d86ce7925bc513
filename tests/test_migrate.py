"""``relane migrate``: saved migrations, applied and rolled back byte for byte."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLES, corpus_files
from relane import migrate
from relane.render import text as report

SPEC = EXAMPLES / "publish-lane" / "relane.toml"


@pytest.fixture
def lane(tmp_path):
    """A copy of examples/publish-lane with its spec; returns (root, original bytes)."""
    root = tmp_path / "lane"
    shutil.copytree(EXAMPLES / "publish-lane", root)
    return root, _snapshot(root)


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_forward_then_reverse_gives_back_every_byte(relane, lane):
    root, original = lane
    spec = str(root / "relane.toml")
    r = relane("migrate", spec, "--write")
    assert r.code == 0, r.err
    assert r.out == ""
    assert r.err == (
        "publish-lane: changed 5 files of 8; 7 jobs moved to publish\n"
        "not moved: 3 excluded (3 trigger)\n"
        "not moved: 1 skipped (1 reusable)\n"
        "comments: 7 added, 1 block dropped\n"
    )
    changed = _snapshot(root)
    assert sorted(p for p in original if original[p] != changed[p]) == [
        ".gitea/workflows/publish-canvas-image.yml",
        ".gitea/workflows/publish-runtime.yml",
        ".gitea/workflows/publish-workspace-server-image.yml",
        ".gitea/workflows/redeploy-tenants-on-main.yml",
        ".gitea/workflows/redeploy-tenants-on-staging.yml",
    ]
    assert b"NOTE: moved back" not in changed[".gitea/workflows/publish-workspace-server-image.yml"].split(b"relane: dropped")[0]
    # Applied: a second run has nothing to do.
    r = relane("migrate", spec, "--check")
    assert (r.code, r.out) == (0, "")
    assert "not moved: 7 already on target (7 on-target)" in r.err
    # The rollback.
    r = relane("migrate", spec, "--reverse", "--check", "-q")
    assert (r.code, r.err) == (1, "")
    r = relane("migrate", spec, "--reverse", "--write")
    assert r.code == 0
    assert r.err == (
        "publish-lane: changed 5 files of 8; 7 jobs moved back to their previous runs-on\n"
        "not moved: 4 excluded (3 trigger, 1 not-on-target)\n"
        "comments: 7 removed, 1 dropped block put back\n"
    )
    assert _snapshot(root) == original
    assert relane("migrate", spec, "--reverse", "--check").code == 0


def test_reverse_diff_and_json(relane, lane):
    root, _ = lane
    spec = str(root / "relane.toml")
    relane("migrate", spec, "--write")
    r = relane("migrate", spec, "--reverse", "--format", "json")
    doc = json.loads(r.out)
    assert doc["reverse"] is True
    assert [m["name"] for m in doc["migrations"]] == ["publish-lane"]
    jobs = {(j["workflow"].rsplit("/", 1)[1], j["job"]): j for j in doc["migrations"][0]["jobs"]}
    cascade = jobs[("publish-runtime.yml", "cascade")]
    assert (cascade["outcome"], cascade["code"], cascade["before"], cascade["after"]) == (
        "moved",
        "moved-back",
        "publish",
        ["ubuntu-latest"],
    )
    assert (cascade["comment"], cascade["dropped_comments"]) == ("removed", 0)
    assert jobs[("publish-workspace-server-image.yml", "build-and-push")]["dropped_comments"] == 1
    assert doc["diff"].count("diff --git") == 5
    assert doc["files"]["changed"] == [
        ".gitea/workflows/publish-canvas-image.yml",
        ".gitea/workflows/publish-runtime.yml",
        ".gitea/workflows/publish-workspace-server-image.yml",
        ".gitea/workflows/redeploy-tenants-on-main.yml",
        ".gitea/workflows/redeploy-tenants-on-staging.yml",
    ]
    assert (
        "-    runs-on: publish\n"
        "+    runs-on:\n"
        "+      - ubuntu-latest\n"
    ) in doc["diff"]


def test_without_a_template_the_record_alone_is_written(relane, repo):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: [x]\n"})
    (root / "m.toml").write_text('[migration.m]\nto = "y"\n')
    r = relane("migrate", str(root / "m.toml"))
    assert r.out.endswith("   a:\n-    runs-on: [x]\n+    # relane: was [x]\n+    runs-on: \"y\"\n")


def test_several_migrations_first_one_wins(relane, repo):
    root = repo(
        {
            "ship.yml": "on: push\njobs:\n  build:\n    runs-on: x\n  deploy:\n    runs-on: x\n",
        }
    )
    (root / "m.toml").write_text(
        '[migration.deploys]\njobs = ["ship:deploy"]\nto = "deploy"\n\n'
        '[migration.all]\nto = "publish"\ncomment = "hard-dependency"\nref = "R#1"\n'
    )
    r = relane("migrate", str(root / "m.toml"), "--format", "text", "--write")
    assert r.code == 0
    assert r.out == (
        "== migration deploys\n"
        "moved     .github/workflows/ship.yml:5  deploy  x -> deploy (comment added)\n"
        "excluded  .github/workflows/ship.yml:3  build   job not matched by --job\n"
        "== migration all\n"
        "moved     .github/workflows/ship.yml:3  build   x -> publish (comment added)\n"
        "excluded  .github/workflows/ship.yml:5  deploy  left to migration deploys\n"
    )
    text = (root / ".github/workflows/ship.yml").read_text()
    assert "    # relane: was x\n    runs-on: deploy\n" in text
    assert text.count("# relane: was x") == 2
    r = relane("migrate", str(root / "m.toml"), "--name", "all", "--reverse", "--write", "-q")
    assert r.code == 0
    assert (root / ".github/workflows/ship.yml").read_text() == (
        "on: push\njobs:\n  build:\n    runs-on: x\n  deploy:\n    # relane: was x\n    runs-on: deploy\n"
    )
    assert relane("migrate", str(root / "m.toml"), "--name", "nope").err == (
        "relane: error: no migration named 'nope' (known: deploys, all)\n"
    )


@pytest.mark.parametrize(
    "spec, error",
    [
        ("[migration.a]\nto = \n", "m.toml:2:6: Invalid value"),
        ("x = 1\n", "m.toml: x: unknown key (a spec holds [migration.NAME] tables and a [campaign])"),
        ("# nothing\n", "m.toml: no migrations: add a [migration.NAME] table"),
        ("[migration]\na = 1\n", "m.toml: migration.a: expected a table of settings"),
        (
            '[migration.a]\nto = "x"\ncoment = "x"\n',
            "m.toml: migration.a.coment: unknown key (known: paths, include, exclude, jobs, on, "
            "not-on, from, to, map, move-expressions, move-groups, comment, ref, note, comment-width, drop-comment)",
        ),
        ("[migration.a]\non = 1\n", "m.toml: migration.a.on: expected a string or a list of strings"),
        ("[migration.a]\nfrom = []\n", "m.toml: migration.a.to: missing: the label (or list of labels) to move jobs to (or a map of labels)"),
        ('[migration.a]\nmap = {}\n', "m.toml: migration.a.map: the label map is empty"),
        ('[migration.a]\nmap = { a = "a" }\n', "m.toml: migration.a.map: map a=a: the label maps to itself"),
        ('[migration.a]\nmap = { a = 1 }\n', "m.toml: migration.a.map: a: expected the new label, a string"),
        ('[migration.a]\nmap = { a = "b" }\nto = "c"\n', "m.toml: migration.a.to: cannot be used with map"),
        ('[migration.a]\nmap = "nope"\n', "m.toml: migration.a.map: --map 'nope': expected OLD=NEW, @retired or a FILE.toml"),
        ('[migration.a]\nto = ""\n', "m.toml: migration.a.to: expected a non-empty label or list of labels"),
        ('[migration.a]\nto = ["x", " y"]\n',
         "m.toml: migration.a.to: target runner label ' y' has surrounding spaces or control characters"),
        ('[migration.a]\nto = "a\\u2028b"\n',
         "m.toml: migration.a.to: target runner label 'a\\u2028b' holds a character that does not print (U+2028)"),
        ('[migration.a]\nto = "x"\nnot-on = ["pull-request"]\n',
         "m.toml: migration.a.not-on: 'pull-request' is not an event name (event names look like 'pull_request')"),
        ('[migration.a]\nto = "x"\nmove-groups = "yes"\n', "m.toml: migration.a.move-groups: expected true or false"),
        ('[migration.a]\nto = "x"\ncomment-width = "wide"\n', "m.toml: migration.a.comment-width: expected a whole number of columns"),
        ('[migration.a]\nto = "x"\ncomment = "hard-dependency"\nref = "R"\ncomment-width = 0\n', "m.toml: migration.a.comment-width: comment width must be a positive number of columns, not 0"),
        ('[migration.a]\nto = "x"\ncomment-width = 70\n', "m.toml: migration.a.comment-width: comment width applies to a comment template; set a comment (--comment) too"),
        (
            '[migration.a]\nto = "x"\ncomment = "nope"\n',
            "m.toml: migration.a.comment: unknown comment template 'nope': not built in (hard-dependency) and no such file",
        ),
        ('[migration.a]\nto = "x"\nref = "R"\n', "m.toml: migration.a.ref: ref and note fill in a comment template; set a comment (--comment) too"),
        (
            '[migration.a]\nto = "x"\ndrop-comment = ["("]\n',
            "m.toml: migration.a.drop-comment: bad drop-comment pattern '(': missing ), unterminated subpattern at position 0",
        ),
        ('[migration.a]\nto = "x"\non = ["@prs"]\n', "m.toml: migration.a.on: unknown event group '@prs' (known: @pr, @ship)"),
        ('[migration.a]\nto = "x"\njobs = ["a:"]\n', "m.toml: migration.a.jobs: --job 'a:': expected WORKFLOW_GLOB[:JOB_GLOB]"),
        ('[migration.a]\nto = "x"\npaths = ["gone"]\n', "m.toml: migration.a.paths: gone: no such file or folder (relative to the spec file)"),
    ],
)
def test_spec_errors_are_one_line_with_file_and_key(relane, tmp_path, monkeypatch, spec, error):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.toml").write_text(spec)
    r = relane("migrate", "m.toml")
    assert (r.code, r.out) == (2, "")
    assert r.err == f"relane: error: {error}\n"


def test_missing_spec(relane, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = relane("migrate", "none.toml")
    assert (r.code, r.err) == (2, "relane: error: none.toml: no such file\n")


def test_template_file_relative_to_the_spec(relane, repo):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    (root / "ops").mkdir()
    (root / "ops" / "note.txt").write_text("{job} moved to {label}\n")
    (root / "ops" / "m.toml").write_text('[migration.m]\npaths = [".."]\nto = "y"\ncomment = "note.txt"\n')
    r = relane("migrate", str(root / "ops" / "m.toml"))
    assert "+    # relane: was x\n+    # a moved to y\n+    runs-on: \"y\"\n" in r.out


WILD_SPEC = """\
[migration.everything]
to = "relane-test"
move-expressions = true
move-groups = true
comment = "hard-dependency"
ref = "corpus#1"
note = "a note that makes the block two paragraphs long"
comment-width = 60
drop-comment = ["."]  # every comment block inside a moved job

[migration.nothing-left]
to = ["a", "b"]
"""


@pytest.mark.slow
def test_forward_then_reverse_is_byte_identical_over_the_wild_corpus(tmp_path):
    """Every runs-on form, indentation, line ending and comment layout of the
    wild corpus: move every job that can move, drop every comment block in
    it, then roll back; every file must come back byte for byte. (Files are
    written plainly here: --write's atomic, fsynced writes are tested on the
    example, and thousands of fsyncs would only make this slow.)"""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    original = {}
    for path in corpus_files("wild"):
        data = path.read_bytes()
        (folder / path.name).write_bytes(data)
        original[path.name] = data
    spec = tmp_path / "relane.toml"
    spec.write_text(WILD_SPEC)
    migrations = migrate.load(spec)

    forward = migrate.plan_migrations(migrations)
    assert len(forward.plan.changes) > 1500
    (everything, part), _ = forward.parts
    assert report.comment_counts(part)["blocks dropped"] > 1000
    for change in forward.plan.changes:
        change.source.file.write_bytes(change.new_bytes)
    assert migrate.plan_migrations(migrations).plan.changes == ()

    back = migrate.plan_migrations(migrations, reverse=True)
    assert len(back.plan.changes) == len(forward.plan.changes)
    restored = {c.source.file.name: c.new_bytes for c in back.plan.changes}
    differ = [n for n in original if restored.get(n, (folder / n).read_bytes()) != original[n]]
    assert differ == []


def test_two_migrations_to_one_label_keep_to_their_own_jobs(relane, repo):
    """Migrations told apart by --from share a target: each re-run, and each
    rollback, goes by the label relane recorded the job was moved from."""
    text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n  b:\n    runs-on: ubuntu-22.04\n"
    root = repo({"w.yml": text})
    spec = root / "m.toml"
    spec.write_text(
        '[migration.A]\nfrom = ["ubuntu-latest"]\nto = "publish"\ncomment = "hard-dependency"\nref = "A#1"\n\n'
        '[migration.B]\nfrom = ["ubuntu-22.04"]\nto = "publish"\ncomment = "hard-dependency"\nref = "B#2"\n'
    )
    r = relane("migrate", str(spec), "--write")
    assert r.code == 0, r.err
    moved = (root / ".github/workflows/w.yml").read_text()
    assert moved.count("HARD DEPENDENCY (A#1)") == 1 and moved.count("HARD DEPENDENCY (B#2)") == 1

    # Applied: nothing left to do, and B's job keeps B's comment.
    r = relane("migrate", str(spec), "--check", "--format", "json")
    assert (r.code, r.err.splitlines()[0]) == (0, "A: would change 0 files of 1; 0 jobs moved to publish"), r.err
    jobs = {(m["name"], j["job"]): (j["outcome"], j["code"]) for m in json.loads(r.out)["migrations"] for j in m["jobs"]}
    assert jobs == {
        ("A", "a"): ("already", "on-target"),
        ("A", "b"): ("excluded", "other-move"),
        ("B", "a"): ("excluded", "claimed"),
        ("B", "b"): ("already", "on-target"),
    }

    # Rolling back A puts back A's job only.
    r = relane("migrate", str(spec), "--name", "A", "--reverse", "--write")
    assert r.code == 0, r.err
    after = (root / ".github/workflows/w.yml").read_text()
    assert "  a:\n    runs-on: ubuntu-latest\n" in after
    assert "HARD DEPENDENCY (B#2)" in after and "    runs-on: publish\n" in after
    r = relane("migrate", str(spec), "--name", "B", "--reverse", "--write")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/w.yml").read_text() == text


def test_a_job_reshaped_by_hand_does_not_stop_the_rollback(relane, repo):
    root = repo({"w.yml": "on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: y\n"})
    spec = root / "m.toml"
    spec.write_text('[migration.m]\nto = "publish"\n')
    assert relane("migrate", str(spec), "--write").code == 0
    path = root / ".github/workflows/w.yml"
    # Job a is now on the same label, written as a block list.
    path.write_text(path.read_text().replace("    runs-on: publish\n", "    runs-on:\n      - publish\n", 1))

    r = relane("migrate", str(spec), "--reverse", "--write", "--format", "text")

    assert r.code == 0, r.err
    assert (
        "skipped  .github/workflows/w.yml:3  a  changed since relane moved it (line 6: runs-on no longer has "
        "the form relane recorded; cannot roll back); left alone\n"
    ) in r.out
    assert path.read_text() == (
        "on: push\njobs:\n  a:\n    # relane: was x\n    runs-on:\n      - publish\n  b:\n    runs-on: y\n"
    )


@pytest.mark.parametrize(
    "jobs, moved",
    [
        ("{a: {runs-on: x}, b: {runs-on: y}}", "# relane: was x\njobs: {a: {runs-on: publish}, b: {runs-on: y}}\n"),
        # The first job is on the target already: the block above the line
        # would read as its own, so the second one still has no room.
        ("{a: {runs-on: publish}, b: {runs-on: y}}", None),
    ],
)
def test_jobs_sharing_a_line_move_the_first_alone_on_every_run(relane, repo, jobs, moved):
    text = f"on: push\njobs: {jobs}\n"
    root = repo({"w.yml": text})
    spec = root / "m.toml"
    spec.write_text('[migration.m]\nto = "publish"\n')
    path = root / ".github/workflows/w.yml"
    expected = text if moved is None else "on: push\n" + moved

    r = relane("migrate", str(spec), "--write", "--format", "json")
    assert r.code == 0, r.err
    assert path.read_text() == expected
    codes = {j["job"]: j["code"] for j in json.loads(r.out)["migrations"][0]["jobs"]}
    assert codes["b"] == "same-line"
    r = relane("migrate", str(spec), "--check", "--format", "json")
    assert r.code == 0, r.out
    assert {j["job"]: j["code"] for j in json.loads(r.out)["migrations"][0]["jobs"]}["b"] == "same-line"
    assert relane("migrate", str(spec), "--write").code == 0
    assert path.read_text() == expected
    r = relane("migrate", str(spec), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text


def test_map_migration_records_and_reverses(relane, repo):
    text = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-20.04\n  m:\n    strategy:\n      matrix:\n"
        "        os: [ubuntu-20.04, windows-2019]\n    runs-on: ${{ matrix.os }}\n    steps:\n"
        "      - if: matrix.os == 'windows-2019'\n        run: x\n"
    )
    root = repo({"ci.yml": text})
    spec = root / "relane.toml"
    spec.write_text('[migration.retire]\nmap = { "ubuntu-20.04" = "ubuntu-24.04", "windows-2019" = "windows-2022" }\n')
    r = relane("migrate", str(spec), "--write", "-q")
    assert r.code == 0, r.err
    path = root / ".github/workflows/ci.yml"
    written = path.read_text()
    assert written == (
        "on: push\njobs:\n  a:\n"
        '    # relane: map ["runs-on"] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n'
        "    runs-on: ubuntu-24.04\n  m:\n    strategy:\n      matrix:\n"
        "        os: [ubuntu-24.04, windows-2022]\n"
        '    # relane: map ["strategy","matrix","os",0] "ubuntu-20.04"\n    # relane: now "ubuntu-24.04"\n'
        '    # relane: map ["strategy","matrix","os",1] "windows-2019"\n    # relane: now "windows-2022"\n'
        '    # relane: map ["steps",0,"if"] "matrix.os == \'windows-2019\'"\n'
        '    # relane: now "matrix.os == \'windows-2022\'"\n'
        "    runs-on: ${{ matrix.os }}\n    steps:\n      - if: matrix.os == 'windows-2022'\n        run: x\n"
    )
    r = relane("migrate", str(spec), "--check")
    assert r.code == 0
    r = relane("migrate", str(spec), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text
    assert relane("migrate", str(spec), "--write", "-q").code == 0
    spec.write_text('[migration.retire]\nmap = "@retired"\n')
    assert relane("migrate", str(spec), "--check").code == 0


def _applied(relane, repo, text, spec_text):
    """``text`` as w.yml in a repository, migrated by ``spec_text``: (spec, workflow path)."""
    root = repo({"w.yml": text})
    spec = root / "m.toml"
    spec.write_text(spec_text)
    assert relane("migrate", str(spec), "--write").code == 0
    return spec, root / ".github/workflows/w.yml"


def _reversed_but_job_a(relane, spec, path, edited, why):
    """Write ``edited``, roll back: job a is skipped as changed for ``why``
    and job b (on y before) is rolled back."""
    path.write_text(edited)
    r = relane("migrate", str(spec), "--reverse", "--write", "--format", "text")
    assert r.code == 0, r.err
    assert f"  a  changed since relane moved it (line 4: {why}); left alone\n" in r.out
    assert path.read_text() == edited.replace("    # relane: was y\n    runs-on: publish\n", "    runs-on: y\n")


def test_a_dropped_comment_that_would_land_in_a_value_edited_by_hand_skips_that_job(relane, repo):
    """The line a dropped comment goes back to now lies inside a block
    scalar (lines were removed by hand): that job is left alone as changed,
    the others are rolled back, and the run ends normally."""
    text = (
        "on: push\njobs:\n"
        "  a:\n    runs-on: x\n    timeout-minutes: 5\n    env: {A: 1}\n    # NOTE: stale\n    steps:\n      - run: echo\n"
        "  b:\n    runs-on: y\n"
    )
    spec, path = _applied(relane, repo, text, '[migration.m]\nto = "publish"\ndrop-comment = ["NOTE"]\n')
    moved = path.read_text()
    assert '# relane: dropped@3 "    # NOTE: stale\\n"' in moved
    edited = moved.replace("    timeout-minutes: 5\n    env: {A: 1}\n", "    env:\n      X: |\n        one\n        two\n")
    _reversed_but_job_a(relane, spec, path, edited, "a dropped comment would go back inside a value; cannot roll back")


@pytest.mark.parametrize(
    "group, code",
    [
        ("{group: g, labels: !!seq [a]}", "unsupported"),
        ("\n      group: g\n      labels: !!str b", "unsupported"),
        ("{group: g, labels: &q [a]}", "anchor"),
    ],
)
def test_a_runner_group_holding_a_tag_or_anchor_is_not_moved(relane, repo, group, code):
    """relane's record could not give such a group back (the rollback ended
    with exit 3): it is left alone, like a list holding one, and the other
    group moves and rolls back."""
    text = f"x: &l [a]\non: push\njobs:\n  a:\n    runs-on: {group}\n  b:\n    runs-on: {{group: h}}\n"
    spec, path = _applied(relane, repo, text, '[migration.m]\nto = "publish"\nmove-groups = true\n')
    r = relane("migrate", str(spec), "--check", "--format", "json")
    assert r.code == 0, r.err
    codes = {j["job"]: (j["outcome"], j["code"]) for j in json.loads(r.out)["migrations"][0]["jobs"]}
    assert codes == {"a": ("skipped", code), "b": ("already", "on-target")}
    r = relane("migrate", str(spec), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text


@pytest.mark.parametrize("was", ["&a b", "!!str b", "[b, &c d]", "a: b", "- b", "? b"])
def test_a_record_edited_into_what_no_move_writes_skips_its_job(relane, repo, was):
    """A ``was`` value no move records (an anchor, a tag, a value that
    cannot stand on the runs-on line) used to end the rollback with exit 3:
    the job is left alone as changed, the others are rolled back."""
    text = "on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: y\n"
    spec, path = _applied(relane, repo, text, '[migration.m]\nto = "publish"\n')
    edited = path.read_text().replace("# relane: was x\n", f"# relane: was {was}\n")
    _reversed_but_job_a(relane, spec, path, edited, "unreadable relane record: its runs-on is not a value relane moves")


@pytest.mark.parametrize(
    "dropped",
    [
        '"    # no line break"',  # would join the runs-on line
        '"    foo: bar\\n"',  # a key, not a comment
        '"    # one\\n    two: 2\\n"',
        '"    # one\\r    two: 2\\n"',  # a lone CR breaks the line for YAML
        '""',
    ],
)
def test_a_dropped_record_edited_into_what_is_not_comment_lines_skips_its_job(relane, repo, dropped):
    """What relane drops is whole comment lines: a ``dropped@`` string
    edited into anything else used to end the rollback with exit 3; the
    job is left alone as changed, the others are rolled back."""
    text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n  b:\n    runs-on: y\n"
    spec, path = _applied(relane, repo, text, '[migration.m]\nto = "publish"\n')
    edited = path.read_text().replace("# relane: was x\n", f"# relane: was x\n    # relane: dropped@0 {dropped}\n")
    _reversed_but_job_a(relane, spec, path, edited, "relane record: a dropped comment is not comment lines; cannot roll back")


def test_a_dropped_comment_at_the_end_of_a_file_without_a_final_newline_rolls_back(relane, repo):
    text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n    # stale"
    spec, path = _applied(relane, repo, text, '[migration.m]\nto = "publish"\ndrop-comment = ["stale"]\n')
    assert "# stale" not in path.read_text().replace('"    # stale"', "")
    r = relane("migrate", str(spec), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text


@pytest.mark.parametrize(
    "group",
    ["{group: g, labels: *l}", "\n      group: g\n      labels: [b, *s]", "{<<: *m, labels: [a]}"],
)
def test_a_runner_group_holding_an_alias_is_not_moved(relane, repo, group):
    """relane's record of such a group cannot be read on its own (the alias
    points into the rest of the file), so the rollback called it changed by
    hand: it is left alone with its reason, and the other group moves and
    rolls back."""
    text = (
        f"x: &l [a]\ny: &s b\nz: &m {{group: g}}\non: push\njobs:\n  a:\n    runs-on: {group}\n"
        "  b:\n    runs-on: {group: h}\n"
    )
    spec, path = _applied(relane, repo, text, '[migration.m]\nto = "publish"\nmove-groups = true\n')
    r = relane("migrate", str(spec), "--check", "--format", "json")
    assert r.code == 0, r.err
    jobs = {j["job"]: j for j in json.loads(r.out)["migrations"][0]["jobs"]}
    assert (jobs["a"]["outcome"], jobs["a"]["code"], jobs["b"]["code"]) == ("skipped", "alias", "on-target")
    assert jobs["a"]["reason"].startswith("runs-on group holds the YAML alias *")
    assert "move other jobs" not in jobs["a"]["reason"]
    r = relane("migrate", str(spec), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text
    r = relane("retarget", str(path.parent.parent.parent), "--to", "p", "--move-groups", "--format", "json")
    assert [(j["job"], j["outcome"], j["code"]) for j in json.loads(r.out)["jobs"]] == [
        ("a", "skipped", "alias"),
        ("b", "moved", "moved"),
    ]
