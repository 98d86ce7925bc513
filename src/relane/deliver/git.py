"""The one place relane runs git: the real ``git`` binary, through subprocess.

A branch is built with git's plumbing against a temporary index file, so
the user's checked-out branch, index and working tree are never touched:
``hash-object`` stores the new file contents, ``read-tree`` /
``update-index`` / ``write-tree`` make the new tree from the base commit's,
``commit-tree`` makes the commit and ``update-ref`` creates the branch only
if no branch of that name exists yet.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from relane.deliver.gitsays import hook_declined, message_of, rejection_of, remote_says
from relane.errors import RelaneError
from relane.redact import scrub, without_userinfo


class GitError(RelaneError):
    """git is missing, refused, or failed; nothing relane knows of was changed."""


def _run(
    args: Sequence[str],
    cwd: Path,
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            env={**os.environ, **env} if env else None,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (no git on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if check and proc.returncode != 0:
        message = message_of(proc.stderr)
        # git's own output, which can echo what a remote was sent, stays out
        # of the traceback's locals: only the scrubbed message goes on.
        del proc
        raise GitError(f"git {args[0]} failed: {message}")
    return proc


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _literal(path: str) -> str:
    """A pathspec that matches ``path`` exactly (no glob characters)."""
    return f":(literal){path}"


@dataclass(frozen=True)
class Repository:
    """A git work tree, by its top-level folder."""

    root: Path

    @classmethod
    def find(cls, path: str | os.PathLike) -> Repository:
        """The repository that holds ``path`` (a file or folder)."""
        where = Path(path)
        folder = where if where.is_dir() else where.parent
        if not folder.is_dir():
            raise GitError(f"{path}: no such file or folder")
        proc = _run(["rev-parse", "--show-toplevel"], folder, check=False)
        if proc.returncode != 0:
            raise GitError(f"{path}: not in a git repository")
        return cls(Path(_text(proc.stdout).rstrip("\n")))

    def git(self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
        return _text(_run(args, self.root, input=input, env=env).stdout)

    def relative(self, file: Path) -> str | None:
        """``file`` as a path inside the repository, or None if it lies outside."""
        rel = Path(os.path.relpath(file.resolve(), self.root.resolve()))
        if rel.parts and rel.parts[0] == "..":
            return None
        return rel.as_posix()

    # refs

    def commit_id(self, ref: str) -> str:
        """The commit ``ref`` names; a :class:`GitError` if it names none."""
        proc = _run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.root, check=False)
        if proc.returncode != 0 or ref.startswith("-"):
            raise GitError(f"base {ref!r} is not a commit in {self.root}{self._unborn(ref)}")
        return _text(proc.stdout).strip()

    def _unborn(self, ref: str) -> str:
        """Why ``ref`` names no commit when that is because nothing was committed yet."""
        if not self.git("rev-list", "-n", "1", "--all").strip():
            return ": the repository has no commits yet; commit the workflows first"
        head = _run(["symbolic-ref", "-q", "--short", "HEAD"], self.root, check=False)
        branch = _text(head.stdout).strip()
        if head.returncode == 0 and ref in ("HEAD", branch, f"refs/heads/{branch}") and not self.branch_exists(branch):
            return f": branch {branch!r} has no commits yet; pass --base REF"
        return ""

    def check_branch_name(self, name: str) -> None:
        # The full ref, not --branch: that one expands @{-1} and the like to existing branches.
        proc = _run(["check-ref-format", f"refs/heads/{name}"], self.root, check=False)
        if proc.returncode != 0 or name.startswith("-") or name == "HEAD":
            raise GitError(f"{name!r} is not a valid branch name")

    def branch_exists(self, name: str) -> bool:
        proc = _run(["show-ref", "--verify", "--quiet", f"refs/heads/{name}"], self.root, check=False)
        return proc.returncode == 0

    def branch_clash(self, name: str) -> str | None:
        """An existing branch in the way of a new branch ``name``: named like its folder, or inside it."""
        out = self.git("for-each-ref", "--format=%(refname)", f"refs/heads/{name.split('/', 1)[0]}")
        for ref in out.splitlines():
            other = ref[len("refs/heads/"):]
            if other.startswith(name + "/") or name.startswith(other + "/"):
                return other
        return None

    def check_identity(self) -> None:
        """Refuse, before any object is written, when git has no name and email to commit with."""
        for role in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
            proc = _run(["var", role], self.root, check=False)
            if proc.returncode != 0:
                raise GitError(f"git has no identity to commit with: {message_of(proc.stderr)}; set user.name and user.email")

    def branch_of(self, ref: str) -> str | None:
        """The branch name ``ref`` stands for (``HEAD``, ``main``, ``origin/main``), if any."""
        if ref.startswith("-"):
            return None
        proc = _run(["rev-parse", "--symbolic-full-name", ref], self.root, check=False)
        full = _text(proc.stdout).strip() if proc.returncode == 0 else ""
        if full.startswith("refs/heads/"):
            return full[len("refs/heads/"):]
        if full.startswith("refs/remotes/"):
            remote_and_branch = full[len("refs/remotes/"):]
            return remote_and_branch.split("/", 1)[1] if "/" in remote_and_branch else None
        return None

    def remote_url(self, remote: str) -> str:
        """The remote's URL, with the credentials it may carry (``https://user:token@``) masked.

        relane pushes by the remote's name; it needs of the URL only the host
        and path, so a token in it never enters relane's own values.
        """
        proc = _run(["remote", "get-url", "--", remote], self.root, check=False)
        if proc.returncode != 0:
            raise GitError(f"no git remote named {remote!r} in {self.root}")
        return without_userinfo(_text(proc.stdout).strip())

    # the working tree, read-only

    def uncommitted(self, paths: Sequence[str]) -> list[str]:
        """Those of ``paths`` with staged, unstaged or untracked changes."""
        if not paths:
            return []
        out = _run(
            ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
             *map(_literal, paths)],
            self.root,
        ).stdout
        found: list[str] = []
        fields = iter(_text(out).split("\0"))
        for entry in fields:
            if not entry:
                continue
            status, path = entry[:2], entry[3:]
            if "R" in status or "C" in status:
                next(fields, None)  # the rename's source path follows
            found.append(path)
        return sorted(set(found))

    def blob_id(self, path: str, data: bytes, *, write: bool = False, filters: bool = True) -> str:
        """The id ``data`` gets as the file at ``path``.

        With ``filters`` the path's filters apply as ``git add`` would apply
        them, except that ``hash-object`` does not know git's rule that leaves
        CRLF alone in a file whose committed blob already holds CRLF; without,
        the bytes are stored as they are.
        """
        where = [f"--path={path}"] if filters else ["--no-filters"]
        args = ["hash-object", "--stdin", *where] + (["-w"] if write else [])
        return self.git(*args, input=data).strip()

    def blob(self, oid: str) -> bytes:
        """The bytes of the blob ``oid``, as committed (no filters)."""
        return _run(["cat-file", "blob", oid], self.root).stdout

    def tree_entries(self, commit: str, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``{path: (mode, blob id)}`` for those of ``paths`` present in ``commit``."""
        out = self.git("ls-tree", "-z", "--full-tree", commit, "--", *paths)
        entries: dict[str, tuple[str, str]] = {}
        wanted = set(paths)
        for record in out.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, kind, oid = meta.split()
            if path in wanted and kind == "blob":
                entries[path] = (mode, oid)
        return entries

    # writing: objects, one new branch, a push

    def commit_files(
        self,
        base: str,
        files: Mapping[str, bytes],
        modes: Mapping[str, str],
        message: str,
        *,
        unfiltered: Collection[str] = (),
    ) -> str:
        """A new commit on ``base`` whose tree differs only in ``files``; returns its id.

        The paths in ``unfiltered`` are stored byte for byte; the others go
        through their filters (``core.autocrlf``, ``.gitattributes``).
        Only new objects are written (not the user's index); the commit is signed if ``commit.gpgSign`` asks.
        """
        import tempfile

        with tempfile.TemporaryDirectory(prefix="relane-index-") as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
            self.git("read-tree", base, env=env)
            for path, data in files.items():
                oid = self.blob_id(path, data, write=True, filters=path not in unfiltered)
                self.git("update-index", "--add", "--cacheinfo", f"{modes[path]},{oid},{path}", env=env)
            tree = self.git("write-tree", env=env).strip()
        signed = self.git("config", "--type=bool", "--default=false", "commit.gpgSign").strip() == "true"
        sign = ["-S"] if signed else []  # commit-tree does not read commit.gpgSign itself
        return self.git("commit-tree", tree, "-p", base, *sign, "-F", "-", input=message.encode("utf-8")).strip()

    def create_branch(self, name: str, commit: str) -> None:
        """Point a new branch ``name`` at ``commit``; refuses if it exists already."""
        proc = _run(
            ["update-ref", "-m", "relane: create branch", f"refs/heads/{name}", commit, ""],
            self.root,
            check=False,
        )
        if proc.returncode != 0:
            if self.branch_exists(name):
                raise GitError(f"branch {name!r} already exists")
            raise GitError(f"git update-ref failed: {message_of(proc.stderr)}")

    def push(self, remote: str, branch: str) -> None:
        """Create ``branch`` on ``remote``; never moves a branch the remote has already.

        The lease with an empty expected value makes git refuse the push when
        the remote has a branch of that name, whatever commit it is at.
        """
        ref = f"refs/heads/{branch}"
        self.push_commit(remote, ref, branch, expected=None)

    def check_push(self, remote: str, branch: str, base: str) -> None:
        """Refuse, before anything is written, when ``remote`` (its push URL) cannot be
        reached or pushed to, or has a branch ``branch`` already: a dry run sends nothing."""
        self.push_commit(remote, base, branch, expected=None, dry_run=True)

    def remote_has_branch(self, remote: str, branch: str) -> bool:
        """Whether ``remote`` has a branch ``branch`` (``ls-remote``: nothing is fetched)."""
        ref = f"refs/heads/{branch}"
        return any(line.partition("\t")[2] == ref for line in self.git("ls-remote", "--heads", "--", remote, ref).splitlines())

    def delete_branch(self, name: str, commit: str) -> bool:
        """Remove branch ``name`` if it still points at ``commit``; whether it was removed."""
        return _run(["update-ref", "-d", f"refs/heads/{name}", commit], self.root, check=False).returncode == 0

    def push_commit(
        self, remote: str, source: str, branch: str, *, expected: str | None,
        env: Mapping[str, str] | None = None, dry_run: bool = False,
    ) -> None:
        """Point ``branch`` on ``remote`` at ``source`` if it is at ``expected`` (None: if the remote
        has no such branch), sending nothing else (no tags, despite push.followTags); refused otherwise.
        A ``dry_run`` runs no pre-push hook and only says whether the push would be refused."""
        ref = f"refs/heads/{branch}"
        lease = f"--force-with-lease={ref}:{expected or ''}"
        trial = ["--dry-run", "--no-verify"] if dry_run else []
        proc = _run(
            ["push", "--porcelain", "--no-follow-tags", *trial, lease, "--", remote, f"{source}:{ref}"],
            self.root,
            env=env,
            check=False,
        )
        # A dry run to a branch already at ``source`` is "up to date" (=), not a new branch (*).
        there = dry_run and expected is None and any(line.startswith("=\t") for line in _text(proc.stdout).splitlines())
        if proc.returncode == 0 and not there:
            return
        # Only scrubbed text stays in the locals a traceback may show.
        rejection = scrub(rejection_of(proc.stdout))
        message = scrub(f"{rejection}{remote_says(proc.stderr)}") if rejection else message_of(proc.stderr)
        if not rejection and not dry_run and self._has_hook("pre-push"):  # its words are all there is to say why
            message += hook_declined(proc.stderr)
        del proc
        if rejection == "[rejected] (stale info)" or there:
            if expected:
                raise GitError(f"{remote}: branch {branch!r} moved since it was read; it was left as it was")
            then = "choose another name" if dry_run else "it was left as it was"
            raise GitError(f"{remote} already has a branch {branch!r}; {then}")
        if dry_run:
            raise GitError(f"cannot push to {remote}, so nothing was written: {message}")
        raise GitError(f"git push failed: {message}")

    def _has_hook(self, name: str) -> bool:
        """Whether the repository has an executable hook ``name`` (``core.hooksPath`` honoured)."""
        hook = self.root / self.git("rev-parse", "--git-path", f"hooks/{name}").rstrip("\n")  # absolute wins
        return hook.is_file() and os.access(hook, os.X_OK)

    # a cache of other repositories: a bare repository per remote

    @classmethod
    def bare(cls, path: Path, url: str) -> Repository:
        """The bare repository at ``path`` (made if missing) with ``url`` as its ``origin``."""
        if not (path / "HEAD").exists():
            path.mkdir(parents=True, exist_ok=True)
            _run(["init", "--bare", "--quiet"], path)
        repo = cls(path)
        proc = _run(["remote", "get-url", "origin"], path, check=False)
        if proc.returncode != 0:
            repo.git("remote", "add", "origin", url)
        elif _text(proc.stdout).rstrip("\n") != url:
            repo.git("remote", "set-url", "origin", url)
        return repo

    def remote_refs(self, refs: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[str | None, dict[str, str]]:
        """``origin``'s default branch, and the commit of each of ``refs`` it has."""
        out = self.git("ls-remote", "--symref", "origin", "HEAD", *refs, env=env)
        default, found = None, {}
        for line in out.splitlines():
            left, _, name = line.partition("\t")
            if left.startswith("ref: refs/heads/") and name == "HEAD":
                default = left[len("ref: refs/heads/"):]
            elif name:
                found[name] = left
        return default, found

    def fetch_shallow(self, refspecs: Sequence[str], env: Mapping[str, str] | None = None, depth: int = 1) -> None:
        """Fetch ``refspecs`` from ``origin``: their last ``depth`` commits, trees, no
        blobs (the blobs come when read, where the remote allows it)."""
        self.git("fetch", "--quiet", "--no-tags", f"--depth={depth}", "--filter=blob:none", "origin", *refspecs, env=env)

    def refs(self, prefix: str) -> dict[str, str]:
        """``{ref: commit}`` of the refs under ``prefix`` (``refs/relane/``)."""
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)", prefix)
        return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)

    def files(self, commit: str, paths: Sequence[str], env: Mapping[str, str] | None = None) -> dict[str, bytes]:
        """``{path: bytes}`` of every file under ``paths`` in ``commit``, as committed."""
        listing = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths, env=env)
        oids: list[tuple[str, str]] = []
        for record in listing.split("\0"):
            if record:
                meta, path = record.split("\t", 1)
                mode, kind, oid = meta.split()
                if kind == "blob" and mode != "120000":
                    oids.append((path, oid))
        if not oids:
            return {}
        out = _run(["cat-file", "--batch"], self.root, input="".join(f"{o}\n" for _, o in oids).encode(), env=env).stdout
        found: dict[str, bytes] = {}
        at = 0
        for path, _ in oids:
            end = out.index(b"\n", at)
            size = int(out[at:end].split()[2])
            found[path] = out[end + 1:end + 1 + size]
            at = end + 1 + size + 1
        return found

    def show(self, fmt: str, commit: str) -> str:
        """``git show -s --format=FMT`` of ``commit``."""
        return self.git("show", "-s", f"--format={fmt}", commit)
