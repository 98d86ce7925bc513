"""Pausing the cycle collector while relane builds and holds large acyclic data.

A module of its own, with nothing to import, so that a run can pause the
collector before it knows whether it will read any YAML.
"""

from __future__ import annotations

import gc


class gc_paused:
    """Pause the cycle collector while building a tree or a plan (a context manager).

    Trees hold no reference cycles, but building one allocates a node per
    event, and each allocation burst sets off collections that walk every
    live object: pausing them nearly halves the load time. Nested pauses
    leave the collector as the outermost found it.
    """

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.was_enabled:
            gc.enable()
