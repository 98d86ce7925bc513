"""One workflow through every way relane changes it: ``retarget --write``
then ``--check``, and a migration forward, ``--check`` and ``--reverse``.

Import it in a test module: ``from roundtrip import round_trip``.
"""

from __future__ import annotations

import json

COMMENT = ("--comment", "hard-dependency", "--ref", "R")
COMMENT_SPEC = 'comment = "hard-dependency"\nref = "R"\n'


def round_trip(relane, repo, text: str, options: tuple[str, ...] = (), spec: str = "", same: bool = True) -> list[dict]:
    """Run ``text`` through retarget (with ``options``) and a migration (with
    ``spec`` lines), both to ``new``; assert that every run succeeds, that
    ``--check`` right after ``--write`` finds nothing, that the migration
    writes what retarget wrote (with ``same``: the options say the same)
    and that its rollback gives ``text`` back. Returns retarget's job results."""
    root = repo({"w.yml": text})
    path = root / ".github/workflows/w.yml"
    r = relane("retarget", str(root), "--to", "new", *options, "--write", "--format", "json")
    assert r.code == 0, r.err
    jobs = json.loads(r.out)["jobs"]
    written = path.read_text()
    r = relane("retarget", str(root), "--to", "new", *options, "--check")
    assert r.code == 0, r.out + r.err
    assert path.read_text() == written

    path.write_text(text)
    migration = root / "m.toml"
    migration.write_text(f'[migration.m]\nto = "new"\n{spec}\n')
    r = relane("migrate", str(migration), "--write")
    assert r.code == 0, r.err
    if same:
        assert path.read_text() == written
    r = relane("migrate", str(migration), "--check")
    assert r.code == 0, r.out + r.err
    r = relane("migrate", str(migration), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text
    return jobs
