"""Limits of delivery that the command line shows before anything is delivered."""

DEFAULT_TIMEOUT = 30.0  # seconds to wait for one answer from a forge
DEFAULT_DEADLINE = 300.0  # seconds every request of one command may take together (the guard's)
