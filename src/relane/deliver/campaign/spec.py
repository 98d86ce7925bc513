"""The ``[campaign]`` table of a migration spec: where the repositories are,
which branch and pull request the campaign makes in each."""

from __future__ import annotations

import fnmatch
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relane.deliver.git import GitError, Repository
from relane.errors import InputError
from relane.migrate import Migration, load
from relane.read.toml import read_toml

KEYS = (
    "branch", "forge", "api-url", "clone-url", "repos", "org", "topic", "exclude",
    "title", "body", "draft", "labels", "reviewers", "state",
)
"""The keys a ``[campaign]`` table may hold."""

FORGE_NAMES = ("github", "gitea", "forgejo")
_REPO = re.compile(r"[A-Za-z0-9._-]+/[A-Za-z0-9._-]+")
TRAILER = "Relane-Campaign"
"""The commit trailer that marks a branch as the campaign's own."""


@dataclass(frozen=True)
class Campaign:
    """A checked ``[campaign]`` table and the migrations it carries out."""

    spec: Path
    migrations: tuple[Migration, ...]
    branch: str
    forge: str
    api_url: str | None
    clone_url: str
    repos: tuple[str, ...]
    org: str | None
    topic: str | None
    exclude: tuple[str, ...]
    title: str | None
    body: str | None  # the template's text
    draft: bool
    labels: tuple[str, ...]
    reviewers: tuple[str, ...]
    state: Path
    fingerprint: str  # of the spec and its body template: a changed spec redoes finished repositories

    @property
    def marker(self) -> str:
        return f"{TRAILER}: {self.branch}"

    def chosen(self, names: list[str]) -> list[str]:
        """``names`` (as a forge listed them: those that are no OWNER/NAME are
        left out) and the listed repositories, less the excluded ones, sorted, each once."""
        every = set(self.repos) | {n for n in names if valid_repo(n)}
        return sorted(r for r in every if not any(fnmatch.fnmatchcase(r, p) for p in self.exclude))

    def clone(self, repo: str) -> str:
        return self.clone_url.replace("{repo}", repo)


def load_campaign(path: str | Path) -> Campaign:
    """The campaign of spec file ``path``; an :class:`InputError` naming the key if anything is wrong."""
    spec = Path(path)
    shown = str(path)
    doc = read_toml(spec, str(spec))
    migrations = tuple(load(spec, root=Path()))
    table = doc.get("campaign")
    if not isinstance(table, dict):
        raise InputError("no [campaign] table: add one with at least branch and repos (or org)", shown)
    for migration in migrations:
        for where in migration.paths:
            if where.is_absolute() or ".." in where.parts:
                raise InputError(
                    f"migration.{migration.name}.paths: {where.as_posix()!r} is not inside the repository "
                    "(a campaign reads paths relative to each repository's root)",
                    shown,
                )

    def error(key: str, message: str) -> InputError:
        return InputError(f"campaign.{key}: {message}", shown)

    for key in table:
        if key not in KEYS:
            raise error(key, f"unknown key (known: {', '.join(KEYS)})")
    text = {k: _text(table, k, error) for k in ("branch", "forge", "api-url", "clone-url", "org", "topic", "title", "body", "state")}
    lists = {k: _strings(table, k, error) for k in ("repos", "exclude", "labels", "reviewers")}
    draft = table.get("draft", False)
    if not isinstance(draft, bool):
        raise error("draft", "expected true or false")
    branch = text["branch"]
    if branch is None:
        raise error("branch", "missing: the campaign's branch in every repository")
    try:
        Repository(Path(".")).check_branch_name(branch)
    except GitError as exc:
        raise error("branch", exc.message) from None
    for repo in lists["repos"]:
        if not valid_repo(repo):
            raise error("repos", f"{repo!r} is not OWNER/NAME")
    if not lists["repos"] and not text["org"]:
        raise error("repos", "missing: list the repositories (OWNER/NAME), or name an org")
    if text["topic"] and not text["org"]:
        raise error("topic", "a topic picks repositories of an org: add org")
    forge = text["forge"] or "github"
    if forge not in FORGE_NAMES:
        raise error("forge", f"unknown forge {forge!r}; use github, gitea or forgejo")
    api_url = text["api-url"]
    clone_url = text["clone-url"] or _default_clone_url(forge, api_url)
    if clone_url is None:
        raise error("clone-url", f"missing: a {forge} campaign needs clone-url or api-url")
    if "{repo}" not in clone_url:
        raise error("clone-url", "expected a template with {repo} in it (OWNER/NAME)")
    data = spec.read_bytes()
    body = None
    if text["body"] is not None:
        try:
            body_bytes = (spec.parent / text["body"]).read_bytes()
            body = body_bytes.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise error("body", f"{text['body']}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        data += body_bytes
    state = spec.parent / text["state"] if text["state"] else spec.with_name(spec.stem + ".state.jsonl")
    return Campaign(
        spec=spec,
        migrations=migrations,
        branch=branch,
        forge=forge,
        api_url=api_url.rstrip("/") if api_url else None,
        clone_url=clone_url,
        repos=tuple(dict.fromkeys(lists["repos"])),
        org=text["org"],
        topic=text["topic"],
        exclude=tuple(lists["exclude"]),
        title=text["title"],
        body=body,
        draft=draft,
        labels=tuple(lists["labels"]),
        reviewers=tuple(lists["reviewers"]),
        state=state,
        fingerprint=hashlib.sha256(data).hexdigest()[:16],
    )


def valid_repo(name: str) -> bool:
    """``OWNER/NAME`` with nothing that would lead a path or an API call elsewhere."""
    return bool(_REPO.fullmatch(name)) and not any(part in (".", "..") for part in name.split("/"))


def _default_clone_url(forge: str, api_url: str | None) -> str | None:
    if forge == "github" and api_url is None:
        return "https://github.com/{repo}.git"
    if api_url is None:
        return None
    root = re.sub(r"/api/(v1|v3)/?$", "", api_url.rstrip("/"))
    if root == "https://api.github.com":
        root = "https://github.com"
    return root + "/{repo}.git"


def _text(table: dict[str, Any], key: str, error) -> str | None:
    value = table.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise error(key, "expected a non-empty string")
    return value


def _strings(table: dict[str, Any], key: str, error) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error(key, "expected a string or a list of strings")
    return list(value)
