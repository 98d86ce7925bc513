"""Delivery options shared by the commands that change workflows.

``@delivery_options`` adds ``--branch``, ``--base``, ``--message``,
``--push``, ``--open-pr`` and the pull-request options to a command and
hands the command one ``delivery`` argument (a :class:`DeliveryArgs`);
the command calls ``delivery.check_modes(write, check)`` before planning and
``delivery.run(plan, paths)`` after, then prints as usual.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields

import click

from relane.deliver.limits import DEFAULT_TIMEOUT  # not the forge client: start-up
from relane.errors import UsageError

forge_option = click.option(
    "--forge",
    type=click.Choice(("github", "gitea", "forgejo")),
    help="The forge serving the repository (default: told from the remote's host name).",
)
api_url_option = click.option(
    "--api-url",
    metavar="URL",
    help="The forge's API root, e.g. https://git.example.com/api/v1 (default: from the remote).",
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    metavar="SECONDS",
    help=f"How long each forge API request may take, its whole answer included  [default: {DEFAULT_TIMEOUT:g}].",
)


@dataclass(frozen=True)
class DeliveryArgs:
    """The delivery options as given on the command line."""

    branch: str | None = None
    base: str | None = None
    message: str | None = None
    push: str | None = None
    open_pr: bool = False
    forge: str | None = None
    api_url: str | None = None
    title: str | None = None
    draft: bool = False
    pr_labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    timeout: float | None = None

    _NEEDS_BRANCH = ("base", "message", "push", "open_pr")
    _NEEDS_PR = ("forge", "api_url", "title", "draft", "pr_labels", "reviewers", "timeout")

    @staticmethod
    def _flag(name: str) -> str:
        return {"pr_labels": "--label", "reviewers": "--reviewer", "push": "--push", "open_pr": "--open-pr"}.get(
            name, "--" + name.replace("_", "-")
        )

    def _given(self, names) -> list[str]:
        return [n for n in names if getattr(self, n) not in (None, False, ())]

    def check_modes(self, write: bool, check: bool) -> None:
        """Refuse combinations that make no sense, before anything is planned."""
        if self.branch is None:
            given = self._given(self._NEEDS_BRANCH + self._NEEDS_PR)
            if given:
                raise UsageError(f"{self._flag(given[0])} needs --branch NAME")
            return
        if write:
            raise UsageError("--branch and --write cannot be used together (--branch leaves the working tree alone)")
        if check:
            raise UsageError("--branch and --check cannot be used together")
        if self.open_pr and self.push is None:
            raise UsageError("--open-pr needs --push")
        if not self.open_pr:
            given = self._given(self._NEEDS_PR)
            if given:
                raise UsageError(f"{self._flag(given[0])} needs --open-pr")

    def run(self, plan, paths, body=None):
        """Deliver ``plan`` as asked; None when no branch was asked for.

        ``body`` replaces the pull request's default description."""
        if self.branch is None:
            return None
        from relane.deliver.branch import DeliverOptions, PullRequestOptions, deliver

        pr = None
        if self.open_pr:
            pr = PullRequestOptions(
                forge=self.forge,
                api_url=self.api_url,
                title=self.title,
                draft=self.draft,
                labels=self.pr_labels,
                reviewers=self.reviewers,
                timeout=self.timeout or DEFAULT_TIMEOUT,
                body=body,
            )
        options = DeliverOptions(
            branch=self.branch, base=self.base or "HEAD", message=self.message, push=self.push, pull_request=pr
        )
        return deliver(plan, options, path=paths[0] if paths else ".")


_OPTIONS = (
    click.option(
        "--branch",
        metavar="NAME",
        help="Commit the change on a new branch NAME (your checkout, index and working tree stay as they are).",
    ),
    click.option("--base", metavar="REF", help="Start the branch from REF  [default: HEAD]."),
    click.option("--message", metavar="TEXT", help="The commit message (default: generated from the moved jobs)."),
    click.option(
        "--push",
        is_flag=False,
        flag_value="origin",
        default=None,
        metavar="[REMOTE]",
        help="Push the branch to REMOTE (default origin) after committing.",
    ),
    click.option("--open-pr", is_flag=True, help="Open a pull request from the pushed branch (needs --push)."),
    forge_option,
    api_url_option,
    click.option("--title", metavar="TEXT", help="The pull request title (default: the commit summary)."),
    click.option("--draft", is_flag=True, help="Open the pull request as a draft (Gitea/Forgejo: a WIP: title)."),
    click.option(
        "--label",
        "pr_labels",
        multiple=True,
        metavar="NAME",
        help="Put this label on the pull request (repeatable), e.g. a do-not-merge label.",
    ),
    click.option(
        "--reviewer",
        "reviewers",
        multiple=True,
        metavar="NAME",
        help="Ask this user (or ORG/TEAM) to review (repeatable).",
    ),
    timeout_option,
)
_NAMES = tuple(f.name for f in fields(DeliveryArgs))


def delivery_options(func: Callable) -> Callable:
    """Add the delivery options to a click command; it receives ``delivery``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        kwargs["delivery"] = DeliveryArgs(**{name: kwargs.pop(name) for name in _NAMES})
        return func(*args, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def with_delivery(json_text: str, delivery) -> str:
    """A JSON report with a ``delivery`` member added."""
    if delivery is None:
        return json_text
    import json

    doc = json.loads(json_text)
    doc["delivery"] = delivery.to_dict()
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def delivery_lines(delivery, *, quiet: bool = False) -> str:
    """What happened, for stderr; the pull request's address even when quiet."""
    if delivery is None:
        return ""
    lines = []
    if not quiet:
        files = len(delivery.files)
        lines.append(
            f"committed {files} file{'s' if files != 1 else ''} on new branch {delivery.branch} "
            f"({delivery.commit[:12]}, parent {delivery.base[:12]}; commit hooks not run)"
        )
        if delivery.pushed:
            lines.append(f"pushed {delivery.branch} to {delivery.remote}")
    if delivery.pull_request is not None:
        lines.append(f"opened pull request {delivery.pull_request.url}")
    return "\n".join(lines)
