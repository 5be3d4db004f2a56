"""Text → `Formula` in three syntaxes, with error positions.

* ``nltk`` — the NLTK / Prover9 style that LINC prompts models to write:
  ``all x.(Dog(x) -> -Cat(x))``, ``exists``, ``&``, ``|``, ``->``, ``<->``, ``-``, ``=``, ``!=``.
  The parser reproduces `nltk.sem.logic.LogicParser` decision for decision (its tokenizer,
  its operator precedence ``- < = < quantifier < & < | < -> < <->``, left-associative
  binary operators, a quantifier scoping over atoms and equalities only, and its refusals:
  a one-letter lower-case predicate name, a quantified variable that is not ``x``, ``y1``,
  ``P``, ...), because LINC's labels depend on exactly what NLTK accepts.
* ``folio`` — FOLIO's Unicode style: ``∀x (Dog(x) → ¬Cat(x))``, ``∃``, ``∧``, ``∨``, ``⊕``,
  ``↔``/``⟷``, ``=``, ``≠``; a quantifier scopes over the next unary formula.
* ``tptp`` — TPTP FOF: ``![X]: (dog(X) => ~cat(X))``, ``?[X]:``, ``<=>``, ``<~>``, ``<=``,
  ``~|``, ``~&``, ``!=``, single-quoted names; a whole ``fof(name, role, formula).`` is fine.

A name in term position becomes a `Var` when a quantifier binds it and a `Const` otherwise,
in every syntax. Errors are `FolParseError` with a `Span` into the text.

>>> print(parse("all x.(Dog(x) -> -Cat(x))"))
∀x (Dog(x) → ¬Cat(x))
>>> parse("∀x (Dog(x) → ¬Cat(x))") == parse("all x.(Dog(x) -> -Cat(x))")
True
>>> print(parse("![X]: (dog(X) => ~cat(X))", "tptp"))
∀X (dog(X) → ¬cat(X))
>>> try:
...     parse("all x.(Dog(x) &)")
... except FolParseError as e:
...     print(e.span, e.context())
1:16 all x.(Dog(x) &)
               ^
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from provers.fol.syntax import (
    MAX_DEPTH,
    And,
    Const,
    Eq,
    Exists,
    FolError,
    FolLimitError,
    Forall,
    Formula,
    Func,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    Xor,
    too_deep,
)
from workbench.span import Span

if TYPE_CHECKING:  # Lark is imported when a folio or tptp formula is first parsed
    from lark import Lark, Token, Tree

Syntax = Literal["nltk", "folio", "tptp"]
SYNTAXES: tuple[Syntax, ...] = ("nltk", "folio", "tptp")


class FolParseError(FolError, ValueError):
    """A formula that does not parse; carries the text, the syntax and the `Span` at fault.

    Example
    -------
    >>> e = FolParseError("expected ')'", "P(x", 3, "nltk")
    >>> str(e)
    "nltk formula, line 1 column 4 (offset 3): expected ')'"
    """

    def __init__(self, what: str, text: str, offset: int, syntax: str) -> None:
        span = Span.from_offsets(text, offset)
        where = f"{syntax} formula, line {span.start_line} column {span.start_col + 1} (offset {span.start_offset})"
        super().__init__(what, where, span)
        self.text = text
        self.syntax = syntax
        self.offset = span.start_offset

    def context(self, width: int = 80) -> str:
        """The faulty line with a caret under the error, cut to ``width`` characters around it."""
        assert self.span is not None
        line, caret = self.span.context(self.text).split("\n", 1)
        col = len(caret) - len(caret.lstrip(" "))
        if len(line) <= width:
            return f"{line}\n{caret}"
        start = max(0, min(col - width // 2, len(line) - width))
        head = "…" if start else ""
        tail = "…" if start + width < len(line) else ""
        return f"{head}{line[start:start + width]}{tail}\n{' ' * (col - start + len(head))}{caret.lstrip(' ')[:width]}"

    def to_json(self) -> dict[str, object]:
        return {"what": self.what, "syntax": self.syntax, "offset": self.offset,
                "line": self.span.start_line if self.span else 1,
                "column": self.span.start_col + 1 if self.span else 1}


class FolParseLimitError(FolParseError, FolLimitError):
    """A formula past `provers.fol.syntax.MAX_DEPTH`: one line, naming the limit, no context."""


def normalise(text: str, syntax: str = "nltk") -> str:
    """``text`` in Unicode NFKC, after refusing control and format characters.

    An invisible character (a zero-width space ``\\u200b``, a bidi mark, a NUL) would make two
    symbols that print alike distinct, so it is an error at its position; NFKC then folds
    compatibility forms (full-width letters, ligatures, ``ﬁ``) into one spelling. Tabs and
    line breaks are whitespace and stay.

    >>> normalise("Ｐ(ﬁdo)")
    'P(fido)'
    >>> normalise("P(a\u200bb)")
    Traceback (most recent call last):
    ...
    provers.fol.parse.FolParseError: nltk formula, line 1 column 4 (offset 3): invisible character U+200B (ZERO WIDTH SPACE) in the text
    """
    for i, ch in enumerate(text):
        if ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            name = unicodedata.name(ch, "unnamed")
            raise FolParseError(f"invisible character U+{ord(ch):04X} ({name}) in the text", text, i, syntax)
    return unicodedata.normalize("NFKC", text)


def parse(text: str, syntax: Syntax | Literal["auto"] = "auto") -> Formula:
    """Parse one formula.

    Parameters
    ----------
    text:
        The formula.
    syntax:
        ``"nltk"``, ``"folio"``, ``"tptp"``, or ``"auto"`` (`detect_syntax`).

    Raises
    ------
    FolParseError
        With the offset, line and column of the fault.
    """
    text = normalise(text, detect_syntax(text) if syntax == "auto" else syntax)
    chosen = detect_syntax(text) if syntax == "auto" else syntax
    if chosen == "nltk":
        return parse_nltk(text)
    if chosen == "folio":
        return _parse_lark(text, "folio")
    if chosen == "tptp":
        return _parse_lark(text, "tptp")
    raise FolError(f"unknown syntax {syntax!r}; choose one of {', '.join(SYNTAXES)} or auto")


def detect_syntax(text: str) -> Syntax:
    """Guess the syntax from characteristic symbols (Unicode → folio, ``![``/``=>``/``~`` → tptp).

    >>> detect_syntax("∀x P(x)"), detect_syntax("![X]: p(X)"), detect_syntax("all x.P(x)")
    ('folio', 'tptp', 'nltk')
    """
    if any(c in text for c in "∀∃¬∧∨⊕→↔⟷≠"):
        return "folio"
    if re.search(r"[!?]\s*\[|~|<~>|(?<![<=!])=>|^\s*fof\s*\(", text):
        return "tptp"
    return "nltk"


# ------------------------------------------------------------------ binding of term names


@dataclass(frozen=True, slots=True)
class _Name:
    """A bare name before we know whether it is a term or a proposition."""

    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class _App:
    """``name(args)`` before we know whether it is an atom or a function term."""

    name: str
    args: tuple[object, ...]
    offset: int


def _term(x: object, bound: frozenset[str], text: str, syntax: str) -> Term:
    if isinstance(x, _Name):
        return Var(x.name) if x.name in bound else Const(x.name)
    if isinstance(x, _App):
        return Func(x.name, tuple(_term(a, bound, text, syntax) for a in x.args))
    offset = getattr(x, "offset", 0)
    kind = {_RawNot: "a negation", _RawEq: "an equation", _RawQuant: "a quantified formula",
            _RawBin: "a compound formula"}.get(type(x), "a formula")
    raise FolParseError(f"{kind} is used where a term is expected", text, offset, syntax)


def _formula(x: object, bound: frozenset[str], text: str, syntax: str) -> Formula:
    """Resolve names: atoms become `Pred`, term names become `Var` when bound."""
    if isinstance(x, _Name):
        return Pred(x.name, ())
    if isinstance(x, _App):
        return Pred(x.name, tuple(_term(a, bound, text, syntax) for a in x.args))
    if isinstance(x, _RawEq):
        return Eq(_term(x.left, bound, text, syntax), _term(x.right, bound, text, syntax))
    if isinstance(x, _RawNot):
        return Not(_formula(x.body, bound, text, syntax))
    if isinstance(x, _RawQuant):
        body = _formula(x.body, bound | {x.var}, text, syntax)
        return (Forall if x.kind == "all" else Exists)(Var(x.var), body)
    if isinstance(x, _RawBin):
        left = _formula(x.left, bound, text, syntax)
        right = _formula(x.right, bound, text, syntax)
        return _BINARY[x.op](left, right)  # type: ignore[return-value]
    raise FolParseError(f"unexpected {x!r}", text, 0, syntax)


@dataclass(frozen=True, slots=True)
class _RawEq:
    left: object
    right: object
    offset: int


@dataclass(frozen=True, slots=True)
class _RawNot:
    body: object
    offset: int


@dataclass(frozen=True, slots=True)
class _RawQuant:
    kind: str  # "all" | "exists"
    var: str
    body: object
    offset: int


@dataclass(frozen=True, slots=True)
class _RawBin:
    op: str  # "and" | "or" | "xor" | "imp" | "iff"
    left: object
    right: object
    offset: int


_BINARY = {"and": And, "or": Or, "xor": Xor, "imp": Implies, "iff": Iff}


def _raw_children(x: object) -> tuple[object, ...]:
    if isinstance(x, _RawNot | _RawQuant):
        return (x.body,)
    if isinstance(x, _RawBin | _RawEq):
        return (x.left, x.right)
    if isinstance(x, _App):
        return x.args
    return ()


def _check_raw_depth(raw: object, text: str, syntax: str) -> object:
    """``raw`` when it nests at most `MAX_DEPTH` deep (counted without recursion), else the
    limit error at the first node past the limit (a long ``A & B & ...`` chain nests deep
    although the parser never recursed for it)."""
    stack = [(raw, 1)]
    while stack:
        node, d = stack.pop()
        if d > MAX_DEPTH:
            raise FolParseLimitError(too_deep(), text, getattr(node, "offset", 0), syntax)
        stack.extend((c, d + 1) for c in _raw_children(node))
    return raw

# ------------------------------------------------------------------------ NLTK / Prover9

_N_ALL = ("all", "forall")
_N_EXISTS = ("some", "exists", "exist")
_N_QUANTS = _N_EXISTS + _N_ALL + ("iota",)
_N_NOT = ("not", "-", "!")
_N_AND = ("and", "&", "^")
_N_OR = ("or", "|")
_N_IMP = ("implies", "->", "=>")
_N_IFF = ("iff", "<->", "<=>")
_N_EQ = ("=", "==")
_N_NEQ = ("!=",)
_N_TOKENS = frozenset(
    _N_AND + _N_OR + _N_IMP + _N_IFF + _N_EQ + _N_NEQ + _N_QUANTS + ("\\",)
    + (".", "(", ")", ",") + _N_NOT
)
#: The NLTK syntax's operator words (``and``, ``all``, ``not`` ...): never a predicate or constant.
NLTK_WORDS = frozenset(t for t in _N_TOKENS if t.isalpha())
_N_SYMBOLS = sorted((t for t in _N_TOKENS if re.fullmatch(r"[-\\.(),!&^|>=<]*", t)), key=len)
_APP = "APP"
_N_PREC: dict[str | None, int] = {
    "\\": 1, **dict.fromkeys(_N_NOT, 2), _APP: 3, **dict.fromkeys(_N_EQ + _N_NEQ, 4),
    **dict.fromkeys(_N_QUANTS, 5), **dict.fromkeys(_N_AND, 6), **dict.fromkeys(_N_OR, 7),
    **dict.fromkeys(_N_IMP, 8), **dict.fromkeys(_N_IFF, 9), None: 10,
}
_N_BINOP = {**dict.fromkeys(_N_AND, "and"), **dict.fromkeys(_N_OR, "or"),
            **dict.fromkeys(_N_IMP, "imp"), **dict.fromkeys(_N_IFF, "iff")}


_N_SYMBOL_SET = frozenset(_N_SYMBOLS)
_N_PREFIXES = frozenset(s[:k] for s in _N_SYMBOLS for k in range(1, len(s) + 1))
_N_FIRST = frozenset(s[0] for s in _N_SYMBOLS)


def _nltk_tokens(data: str) -> tuple[list[str], list[int]]:
    """NLTK's tokenizer: at an operator character, NLTK walks its symbol trie as far as the
    text allows and takes the symbol only if the walk ends on a complete one (``<-x`` is not
    ``<-`` + ``x``: ``<`` becomes a name character); everything else is name characters
    up to whitespace."""
    out: list[str] = []
    starts: list[int] = []
    token, token_start, i, n = "", 0, 0, len(data)
    while i < n:
        ch = data[i]
        if ch in _N_FIRST:
            walked, j = ch, i + 1
            while j < n and walked + data[j] in _N_PREFIXES:
                walked += data[j]
                j += 1
            if walked in _N_SYMBOL_SET:
                if token:
                    out.append(token)
                    starts.append(token_start)
                    token = ""
                out.append(walked)
                starts.append(i)
                i = j
                continue
        if ch in " \t\n":
            if token:
                out.append(token)
                starts.append(token_start)
                token = ""
        else:
            if not token:
                token_start = i
            token += ch
        i += 1
    if token:
        out.append(token)
        starts.append(token_start)
    return out, starts


_INDVAR = re.compile(r"[a-df-z]\d*|e\d*")
_FUNCVAR = re.compile(r"[A-Z]\d*")


def _nltk_var_kind(tok: str) -> str:
    if _INDVAR.fullmatch(tok):
        return "indvar"
    if _FUNCVAR.fullmatch(tok):
        return "funcvar"
    return "constant"


class _NltkParser:
    """A transcription of NLTK's `LogicParser` control flow (see the module docstring)."""

    def __init__(self, text: str, lenient: bool = False) -> None:
        self.text = text
        self.lenient = lenient
        self.toks, self.starts = _nltk_tokens(text.rstrip())
        self.i = 0
        self.depth = 0

    def fail(self, what: str, index: int | None = None) -> FolParseError:
        index = self.i if index is None else index
        offset = self.starts[index] if index < len(self.starts) else len(self.text.rstrip())
        return FolParseError(what, self.text, offset, "nltk")

    def peek(self, k: int = 0) -> str | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def take(self, what: str = "expression expected") -> str:
        if self.i >= len(self.toks):
            raise self.fail(f"end of input: {what}")
        self.i += 1
        return self.toks[self.i - 1]

    def parse(self) -> object:
        result = self.expression(None)
        if self.peek() is not None:
            raise self.fail(f"unexpected token {self.peek()!r}")
        return _check_raw_depth(result, self.text, "nltk")

    def expression(self, context: str | None) -> object:
        if self.peek() is None:
            raise self.fail("end of input: expression expected")
        # Each level may come with its own parentheses, so the parser allows twice the levels
        # (the tree's own depth is checked after); deeper means past the limit either way.
        if self.depth > 2 * MAX_DEPTH:
            raise FolParseLimitError(too_deep(), self.text, self.starts[self.i], "nltk")
        self.depth += 1
        try:
            start = self.i
            tok = self.take()
            accum = self.handle(tok, start)
            if accum is None:
                raise self.fail(f"unexpected token {tok!r}: expression expected", start)
            return self.adjuncts(accum, context)
        finally:
            self.depth -= 1

    def handle(self, tok: str, start: int) -> object | None:
        if tok not in _N_TOKENS and not (self.lenient and tok == "⊕"):
            return self.name_or_application(tok, start)
        if tok in _N_NOT:
            return _RawNot(self.expression("-"), self.starts[start])
        if tok == "\\":
            raise self.fail("lambda abstraction is not first-order", start)
        if tok in _N_QUANTS:
            return self.quantified(tok, start)
        if tok == "(":
            accum = self.expression(None)
            self.expect(")")
            return accum
        return None

    def name_or_application(self, tok: str, start: int) -> object:
        if self.peek() == "(":
            if _nltk_var_kind(tok) == "indvar" and not self.lenient:
                raise self.fail(f"{tok!r} is an illegal predicate name: individual "
                                "variables may not be used as predicates", start)
            return self.arguments(tok, (), self.starts[start])
        return _Name(tok, self.starts[start])

    def arguments(self, name: str, args: tuple[object, ...], offset: int) -> _App:
        self.take()  # "("
        args = args + (self.expression(_APP),)
        while self.peek() == ",":
            self.take()
            args = args + (self.expression(_APP),)
        self.expect(")")
        return _App(name, args, offset)

    def quantified(self, tok: str, start: int) -> object:
        if tok == "iota":
            raise self.fail("the iota operator is not first-order", start)
        if self.peek() is None:
            raise self.fail(f"end of input: variable and expression expected after {tok!r}")
        variables = [self.variable()]
        while True:
            if self.peek() is None or (self.peek() == "." and self.peek(1) is None):
                raise self.fail("end of input: expression expected")
            if self.peek() in _N_TOKENS or (self.lenient and self.peek(1) in ("(", "⊕")):
                break
            variables.append(self.variable())
        if self.peek() == ".":
            self.take()
        body = self.expression(tok)
        kind = "all" if tok in _N_ALL else "exists"
        for v in reversed(variables):
            body = _RawQuant(kind, v, body, self.starts[start])
        return body

    def variable(self) -> str:
        at = self.i
        tok = self.take("variable expected")
        if _nltk_var_kind(tok) == "constant" and not (self.lenient and tok not in _N_TOKENS):
            raise self.fail(f"{tok!r} is an illegal variable name: constants may not be "
                            "quantified (use x, y, z1, ...)", at)
        return tok

    def expect(self, tok: str) -> None:
        at = self.i
        got = self.peek()
        if got is None:
            raise self.fail(f"end of input: expected {tok!r}")
        if got != tok:
            raise self.fail(f"unexpected token {got!r}: expected {tok!r}", at)
        self.take()

    def adjuncts(self, expr: object, context: str | None) -> object:
        before = None
        while before != self.i:
            before = self.i
            expr = self.equality(expr, context)
            expr = self.application(expr, context)
            expr = self.boolean(expr, context)
        return expr

    def equality(self, expr: object, context: str | None) -> object:
        tok = self.peek()
        if tok in _N_EQ + _N_NEQ and _priority(tok, context):
            at = self.i
            self.take()
            eq: object = _RawEq(expr, self.expression(tok), self.starts[at])
            return _RawNot(eq, self.starts[at]) if tok in _N_NEQ else eq
        return expr

    def application(self, expr: object, context: str | None) -> object:
        if not (_priority(_APP, context) and self.peek() == "("):
            return expr
        if isinstance(expr, _App):
            return self.arguments(expr.name, expr.args, expr.offset)
        if isinstance(expr, _Name) and _nltk_var_kind(expr.name) != "indvar":
            return self.arguments(expr.name, (), expr.offset)
        raise self.fail(f"{expr} is not a predicate or function, so it may not take arguments")

    def boolean(self, expr: object, context: str | None) -> object:
        while True:
            tok = self.peek()
            if self.lenient and tok == "⊕" and _priority("|", context):
                op, ctx = "xor", "|"  # lenient: exclusive or, at the precedence of |
            elif tok in _N_BINOP and _priority(tok, context):
                op, ctx = _N_BINOP[tok], tok
            else:
                return expr
            at = self.i
            self.take()
            expr = _RawBin(op, expr, self.expression(ctx), self.starts[at])


def _priority(op: str, context: str | None) -> bool:
    return _N_PREC[op] < _N_PREC[context] or (op == _APP and _N_PREC[op] == _N_PREC[context])


def parse_nltk_tree(text: str) -> object:
    """NLTK's untyped expression tree for ``text`` (before terms and atoms are told apart).

    `provers.fol.linc` prints this tree to Prover9 exactly as NLTK does, including the few
    inputs NLTK accepts that are not first-order (a negation used as an argument).

    Raises
    ------
    FolParseError
        Where NLTK would raise `LogicalExpressionException`.
    """
    return _NltkParser(text).parse()


_UNICODE_TO_NLTK = (("∀", " all "), ("∃", " exists "), ("¬", " -"), ("∧", " & "), ("∨", " | "),
                    ("→", " -> "), ("↔", " <-> "), ("⟷", " <-> "), ("⊕", " ⊕ "), ("≠", " != "))


def parse_nltk_lenient(text: str) -> Formula:
    """NLTK style with the repairs a robust pipeline wants; not what LINC accepted.

    Also accepts ``⊕`` (exclusive or, at the precedence of ``|``), FOLIO's Unicode connectives,
    capitalised quantifiers (``Exists x.``), any name as a quantified variable
    (``all person.``) and one-letter function names. Error
    offsets refer to the text after the Unicode symbols are spaced out.

    >>> print(parse_nltk_lenient("all person.(Student(person) ⊕ Teacher(person))"))
    ∀person (Student(person) ⊕ Teacher(person))
    >>> print(parse_nltk_lenient("∀x (A(x) → ¬B(x))"))
    ∀x (A(x) → ¬B(x))
    """
    text = normalise(text)
    for old, new in _UNICODE_TO_NLTK:
        text = text.replace(old, new)
    text = re.sub(r"\b(All|ALL|ForAll|Forall|FORALL)\b(?=\s+[a-z]\w*\s*[.(])", "all", text)
    text = re.sub(r"\b(Exists|EXISTS|Exist|Some)\b(?=\s+[a-z]\w*\s*[.(])", "exists", text)
    text = re.sub(r"\b(all|exists)\s+(\w+)\s*\(", r"\1 \2.(", text)
    raw = _NltkParser(text, lenient=True).parse()
    return _formula(raw, frozenset(), text, "nltk")


def parse_nltk(text: str) -> Formula:
    """Parse NLTK / Prover9 style exactly as `nltk.sem.logic.Expression.fromstring` would.

    Example
    -------
    >>> print(parse_nltk("all x. P(x) -> Q(x)"))  # NLTK: the quantifier stops before ->
    (∀x P(x)) → Q(x)
    >>> print(parse_nltk("A -> B -> C"))           # and -> associates to the left
    (A → B) → C
    >>> parse_nltk("P(x) ⊕ Q(x)")
    Traceback (most recent call last):
    ...
    provers.fol.parse.FolParseError: nltk formula, line 1 column 6 (offset 5): unexpected token '⊕'

    Raises
    ------
    FolParseError
        Where NLTK would raise `LogicalExpressionException`.
    """
    raw = _NltkParser(text).parse()
    return _formula(raw, frozenset(), text, "nltk")


# --------------------------------------------------------------------- FOLIO and TPTP

_FOLIO_GRAMMAR = r"""
?start: iff
?iff: imp | imp IFF iff              -> iff
?imp: disj | disj "→" imp            -> imp
?disj: conj | disj "∨" conj          -> or_
     | disj "⊕" conj                 -> xor
?conj: unary | conj "∧" unary        -> and_
?unary: NOT unary                    -> not_
      | ALL NAME unary               -> forall
      | EXISTS NAME unary            -> exists
      | "(" iff ")"
      | atom
?atom: app | app EQ app              -> eq
      | app NEQ app                  -> neq
?app: NAME | NAME "(" args ")"       -> app
args: app ("," app)*
IFF: "↔" | "⟷"
NOT: "¬"
ALL: "∀"
EXISTS: "∃"
EQ: "="
NEQ: "≠"
NAME: /[^\s(),¬∧∨⊕→↔⟷∀∃=≠]+/
%ignore /\s+/
"""

_TPTP_GRAMMAR = r"""
?start: annotated | formula
annotated: "fof" "(" NAME "," NAME "," formula ("," /[^.]+/)? ")" "."
?formula: disj | disj BINOP disj     -> binop
?disj: conj | disj "|" conj          -> or_
?conj: unary | conj "&" unary        -> and_
?unary: NOT unary                    -> not_
      | ALL "[" vars "]" ":" unary   -> forall
      | EXISTS "[" vars "]" ":" unary -> exists
      | "(" formula ")"
      | atom
vars: NAME ("," NAME)*
?atom: app | app EQ app              -> eq
      | app NEQ app                  -> neq
?app: NAME | NAME "(" args ")"       -> app
args: app ("," app)*
BINOP: "<=>" | "=>" | "<=" | "<~>" | "~|" | "~&"
NOT: "~"
ALL: "!"
EXISTS: "?"
EQ: "="
NEQ: "!="
NAME: /[A-Za-z0-9_$][A-Za-z0-9_]*/ | /'(\\.|[^'\\])*'/
%ignore /\s+/
%ignore /%[^\n]*/
"""


class _ToRaw:
    """Lark tree → raw nodes (names are resolved against binders afterwards); one method per
    rule, called bottom-up by `_transform` (Lark's own Transformer recurses)."""

    def NAME(self, tok: Token) -> _Name:  # noqa: N802 - Lark calls terminal callbacks by name
        name = str(tok)
        if name.startswith("'") and name.endswith("'") and len(name) >= 2:
            name = re.sub(r"\\(.)", r"\1", name[1:-1])
        return _Name(name, tok.start_pos or 0)

    def app(self, items: list[object]) -> _App:
        head, args = items
        assert isinstance(head, _Name)
        return _App(head.name, tuple(args), head.offset)  # type: ignore[arg-type]

    def args(self, items: list[object]) -> list[object]:
        return items

    def vars(self, items: list[object]) -> list[object]:
        return items

    def eq(self, items: list[object]) -> _RawEq:
        return _RawEq(items[0], items[2], _off(items[1]))

    def neq(self, items: list[object]) -> _RawNot:
        return _RawNot(_RawEq(items[0], items[2], _off(items[1])), _off(items[1]))

    def not_(self, items: list[object]) -> _RawNot:
        return _RawNot(items[1], _off(items[0]))

    def forall(self, items: list[object]) -> object:
        return _quant("all", items)

    def exists(self, items: list[object]) -> object:
        return _quant("exists", items)

    def and_(self, items: list[object]) -> _RawBin:
        return _RawBin("and", items[0], items[1], 0)

    def or_(self, items: list[object]) -> _RawBin:
        return _RawBin("or", items[0], items[1], 0)

    def xor(self, items: list[object]) -> _RawBin:
        return _RawBin("xor", items[0], items[1], 0)

    def imp(self, items: list[object]) -> _RawBin:
        return _RawBin("imp", items[0], items[1], 0)

    def iff(self, items: list[object]) -> _RawBin:
        return _RawBin("iff", items[0], items[2], 0)

    def binop(self, items: list[object]) -> object:
        left, op, right = items
        kind = str(op)
        if kind == "<=>":
            return _RawBin("iff", left, right, _off(op))
        if kind == "=>":
            return _RawBin("imp", left, right, _off(op))
        if kind == "<=":
            return _RawBin("imp", right, left, _off(op))
        if kind == "<~>":
            return _RawBin("xor", left, right, _off(op))
        inner = _RawBin("or" if kind == "~|" else "and", left, right, _off(op))
        return _RawNot(inner, _off(op))

    def annotated(self, items: list[object]) -> object:
        return items[2]


_TERMINALS = {"$END": "end of formula", "RPAR": "')'", "LPAR": "'('", "COMMA": "','", "NAME": "a name",
              "COLON": "':'", "RSQB": "']'", "LSQB": "'['", "DOT": "'.'"}


def _off(tok: object) -> int:
    return int(getattr(tok, "start_pos", 0) or 0)


def _quant(kind: str, items: list[object]) -> object:
    sym, names, body = items[0], items[1], items[2]
    names = names if isinstance(names, list) else [names]
    for n in reversed(names):
        assert isinstance(n, _Name)
        body = _RawQuant(kind, n.name, body, _off(sym))
    return body


@cache
def _lark(syntax: str) -> Lark:
    from lark import Lark

    grammar = _FOLIO_GRAMMAR if syntax == "folio" else _TPTP_GRAMMAR
    return Lark(grammar, parser="lalr", maybe_placeholders=False, propagate_positions=False)


def _transform(tree: Tree) -> object:  # type: ignore[type-arg]
    """`_ToRaw` applied bottom-up without recursion (a post-order walk with a value stack)."""
    from lark import Token, Tree

    rules = _ToRaw()
    values: list[Any] = []
    work: list[tuple[object, bool]] = [(tree, False)]
    while work:
        node, expanded = work.pop()
        if isinstance(node, Tree) and not expanded:
            work.append((node, True))
            work.extend((child, False) for child in reversed(node.children))
        elif isinstance(node, Tree):
            n = len(node.children)
            children = values[len(values) - n:] if n else []
            del values[len(values) - n:]
            values.append(getattr(rules, str(node.data))(children))
        elif isinstance(node, Token) and node.type == "NAME":
            values.append(rules.NAME(node))
        else:
            values.append(node)
    return values[0]


def _parse_lark(text: str, syntax: str) -> Formula:
    from lark import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

    try:
        tree = _lark(syntax).parse(text)
    except UnexpectedCharacters as exc:
        at = exc.pos_in_stream or 0
        raise FolParseError(f"unexpected character {text[at]!r}", text, at, syntax) from None
    except UnexpectedEOF:
        raise FolParseError("unexpected end of formula", text, len(text.rstrip()), syntax) from None
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        what = "unexpected end of formula" if tok is None or tok.type == "$END" else f"unexpected {str(tok)!r}"
        expected = sorted(getattr(exc, "expected", ()) or ())
        if expected and len(expected) <= 6:
            what += f" (expected {' or '.join(_TERMINALS.get(e, e) for e in expected)})"
        at_end = tok is None or tok.type == "$END"
        pos = len(text.rstrip()) if at_end or exc.pos_in_stream is None else exc.pos_in_stream
        raise FolParseError(what, text, pos, syntax) from None
    _check_tree_depth(tree, text, syntax)
    return _formula(_transform(tree), frozenset(), text, syntax)


def _check_tree_depth(tree: Tree, text: str, syntax: str) -> None:  # type: ignore[type-arg]
    """Refuse a Lark tree past `MAX_DEPTH` before `_formula` (recursive) reads it; argument
    and variable lists are not levels of their own."""
    from lark import Tree

    stack: list[tuple[object, int]] = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        if not isinstance(node, Tree):
            continue
        if d > MAX_DEPTH:
            first: object = node
            while isinstance(first, Tree) and first.children:
                first = first.children[0]
            raise FolParseLimitError(too_deep(), text, _off(first), syntax)
        step = 0 if node.data in ("args", "vars") else 1
        stack.extend((c, d + step) for c in node.children)


def parse_folio(text: str) -> Formula:
    """Parse FOLIO's Unicode syntax.

    >>> print(parse_folio("∀x (A(x) ∧ B(x) → C(x))"))
    ∀x ((A(x) ∧ B(x)) → C(x))
    """
    return _parse_lark(text, "folio")


def parse_tptp(text: str) -> Formula:
    """Parse one TPTP FOF formula (optionally wrapped in ``fof(name, role, ...).``).

    >>> print(parse_tptp("fof(a1, axiom, ![X]: (man(X) => mortal(X)))."))
    ∀X (man(X) → mortal(X))
    """
    return _parse_lark(text, "tptp")
