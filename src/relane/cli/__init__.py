"""The ``relane`` command line: one module per command, ``app`` wires them."""

from relane.cli.app import main

__all__ = ["main"]
