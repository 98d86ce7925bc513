"""Everything relane prints, in one place; each renderer returns text.

:mod:`~relane.render.text` (for people), :mod:`~relane.render.json` (for
machines) and :mod:`~relane.render.markdown` (pull-request descriptions)
render plans and the job listing; :mod:`~relane.render.guard` renders the
guard's verdict; :mod:`~relane.render.format` holds the helpers they share
(values, plurals, tables).
"""
