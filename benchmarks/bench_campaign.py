"""How long does ``relane campaign plan`` take over 200 local repositories?

Builds 200 bare repositories (file paths as clone URLs), each holding the
workflows of one repository of the wild corpus (in their own folders:
``.github``, ``.gitea``, ``.forgejo``), writes a campaign spec over them,
and times ``relane campaign plan`` as a whole process: once with an empty
cache (every repository fetched) and once more with the cache filled
(``git ls-remote`` per repository, nothing fetched), with ``--jobs`` 1, 4
and 8. No forge is asked anything: ``plan`` writes nothing.

    python benchmarks/bench_campaign.py [--repos N] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("RELANE_CORPUS", ROOT.parent / "shared" / "corpus")) / "wild"
FOLDERS = (".github/workflows/", ".gitea/workflows/", ".forgejo/workflows/")


def corpus_repos(corpus: Path, count: int) -> dict[str, dict[str, bytes]]:
    repos: dict[str, dict[str, bytes]] = {}
    for file in sorted(corpus.glob("*.y*ml")):
        owner, name, rest = file.name.split("__", 2)
        path = rest.replace("__", "/")
        key = f"{owner}/{name}".lower()
        if not path.startswith(FOLDERS) or (key not in repos and len(repos) == count):
            continue
        repos.setdefault(key, {})[path] = file.read_bytes()
    # Fewer repositories in the corpus than asked for: copies under other owners.
    names = list(repos)
    i = 0
    while len(repos) < count and names:
        owner, name = names[i % len(names)].split("/")
        repos[f"copy{i // len(names)}-{owner}/{name}"] = repos[names[i % len(names)]]
        i += 1
    return repos


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def build(base: Path, repos: dict[str, dict[str, bytes]]) -> Path:
    for name, files in repos.items():
        work = base / "work" / name
        for path, data in files.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_bytes(data)
        git(base, "init", "-q", "-b", "main", str(work))
        git(work, "add", "-A")
        git(work, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "initial")
        git(base, "clone", "-q", "--bare", str(work), str(base / "remotes" / f"{name}.git"))
    spec = base / "campaign.toml"
    spec.write_text(
        '[migration.publish-lane]\non = ["push"]\nfrom = ["ubuntu-latest"]\nto = "publish"\n\n'
        '[campaign]\nbranch = "relane/publish-lane"\nforge = "github"\napi-url = "http://127.0.0.1:9"\n'
        f'clone-url = "{base / "remotes"}/{{repo}}.git"\nrepos = {json.dumps(sorted(repos))}\n'
    )
    return spec


def plan(spec: Path, cache: Path, jobs: int) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from relane.cli import main; sys.exit(main())",
         "campaign", "plan", str(spec), "--cache", str(cache), "--jobs", str(jobs)],
        capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"plan failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed, proc.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}; pass --corpus or set RELANE_CORPUS")
    with tempfile.TemporaryDirectory(prefix="relane-bench-campaign-") as tmp:
        base = Path(tmp)
        started = time.perf_counter()
        spec = build(base, corpus_repos(args.corpus, args.repos))
        print(f"built {args.repos} repositories in {time.perf_counter() - started:.1f} s")
        for jobs in (1, 4, 8):
            cache = base / f"cache-{jobs}"
            cold, summary = plan(spec, cache, jobs)
            warm, _ = plan(spec, cache, jobs)
            print(f"--jobs {jobs}: plan {cold:6.2f} s with an empty cache, {warm:6.2f} s with it filled")
            shutil.rmtree(cache)
        print(summary)


if __name__ == "__main__":
    main()
