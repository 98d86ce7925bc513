"""Runner labels compared as each forge compares them, and lists of them."""

from __future__ import annotations

from relane.model import Workflow
from relane.read.tree import Scalar, Seq
from relane.safety import SELF_HOSTED_FORGES


def folds(workflow: Workflow) -> bool:
    """Whether labels compare case-insensitively in ``workflow`` (GitHub's rule;
    Gitea and Forgejo compare them exactly)."""
    return not workflow.path.startswith(SELF_HOSTED_FORGES)


def hosted_kept(path: str, what: str) -> str:
    """Why a GitHub-hosted label that ``what`` names is not mapped in the workflow at ``path``."""
    forge = next((f.strip("./").capitalize() for f in SELF_HOSTED_FORGES if path.startswith(f)), None)
    if forge:
        return f"{what} names a GitHub-hosted label in a {forge} workflow, whose runners keep their own labels"
    return f"{what} names a GitHub-hosted label beside others: a self-hosted runner keeps its labels"


def label_key(label: str, fold: bool) -> str:
    return label.lower() if fold else label


def unique_labels(labels: list[str], fold: bool) -> list[str]:
    seen: dict[str, str] = {}
    for label in labels:
        seen.setdefault(label_key(label, fold), label)
    return list(seen.values())


def label_scalars(seq: Seq) -> list[Scalar]:
    """The items of a list of labels (every item a scalar, as the model or
    the matrix follower checked before a job is mapped)."""
    items = [i for i in seq.items if isinstance(i, Scalar)]
    assert len(items) == len(seq.items), "a label list holds a value that is not a label"
    return items
