"""What every part of the forge package shares: the forges, their token
variables, a repository on a forge and an opened pull request.

Kept apart from :mod:`relane.deliver.forge` so that the clients can use
them without importing the package that picks a client.
"""

from __future__ import annotations

from dataclasses import dataclass

FORGES = ("github", "gitea", "forgejo")

TOKEN_VARIABLES = {
    "github": ("GITHUB_TOKEN", "GH_TOKEN"),
    "gitea": ("GITEA_TOKEN", "FORGEJO_TOKEN"),
    "forgejo": ("FORGEJO_TOKEN", "GITEA_TOKEN"),
}


@dataclass(frozen=True)
class ForgeRepo:
    """A repository on a forge: which forge, its API root, owner and name."""

    forge: str
    api_url: str
    owner: str
    name: str

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str
