"""How a string is written as a YAML scalar: plain when that reads back as
the same string, otherwise quoted.

Two sets of rules live here. :func:`plain_safe` and :func:`render_scalar`
are the conservative ones runner labels are written with (label characters
only). :func:`plain_ok`, :func:`single_ok` and :func:`write_string` cover any
string: a plain scalar is used only where both YAML 1.1 and 1.2 loaders read
it back as that same string, in block or in flow context.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml.resolver

STR_TAG = "tag:yaml.org,2002:str"
RESOLVER = yaml.resolver.Resolver()
_PLAIN_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*\Z")

# What a plain scalar made of label characters can resolve to besides a
# string: YAML 1.2's core schema (ruamel, go-yaml v3, ...) and YAML 1.1's
# types as its specification writes them (PyYAML leaves out y, Y, n and N,
# and reads fewer floats and integers than the specification allows).
_NOT_STRING = re.compile(
    r"""(?x)
    # YAML 1.2 core
      null | Null | NULL | true | True | TRUE | false | False | FALSE
    | [0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
    | (?: \.[0-9]+ | [0-9]+ (?: \.[0-9]* )? ) (?: [eE] [-+]? [0-9]+ )?
    | \.(?: inf | Inf | INF | nan | NaN | NAN )
    # YAML 1.1
    | y | Y | yes | Yes | YES | n | N | no | No | NO | on | On | ON | off | Off | OFF
    | 0b[0-1_]+ | 0[0-7_]+ | (?: 0 | [1-9][0-9_]* ) | 0x[0-9a-fA-F_]+ | [1-9][0-9_]* (?: :[0-5]?[0-9] )+
    | (?: [0-9][0-9_]* )? \.[0-9.]* (?: [eE] [-+] [0-9]+ )? | [0-9][0-9_]* (?: :[0-5]?[0-9] )+ \.[0-9_]*
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2} (?: [Tt] .* )?
    | = | <<
    """
)


# Numbers, booleans and null as YAML 1.1 and 1.2 loaders both type them.
_CORE = re.compile(
    r"[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+][0-9]+)?|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)


@lru_cache(maxsize=4096)  # a run asks about the same few labels again and again
def _reads_as_string(value: str) -> bool:
    """Whether a plain ``value`` reads as a string in YAML 1.1 and 1.2 alike."""
    if _NOT_STRING.fullmatch(value):
        return False
    if value[:1] in ("-", "+") and _NOT_STRING.fullmatch(value[1:]):
        return False  # a signed number
    return RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == STR_TAG


def plain_safe(value: str) -> bool:
    """Whether ``value`` can be written unquoted and still read as this string.

    Conservative: label-like characters only, and nothing a YAML 1.1 or 1.2
    loader would read as a boolean, number, null or date.
    """
    return bool(_PLAIN_LABEL.match(value)) and _reads_as_string(value)


def render_scalar(value: str, style: str | None) -> str:
    """``value`` written in ``style`` (``None`` plain, ``'`` or ``"``), the
    way runner labels are written.

    Plain falls back to double quotes when plain would change the value;
    block styles are written double-quoted.
    """
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style is None and plain_safe(value):
        return value
    return json.dumps(value, ensure_ascii=False)


# -- any string ------------------------------------------------------------

# Printable characters that YAML takes on one line: no line breaks (YAML 1.1
# also breaks at NEL and the Unicode separators), no byte-order mark.
_ONE_LINE = re.compile("[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*\\Z")
_FLOW_INDICATORS = frozenset(",[]{}")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def single_ok(value: str) -> bool:
    """Whether ``value`` can be written single-quoted on one line."""
    return bool(_ONE_LINE.match(value))


def plain_ok(value: str, flow: bool = False) -> bool:
    """Whether ``value`` can be written as a plain scalar and read back as
    this same string (in a flow collection when ``flow``)."""
    return _plain_syntax(value, flow) and _reads_as_string(value)


def plain_alike(old: str, new: str, flow: bool = False) -> bool:
    """Whether ``new`` can take the place of the plain scalar ``old``
    unquoted: it reads back as written, and as the same kind of value
    (``10`` to ``20`` stays a number, ``v1`` to ``30`` would not)."""
    if not _plain_syntax(new, flow):
        return False
    kind = RESOLVER.resolve(yaml.ScalarNode, new, (True, False))
    if kind == STR_TAG:
        return _reads_as_string(new)
    same = kind == RESOLVER.resolve(yaml.ScalarNode, old, (True, False))
    return same and bool(_CORE.fullmatch(old)) and bool(_CORE.fullmatch(new))


def _plain_syntax(value: str, flow: bool) -> bool:
    if not value or not _ONE_LINE.match(value) or "\t" in value or value[0] == " " or value[-1] == " ":
        return False
    first = value[0]
    # "-", "?" and ":" may start a plain scalar when a safe character follows,
    # but in a flow collection libyaml takes "?" and ":" as indicators anyway.
    if first in _INDICATORS and (first not in "-?:" or len(value) < 2 or value[1] in " ,[]{}" or (flow and first != "-")):
        return False
    if value.startswith(("---", "...")) or ": " in value or value.endswith(":") or " #" in value:
        return False
    return not (flow and not _FLOW_INDICATORS.isdisjoint(value))


_ESCAPES = {
    "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
    "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P",
}


def double_quoted(value: str) -> str:
    """``value`` as a double-quoted scalar on one line (any string can be)."""
    out = []
    for c in value:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c == "\t" or _ONE_LINE.match(c):
            out.append(c)
        elif ord(c) <= 0xFF:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


def single_quoted(value: str) -> str:
    """``value`` single-quoted (see :func:`single_ok`)."""
    return "'" + value.replace("'", "''") + "'"


def write_string(value: str, style: str | None, *, flow: bool = False, quote: str = '"') -> str:
    """``value`` in ``style`` (``None`` plain, ``'`` or ``"``) when it can be
    written so, else quoted with ``quote`` (``'`` or ``"``), else
    double-quoted. Block styles count as plain here."""
    if style == '"':
        return double_quoted(value)
    if style == "'" and single_ok(value):
        return single_quoted(value)
    if style != "'" and plain_ok(value, flow):
        return value
    if quote == "'" and single_ok(value):
        return single_quoted(value)
    return double_quoted(value)
