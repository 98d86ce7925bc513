"""Campaigns: one migration across many repositories, one pull request each.

``spec`` reads the ``[campaign]`` table of a migration spec; ``cache`` keeps
a shallow copy of each repository in a cache and plans its change with the
engine ``relane migrate`` uses; ``apply`` pushes the campaign's branch and
opens or updates its pull request; ``throttle`` paces forge writes and
retries what a forge refuses for a while; ``state`` keeps a JSON-lines
record of every step, from which a run resumes; ``status`` reads the pull
requests back; ``run`` ties them together for the command line, and
``report`` prints what a run did.
"""
