"""The FOL grammar and the parser agree: every string the GBNF grammar allows parses.

Grammar-constrained decoding promises that no sample is lost to a syntax error. That holds
only if the grammar's language is inside the parser's, so strings are drawn at random from the
grammar (a small GBNF reader below covers what `FOL_GRAMMAR` uses: literals, character
classes, groups, alternatives, ``* + ?`` and ``{m,n}``) and each must parse.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import pytest

from provers.fol.parse import parse_nltk
from provers.fol.prompts import FOL_GRAMMAR, FORMULA_GRAMMAR, problem_grammar


@dataclass(frozen=True)
class Node:
    kind: str  # lit | cls | ref | seq | alt | rep
    value: object = None
    lo: int = 1
    hi: int | None = 1


_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[A-Za-z_][\w-]*|\{\d+(?:,\d*)?\}|[()|*+?])')
_ESC = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "]": "]", "[": "[", "^": "^", "-": "-"}


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESC.get(m.group(1), m.group(1)), s)


def _class(body: str) -> tuple[bool, list[str]]:
    neg = body.startswith("^")
    body = body[1:] if neg else body
    chars, i = [], 0
    items = re.findall(r"\\.|.", body)
    while i < len(items):
        a = _unescape(items[i])
        if i + 2 < len(items) and items[i + 1] == "-":
            b = _unescape(items[i + 2])
            chars += [chr(c) for c in range(ord(a), ord(b) + 1)]
            i += 3
        else:
            chars.append(a)
            i += 1
    return neg, chars


def read_gbnf(text: str) -> dict[str, Node]:
    rules: dict[str, Node] = {}
    for line in text.strip().splitlines():
        name, _, body = line.partition("::=")
        rules[name.strip()] = _read_rule(_TOKEN.findall(body))
    return rules


def _read_rule(toks: list[str]) -> Node:
    """One rule body (its tokens) as a tree: alternatives of sequences of postfixed items."""
    pos = 0

    def alt() -> Node:
        nonlocal pos
        options = [seq()]
        while pos < len(toks) and toks[pos] == "|":
            pos += 1
            options.append(seq())
        return options[0] if len(options) == 1 else Node("alt", tuple(options))

    def seq() -> Node:
        nonlocal pos
        items = []
        while pos < len(toks) and toks[pos] not in ("|", ")"):
            tok = toks[pos]
            pos += 1
            if tok == "(":
                item = alt()
                pos += 1  # ")"
            elif tok.startswith('"'):
                item = Node("lit", _unescape(tok[1:-1]))
            elif tok.startswith("["):
                item = Node("cls", _class(tok[1:-1]))
            else:
                item = Node("ref", tok)
            while pos < len(toks) and (toks[pos] in ("*", "+", "?") or toks[pos].startswith("{")):
                op = toks[pos]
                pos += 1
                lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}.get(op, (None, None))
                if op.startswith("{"):
                    a, comma, b = op[1:-1].partition(",")
                    lo, hi = int(a), (int(b) if b else None) if comma else int(a)
                item = Node("rep", item, lo, hi)
            items.append(item)
        return items[0] if len(items) == 1 else Node("seq", tuple(items))

    return alt()


def _min_len(rules: dict[str, Node]) -> dict[str, float]:
    """Shortest derivation length per rule (a fixpoint), to steer deep derivations home."""
    best = {name: float("inf") for name in rules}

    def size(n: Node) -> float:
        if n.kind == "lit":
            return len(n.value)  # type: ignore[arg-type]
        if n.kind == "cls":
            return 1
        if n.kind == "ref":
            return best[n.value]  # type: ignore[index]
        if n.kind == "seq":
            return sum(size(c) for c in n.value)  # type: ignore[union-attr]
        if n.kind == "alt":
            return min(size(c) for c in n.value)  # type: ignore[union-attr]
        return n.lo * size(n.value)  # type: ignore[arg-type]

    for _ in range(len(rules) + 2):
        best = {name: size(node) for name, node in rules.items()}
    best["__size__"] = size  # type: ignore[assignment]
    return best


def sample(rules: dict[str, Node], start: str, rng: random.Random, max_depth: int = 12) -> str:
    best = _min_len(rules)
    size = best.pop("__size__")  # type: ignore[arg-type]
    alphabet = [chr(c) for c in range(32, 127)] + ["é", "ß"]

    def gen(n: Node, depth: int) -> str:
        deep = depth > max_depth
        if n.kind == "lit":
            return str(n.value)
        if n.kind == "cls":
            neg, chars = n.value  # type: ignore[misc]
            pool = [c for c in alphabet if c not in chars] if neg else chars
            return rng.choice(pool)
        if n.kind == "ref":
            return gen(rules[str(n.value)], depth + 1)
        if n.kind == "seq":
            return "".join(gen(c, depth) for c in n.value)  # type: ignore[union-attr]
        if n.kind == "alt":
            options = list(n.value)  # type: ignore[arg-type]
            choice = min(options, key=size) if deep else rng.choice(options)
            return gen(choice, depth)
        hi = n.hi if n.hi is not None else n.lo + 3
        count = n.lo if deep else rng.randint(n.lo, hi)
        return "".join(gen(n.value, depth + 1) for _ in range(count))  # type: ignore[arg-type]

    return gen(rules[start], 0)


def test_the_reader_understands_the_grammar() -> None:
    rules = read_gbnf(FOL_GRAMMAR)
    assert {"root", "formula", "unary", "negand", "eq", "pred", "const"} <= set(rules)
    pred = rules["pred"]
    assert pred.kind == "seq" and pred.value[1].kind == "rep" and (pred.value[1].lo, pred.value[1].hi) == (0, 63)


@pytest.mark.parametrize("seed", range(4))
def test_every_formula_the_grammar_allows_parses(seed: int) -> None:
    rules = read_gbnf(FOL_GRAMMAR)
    rng = random.Random(seed)
    for _ in range(250):
        text = sample(rules, "formula", rng)
        try:
            parse_nltk(text)
        except Exception as exc:  # noqa: BLE001 - the message is the finding
            pytest.fail(f"the grammar allows {text!r}, the parser says: {exc}")


def test_the_one_formula_grammar_gives_one_parsable_line() -> None:
    rules = read_gbnf(FORMULA_GRAMMAR)
    rng = random.Random(3)
    for _ in range(100):
        text = sample(rules, "root", rng)
        assert text.endswith("\n") and text.count("\n") == 1
        parse_nltk(text[:-1])


def test_problem_grammar_completions_have_one_parsable_fol_line_per_sentence() -> None:
    premises, conclusion = ["No managers work from home.", 'James is a "manager".'], "James works from home."
    rules = read_gbnf(problem_grammar(premises, conclusion))
    rng = random.Random(7)
    for _ in range(40):
        text = sample(rules, "root", rng)
        assert text.endswith("</EVALUATE>")
        texts = re.findall(r"^TEXT:\t(.*)$", text, flags=re.M)
        fols = re.findall(r"^FOL:\t(.*)$", text, flags=re.M)
        assert texts == [*premises, conclusion] and len(fols) == 3
        for f in fols:
            parse_nltk(f)


def _regex(rules: dict[str, Node], n: Node) -> str:
    """A non-recursive part of the grammar as a Python regex (for exact membership checks)."""
    if n.kind == "lit":
        return re.escape(str(n.value))
    if n.kind == "cls":
        neg, chars = n.value  # type: ignore[misc]
        return "[" + ("^" if neg else "") + "".join(re.escape(c) for c in chars) + "]"
    if n.kind == "ref":
        return _regex(rules, rules[str(n.value)])
    if n.kind == "seq":
        return "".join(_regex(rules, c) for c in n.value)  # type: ignore[union-attr]
    if n.kind == "alt":
        return "(?:" + "|".join(_regex(rules, c) for c in n.value) + ")"  # type: ignore[union-attr]
    return f"(?:{_regex(rules, n.value)}){{{n.lo},{'' if n.hi is None else n.hi}}}"  # type: ignore[arg-type]


def test_constants_are_never_operator_words() -> None:
    rules = read_gbnf(FOL_GRAMMAR)
    const = re.compile(_regex(rules, rules["const"]))
    for word in ("or", "and", "not", "all", "forall", "some", "exists", "exist", "iota", "implies", "iff"):
        assert not const.fullmatch(word), word
        with pytest.raises(Exception):  # noqa: B017 - why the grammar must exclude it
            parse_nltk(f"P({word})")
    for name in ("orange", "ann", "bob", "exists1", "existence", "some_thing", "impl", "x1", "alla", "io", "a" * 64):
        assert const.fullmatch(name), name
    assert not const.fullmatch("a") and not const.fullmatch("a" * 65) and not const.fullmatch("Bob")
