"""Line look-ups without a line table agree with the table, in any order.

``Source.line_index`` counts line breaks from the last position asked about
and ``Source.line_start`` steps from it; both fall back to a table of every
line's start. Whatever order the questions come in, the answers must be the
table's.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from relane.read.source import Source

_LINES = st.lists(
    st.text(alphabet="ab #:\t", max_size=6).map(lambda s: s.replace("\n", "")), min_size=0, max_size=40
)


def _text(lines: list[str], crlf: bool, final: bool) -> str:
    sep = "\r\n" if crlf else "\n"
    return sep.join(lines) + (sep if final and lines else "")


def _table(text: str) -> list[int]:
    starts = [0]
    for i, char in enumerate(text):
        if char == "\n":
            starts.append(i + 1)
    return starts


@settings(max_examples=300, deadline=None)
@given(_LINES, st.booleans(), st.booleans(), st.lists(st.tuples(st.booleans(), st.integers(0, 10_000)), max_size=30))
def test_line_answers_match_the_table(lines, crlf, final, questions):
    text = _text(lines, crlf, final)
    table = _table(text)
    source = Source("w.yml", text)
    assert source.line_count == len(table)
    for by_line, n in questions:
        if by_line:
            line = n % (len(table) + 2)  # sometimes past the last line
            if line < len(table):
                assert source.line_start(line) == table[line]
                assert source.line_span(line) == (table[line], table[line + 1] if line + 1 < len(table) else len(text))
            else:
                try:
                    source.line_start(line)
                except IndexError:
                    pass
                else:  # pragma: no cover - the assertion explains
                    raise AssertionError(f"line {line} of {len(table)} has a start")
        else:
            index = n % (len(text) + 1)
            assert source.line_index(index) == sum(1 for s in table[1:] if s <= index)
    assert source.line_starts == table or list(source.line_starts) == table


def test_many_jobs_far_apart_fall_back_to_the_table():
    # Questions alternating between the two ends of a long text: stepping
    # would read the text again and again, so the table takes over.
    text = "".join(f"line {i}\n" for i in range(5000))
    source = Source("w.yml", text)
    table = _table(text)
    for _ in range(10):
        assert source.line_start(0) == 0
        assert source.line_start(4999) == table[4999]
        assert source.line_index(len(text) - 1) == 4999
        assert source.line_index(0) == 0
    assert source._line_starts is not None


def test_walking_down_the_lines_needs_no_table():
    text = "".join(f"line {i}\r\n" for i in range(5000))
    source = Source("w.yml", text)
    table = _table(text)
    for line in range(5000):
        assert source.line_start(line) == table[line]
        assert source.line_index(table[line] + 2) == line
    assert source._line_starts is None
