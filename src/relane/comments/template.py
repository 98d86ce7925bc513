"""Comment templates: the text relane writes above a moved job's runs-on.

A template is paragraphs of text with ``{placeholders}`` (:data:`PLACEHOLDERS`),
built in (:data:`TEMPLATES`) or read from a file, re-wrapped to the comment
width when rendered.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from string import Formatter

from relane.errors import UsageError

HARD_DEPENDENCY = """\
HARD DEPENDENCY ({ref}): the label `{label}` must be advertised by at least one
registered, online runner before this merges; otherwise this job queues
indefinitely with zero eligible runners. It ran on `{previous}` before.

{note}
"""
TEMPLATES = {"hard-dependency": HARD_DEPENDENCY}
"""Built-in comment templates, by name."""

PLACEHOLDERS = ("label", "previous", "ref", "workflow", "job", "note")
"""What a template may use: the new runs-on, the old one, ``--ref``, the
workflow's path, the job id, ``--note``."""


class OptionError(UsageError):
    """A comment option is wrong; ``key`` names it (``comment``, ``ref``, ...)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""Characters that end a line for libyaml, or that a YAML comment may not hold."""


@dataclass(frozen=True)
class Template:
    """A comment template: paragraphs of text with ``{placeholders}``.

    Paragraphs are separated by blank lines and re-wrapped to the comment
    width. A paragraph that is nothing but ``{ref}`` or ``{note}`` is left
    out when that value is empty, and so is ``({ref})`` or ``({note})``
    (the placeholder alone in parentheses, with the space before it); any
    other use of them needs a value.
    """

    name: str
    paragraphs: tuple[tuple[tuple[str, str | None], ...], ...]

    @classmethod
    def load(cls, spec: str, base: Path | None = None) -> Template:
        """A built-in template by name, or the template in file ``spec``
        (relative to ``base`` when given)."""
        if spec in TEMPLATES:
            return cls.parse(spec, TEMPLATES[spec])
        path = Path(spec) if base is None else base / spec
        if not path.exists():
            raise OptionError(
                "comment",
                f"unknown comment template {spec!r}: not built in "
                f"({', '.join(TEMPLATES)}) and no such file",
            )
        if path.is_dir():
            raise OptionError("comment", f"comment template {spec}: is a folder, not a file")
        # Any other file is read: a pipe (--comment <(...)) or a device too.
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OptionError("comment", f"comment template {spec}: cannot read: {exc}") from None
        return cls.parse(spec, text)

    @classmethod
    def parse(cls, name: str, text: str) -> Template:
        paragraphs = []
        for chunk in re.split(r"\n[ \t]*\n\s*", text.replace("\r\n", "\n").strip()):
            try:
                parsed = list(Formatter().parse(chunk))
            except ValueError as exc:
                raise OptionError("comment", f"comment template {name}: {exc}") from None
            pieces = []
            for literal, field, spec, conversion in parsed:
                if field in PLACEHOLDERS and (spec or conversion):
                    written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                    raise OptionError(
                        "comment",
                        f"comment template {name}: {written} has a conversion or format; "
                        f"placeholders are plain: write {{{field}}}",
                    )
                if field is not None and field not in PLACEHOLDERS:
                    raise OptionError(
                        "comment",
                        f"comment template {name}: unknown placeholder {{{field}}} "
                        f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})"
                    )
                pieces.append((literal, field))
            if chunk:
                paragraphs.append(tuple(pieces))
        if not paragraphs:
            raise OptionError("comment", f"comment template {name} is empty")
        return cls(name, tuple(paragraphs))

    def check(self, values: dict[str, str]) -> None:
        """Refuse values that leave a ``{ref}`` or ``{note}`` in running text empty."""
        for paragraph in self.paragraphs:
            if _lone(paragraph):
                continue
            for i, (_, field) in enumerate(paragraph):
                if field in ("ref", "note") and not values.get(field) and not _bracketed(paragraph, i):
                    raise OptionError(
                        field, f"comment template {self.name} uses {{{field}}}, which is not set (--{field})"
                    )

    def render(self, values: dict[str, str], indent: str, width: int) -> list[str]:
        """The comment lines, ``indent + "# ..."``, wrapped at ``width`` columns."""
        # Most moved jobs get the same text: wrap it once.
        key = (tuple(values.get(f) or "" for f in self.fields), indent, width)
        rendered = self._rendered
        lines = rendered.get(key)
        if lines is None:
            if len(rendered) >= 256:
                rendered.clear()
            lines = rendered[key] = self._render(*key)
        return list(lines)

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(sorted({f for paragraph in self.paragraphs for _, f in paragraph if f}))

    @cached_property
    def _rendered(self) -> dict[tuple, tuple[str, ...]]:
        # Keyed by what the text depends on; hashing the template itself for
        # each job (as a method cache would) costs more than wrapping.
        return {}

    def _render(self, used: tuple[str, ...], indent: str, width: int) -> tuple[str, ...]:
        values = dict(zip(self.fields, used, strict=True))
        wrapper = textwrap.TextWrapper(
            width=max(width - len(indent) - 2, 1),
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines: list[str] = []
        for paragraph in self.paragraphs:
            text = clean(_fill(paragraph, values))
            wrapped = wrapper.wrap(text)
            if not wrapped:
                continue
            if lines:
                lines.append(indent + "#")
            lines.extend(indent + "# " + line for line in wrapped)
        return tuple(lines)


def _bracketed(paragraph, i: int) -> bool:
    """Whether field ``i`` of ``paragraph`` stands alone in parentheses: ``({ref})``."""
    literal = paragraph[i][0]
    after = paragraph[i + 1][0] if i + 1 < len(paragraph) else ""
    return literal.endswith("(") and after.startswith(")")


def _fill(paragraph, values: dict[str, str]) -> str:
    """The paragraph's text with its placeholders filled; an empty ``({ref})``
    or ``({note})`` goes, with the space before it."""
    out: list[str] = []
    skip = False
    for i, (literal, field) in enumerate(paragraph):
        if skip:
            literal = literal[1:]  # the ")" of a group left out
            skip = False
        value = values.get(field) or "" if field else ""
        if field in ("ref", "note") and not value and _bracketed(paragraph, i):
            literal = literal[:-1].rstrip(" ")
            skip = True
        out.append(literal + value)
    return "".join(out)


def _lone(paragraph) -> bool:
    fields = [f for _, f in paragraph if f is not None]
    text = "".join(lit for lit, _ in paragraph)
    return len(fields) == 1 and fields[0] in ("ref", "note") and not text.strip()


def clean(text: str) -> str:
    """``text`` on one line, safe inside a YAML comment: line breaks, control
    characters and runs of whitespace become single spaces."""
    return " ".join(UNSAFE.sub(" ", text).split())
