"""Hard links of a file relane replaces.

relane replaces a file by renaming a new one over it, so the replaced name
gets a new file and every other name of the old one keeps the old text.
Names beside the file (in its folder) are found and linked to the new file
again, each by a rename of its own; a name elsewhere cannot be found
cheaply, so a file with one is refused.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence


def beside(target: Path, st: os.stat_result) -> tuple[list[Path], int]:
    """The other names of ``target``'s file (``st``) in its folder, and how
    many names it has elsewhere."""
    if st.st_nlink < 2:
        return [], 0
    found = []
    with os.scandir(target.parent) as entries:
        for entry in entries:
            if entry.name != target.name and not entry.is_symlink():
                other = entry.stat(follow_symlinks=False)
                if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                    found.append(Path(entry.path))
    return sorted(found), max(st.st_nlink - 1 - len(found), 0)


def relink(target: Path, links: Sequence[Path], temp_name: Callable[[Path], str]) -> None:
    """Make each of ``links`` a hard link to ``target`` again, through a
    temporary name from ``temp_name``, so each name holds a whole file at
    any moment."""
    for link in links:
        again = temp_name(link)
        os.link(target, again)
        try:
            os.replace(again, link)
        except OSError:
            try:
                os.unlink(again)
            except OSError:
                pass
            raise


def shown(path: str, links: Sequence[Path]) -> list[str]:
    """How reports name ``links``, the hard links beside the file shown as ``path``."""
    folder = path.rpartition("/")[0]
    return [f"{folder}/{link.name}" if folder else link.name for link in links]
