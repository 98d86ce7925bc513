#!/usr/bin/env python3
"""Give every workflow job that lacks one a ``timeout-minutes``.

A codemod of one's own on relane's public API: ``relane.discover`` finds
the workflow files, ``relane.load`` reads their jobs, ``relane.patch`` adds
the key in each file's own style (every other byte stays, and the result is
verified before it is returned), and ``relane.diff.text_diff`` shows the
change. Jobs that call a reusable workflow (``uses:``) are left alone:
GitHub does not accept ``timeout-minutes`` there.

    python timeout_minutes.py [PATH ...] [--minutes N] [--write]

Prints a unified diff (``git apply`` takes it) unless ``--write`` is given;
a file relane cannot edit is named on stderr and the exit code is 2.
"""

from __future__ import annotations

import argparse
import sys

import relane


def add_timeouts(source: relane.Source, minutes: int) -> str:
    """The text of ``source`` with ``timeout-minutes: minutes`` added to each
    job that has none."""
    workflow = relane.load(source)
    ops = [
        relane.Add(("jobs", job.id), "timeout-minutes", minutes)
        for job in workflow.jobs
        if job.uses is None and (job.node is None or "timeout-minutes" not in job.node.index)
    ]
    return relane.patch(source.text, ops, path=source.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Add timeout-minutes to every job lacking one.")
    parser.add_argument("paths", nargs="*", default=["."], help="repository roots or workflow files (default: .)")
    parser.add_argument("--minutes", type=int, default=30, help="the timeout to add (default: 30)")
    parser.add_argument("--write", action="store_true", help="write the files instead of printing a diff")
    args = parser.parse_args(argv)
    if args.minutes < 1:
        parser.error("--minutes must be at least 1")
    code = 0
    try:
        files = list(relane.discover(args.paths))
    except relane.RelaneError as exc:
        print(f"timeout_minutes: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for found in files:
        try:
            source = relane.Source.read(found.file, found.path)
            new = add_timeouts(source, args.minutes)
        except relane.RelaneError as exc:
            print(f"timeout_minutes: error: {exc}", file=sys.stderr)
            code = max(code, exc.exit_code)
            continue
        if new == source.text:
            continue
        if args.write:
            found.file.write_bytes(source.encode(new))
            print(f"wrote {found.path}")
        else:
            bom = "\ufeff" if source.bom else ""
            sys.stdout.write(relane.diff.text_diff(found.path, bom + source.text, bom + new))
    return code


if __name__ == "__main__":
    sys.exit(main())
