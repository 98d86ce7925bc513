"""The forges relane talks to: GitHub, and Gitea or Forgejo (one API family).

:func:`locate` works out which forge serves a repository and where its API
is, from a git remote's URL or from what the user says (``--forge``,
``--api-url``, ``--repo``); :func:`token` reads the forge's token from the
environment; :func:`connect` gives the client for it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from relane.deliver.forge.http import DEFAULT_TIMEOUT, ForgeError
from relane.deliver.forge.types import FORGES, TOKEN_VARIABLES, ForgeRepo, PullRequest
from relane.errors import UsageError
from relane.redact import Secret, scrub

__all__ = [
    "FORGES",
    "TOKEN_VARIABLES",
    "ForgeError",
    "ForgeRepo",
    "PullRequest",
    "connect",
    "forge_of_remote",
    "guess_forge",
    "locate",
    "require_token",
    "token",
]

@dataclass(frozen=True)
class _Remote:
    scheme: str  # https, http, ssh, file ("" for a local path)
    host: str | None
    port: int | None
    path: str  # without leading slash or .git


_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>.+)$")


def _parse_remote(url: str) -> _Remote:
    """The parts of a remote URL; ``ValueError`` (whose text may quote part
    of the URL, so it is not to be shown) if it cannot be read, such as a
    port that is not a number."""
    if "://" in url:
        parts = urlsplit(url)
        return _Remote(parts.scheme.lower(), parts.hostname, parts.port, _clean_path(parts.path))
    m = _SCP.match(url)
    if m and not os.path.isabs(url):
        return _Remote("ssh", m["host"], None, _clean_path(m["path"]))
    return _Remote("", None, None, _clean_path(url))


def _clean_path(path: str) -> str:
    path = path.strip("/")
    return path[:-4] if path.endswith(".git") else path


def guess_forge(host: str | None) -> str | None:
    """The forge a host name gives away, if it does."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    if host == "github.com" or host.endswith(".github.com") or host.startswith("github."):
        return "github"
    if host == "codeberg.org" or "forgejo" in host:
        return "forgejo"
    if "gitea" in host:
        return "gitea"
    return None


def forge_of_remote(url: str) -> str | None:
    """The forge a remote URL's host gives away, if it does."""
    try:
        return guess_forge(_parse_remote(url).host)
    except ValueError:
        return None


def _api_url(forge: str, remote: _Remote, prefix: str) -> str | None:
    if not remote.host:
        return None
    web = remote.scheme in ("http", "https")
    scheme = remote.scheme if web else "https"
    port = f":{remote.port}" if web and remote.port else ""
    root = f"{scheme}://{remote.host}{port}{'/' + prefix if prefix else ''}"
    if forge == "github":
        return "https://api.github.com" if _on_github_com(remote.host) else f"{root}/api/v3"
    return f"{root}/api/v1"


_NAME = re.compile(r"[A-Za-z0-9._-]+")
"""What GitHub, Gitea and Forgejo allow in an owner's or a repository's name."""


def _valid_name(text: str) -> bool:
    """An owner or repository name: nothing that would change an API path
    (``..``, ``/``, ``?``, ``#``, ``%``) once put in it."""
    return bool(_NAME.fullmatch(text)) and text not in (".", "..")


def _on_github_com(host: str) -> bool:
    """github.com itself, under any of its names (www.github.com, and
    ssh.github.com that serves git over port 443): its API is api.github.com.
    A GitHub Enterprise Server is never below github.com."""
    host = host.lower().rstrip(".")
    return host == "github.com" or host.endswith(".github.com")


def locate(
    remote_url: str | None,
    *,
    forge: str | None = None,
    api_url: str | None = None,
    repo: str | None = None,
    remote_name: str = "origin",
) -> ForgeRepo:
    """The forge repository behind ``remote_url``, as far as the options leave it open.

    ``repo`` (``OWNER/NAME``) overrides the owner and name the URL gives;
    ``api_url`` the API root; ``forge`` the forge the host name suggests.
    """
    shown = f"remote {remote_name!r} ({scrub(remote_url)})" if remote_url else "no remote"
    try:
        remote = _parse_remote(remote_url) if remote_url else None
    except ValueError:  # its text may quote part of the URL, a password's included
        if forge is None or api_url is None or repo is None:
            raise UsageError(
                f"cannot read the URL of {shown}; pass --forge, --api-url and --repo"
            ) from None
        remote = None  # not needed: the options say it all
    if forge is None:
        forge = guess_forge(remote.host if remote else None) or guess_forge(urlsplit(api_url or "").hostname)
        if forge is None:
            raise UsageError(
                f"cannot tell which forge serves {shown}; pass --forge github, gitea or forgejo"
            )
    if forge not in FORGES:
        raise UsageError(f"unknown forge {forge!r}; use github, gitea or forgejo")
    components = remote.path.split("/") if remote else []
    # A forge served below a path (https://host/git/owner/name) keeps it for its API.
    prefix = "/".join(components[:-2])
    if repo is not None:
        owner, _, name = repo.strip("/").partition("/")
        if not owner or not name or "/" in name:
            raise UsageError(f"--repo {repo!r} is not OWNER/NAME")
        if not (_valid_name(owner) and _valid_name(name)):
            raise UsageError(
                f"--repo {repo!r} is not OWNER/NAME: owner and name are letters, digits, '.', '-' and '_' "
                "(not '.' or '..')"
            )
    elif len(components) < 2 or not all(_valid_name(c) for c in components[-2:]):
        raise UsageError(f"cannot tell the repository's owner and name from {shown}; pass --repo OWNER/NAME")
    else:
        owner, name = components[-2:]
    if api_url is None:
        api_url = _api_url(forge, remote, prefix) if remote else None
        if api_url is None:
            raise UsageError(f"cannot tell the {forge} API address from {shown}; pass --api-url URL")
    return ForgeRepo(forge, api_url.rstrip("/"), owner, name)


_TOKEN_CHARACTERS = re.compile(r"[\x21-\x7e]+")
"""What a token may be made of: visible ASCII (an HTTP header takes no more)."""


def token(forge: str, env: Mapping[str, str] | None = None) -> Secret | None:
    """The forge's token from the first of its variables that is set.

    A value with a space, a control character (a newline from a pasted
    file) or a non-ASCII character inside is refused here, before any
    request: sent, it would be refused by the HTTP library with an error
    that quotes the header, token and all. The message names the variable,
    never the value, and is raised where the value is not held.
    """
    variable, found = _first_set(TOKEN_VARIABLES[forge], env)
    if variable is not None and found is None:
        raise UsageError(
            f"{variable} holds a character a token cannot have (a space, a control character "
            "such as a newline, or a non-ASCII character); set it to the token alone"
        )
    return found


def _first_set(variables: tuple[str, ...], env: Mapping[str, str] | None) -> tuple[str | None, Secret | None]:
    """The first variable set and its token (``None`` if it cannot be one)."""
    env = os.environ if env is None else env
    for variable in variables:
        value = env.get(variable, "").strip()
        if value:
            return variable, Secret(value) if _TOKEN_CHARACTERS.fullmatch(value) else None
    return None, None


def require_token(forge: str, env: Mapping[str, str] | None = None) -> Secret:
    found = token(forge, env)
    if found is None:
        names = " or ".join(TOKEN_VARIABLES[forge])
        raise UsageError(f"no {forge} token: set {names}")
    return found


def connect(repo: ForgeRepo, secret: Secret | None, *, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None):
    """The API client for ``repo``'s forge (use it as a context manager).

    ``timeout`` bounds each request; ``deadline`` (seconds from now) all of them together."""
    if repo.forge == "github":
        from relane.deliver.forge.github import GitHub

        return GitHub(repo, secret, timeout=timeout, deadline=deadline)
    from relane.deliver.forge.gitea import Gitea

    return Gitea(repo, secret, timeout=timeout, deadline=deadline)
