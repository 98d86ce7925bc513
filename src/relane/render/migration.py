"""Reports of a run of saved migrations (:class:`relane.migrate.MigrationPlan`):
each migration's own report, in text, JSON and Markdown, as ``relane
migrate`` prints them."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from relane.render import text as report
from relane.render.format import printable
from relane.render.json import as_dict, with_refused

if TYPE_CHECKING:
    from relane.migrate import MigrationPlan


def migration_text(result: MigrationPlan) -> str:
    """Every job considered, under a heading per migration."""
    return "".join(f"== migration {printable(m.name)}\n" + report.plan_text(p) for m, p in result.parts)


def migration_dict(result: MigrationPlan, spec: str) -> dict:
    """The JSON report as data: each migration's report (without its diff),
    the files considered and changed, and the diff of the whole run."""
    migrations = []
    for m, p in result.parts:
        doc = as_dict(p)
        doc.pop("diff", None)
        migrations.append({"name": m.name, **doc})
    return {
        "spec": spec,
        "reverse": result.reverse,
        "migrations": migrations,
        "files": with_refused(
            {
                "considered": list(result.plan.files),
                "changed": [c.path for c in result.plan.changes],
            },
            result.plan,
        ),
        "diff": result.diff,
    }


def migration_json(result: MigrationPlan, spec: str) -> str:
    return json.dumps(migration_dict(result, spec), indent=2, ensure_ascii=False) + "\n"


def migration_markdown(result: MigrationPlan) -> str:
    """The pull-request description of a run: each migration's sections, then the diff."""
    from relane.render.markdown import code, diff_block, not_read, sections

    lines: list[str] = []
    for m, p in result.parts:
        lines += ([""] if lines else []) + [f"## Migration {code(m.name, cell=False)}", ""] + sections(p)
    return "\n".join(lines + not_read(result.plan, 2) + diff_block(result.diff)) + "\n"


def migration_summary(result: MigrationPlan, *, written: bool = False) -> str:
    """Lines for stderr: each migration's summary, then warnings about files
    rather than a migration's jobs (a symlink leading outside the repository)."""
    # Files --skip-invalid left out belong to the whole run, not to a migration.
    refused = result.plan.refused
    lines = [
        f"{printable(m.name)}: " + report.summary(replace(p, file_results=refused), written=written)
        for m, p in result.parts
    ]
    lines += [f"warning: {w}" for w in result.plan.warnings if not any(w in p.warnings for _, p in result.parts)]
    return "\n".join(line for line in lines if line)
