"""Source positions: the one `Span` type every part uses.

Indexing (as LibCST states it, so nobody has to guess):

* lines are **1-indexed**;
* columns are **0-indexed** and counted in Unicode code points (Python `str` indices);
* offsets are **0-indexed** code-point offsets into the whole text;
* ends are **exclusive**.

Editors speak LSP, whose positions are 0-based lines and UTF-16 columns; convert exactly once,
at the LSP boundary, with `Span.to_lsp_range`.

>>> s = Span.from_offsets("all x.(P(x) &)\\n", 13, 14)
>>> (s.start_line, s.start_col, s.end_col)
(1, 13, 14)
>>> print(s.context("all x.(P(x) &)\\n"))
all x.(P(x) &)
             ^
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of source text."""

    #: Line numbers are 1-indexed.
    start_line: int
    #: Columns are 0-indexed code points.
    start_col: int
    #: Line numbers are 1-indexed.
    end_line: int
    #: Columns are 0-indexed code points; the end is exclusive.
    end_col: int
    #: Offset of the start into the whole text, 0-indexed.
    start_offset: int = 0
    #: Offset of the end into the whole text, 0-indexed, exclusive.
    end_offset: int = 0

    @classmethod
    def from_offsets(cls, text: str, start: int, end: int | None = None) -> Span:
        """The span of ``text[start:end]`` (a one-character span when ``end`` is omitted)."""
        end = start + 1 if end is None else end
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        sl, sc = _line_col(text, start)
        el, ec = _line_col(text, end)
        return cls(sl, sc, el, ec, start, end)

    def __str__(self) -> str:
        return f"{self.start_line}:{self.start_col + 1}"

    def context(self, text: str) -> str:
        """The start line of the span with a caret under the fault (as Lark's `get_context`)."""
        lines = text.splitlines() or [""]
        line = lines[min(self.start_line, len(lines)) - 1]
        width = max(1, (self.end_col - self.start_col) if self.end_line == self.start_line else 1)
        return f"{line}\n{' ' * self.start_col}{'^' * width}"

    def to_lsp_range(self, text: str) -> dict[str, dict[str, int]]:
        """LSP ``Range`` (0-based lines, UTF-16 code-unit columns) for this span in ``text``."""
        lines = text.split("\n")

        def utf16(line: int, col: int) -> int:
            src = lines[line - 1] if 0 < line <= len(lines) else ""
            return len(src[:col].encode("utf-16-le")) // 2

        return {
            "start": {"line": self.start_line - 1, "character": utf16(self.start_line, self.start_col)},
            "end": {"line": self.end_line - 1, "character": utf16(self.end_line, self.end_col)},
        }


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return line, col
