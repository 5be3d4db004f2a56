"""Syntax highlighting of REPL input: the command word, options, and first-order logic.

One pygments lexer (`ReplLexer`) for the whole line, wrapped by prompt_toolkit's
`PygmentsLexer` in the prompt. FOL in every syntax the parser reads is covered: quantifiers
(``all``/``exists``, ``∀``/``∃``, TPTP ``!``/``?``), connectives (``->``, ``<->``, ``&``,
``|``, ``-``, ``¬ ∧ ∨ → ↔ ⊕``), predicate and function names (a name before ``(``).

>>> [(str(t), v) for t, v in ReplLexer().get_tokens("ask all x.(Dog(x) -> Animal(x))") if v.strip()][:6]
[('Token.Keyword', 'ask'), ('Token.Keyword.Declaration', 'all'), ('Token.Name.Variable', 'x'), ('Token.Punctuation', '.'), ('Token.Punctuation', '('), ('Token.Name.Function', 'Dog')]
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Keyword, Name, Number, Operator, Punctuation, Text, Whitespace


class ReplLexer(RegexLexer):
    """The command, its ``--options``, and FOL tokens in the rest of the line."""

    name = "Workbench REPL"
    aliases = ["workbench-repl"]

    tokens = {
        "root": [
            (r"(\s*)([A-Za-z?]+)", bygroups(Whitespace, Keyword), "args"),
            (r".+", Text),
        ],
        "args": [
            (r"\s+", Whitespace),
            (r"--[\w-]+", Name.Attribute),
            (r"(all|exists|forall|some)\b", Keyword.Declaration),
            (r"[∀∃!?](?=\s*[\[\w])", Keyword.Declaration),
            (r"<->|->|<=>|=>|[&|^~¬∧∨→↔⊕=]|-(?=[\w(])", Operator),
            (r"[A-Za-z_][\w']*(?=\()", Name.Function),
            (r"\b[a-z]\b", Name.Variable),
            (r"\d+(?:\.\d+)?", Number),
            (r"[(),.:;\[\]]", Punctuation),
            (r"[A-Za-z_][\w']*", Name),
            (r".", Text),
        ],
    }
