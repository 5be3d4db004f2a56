"""Coq vernacular text, lexed as Coq lexes it, and the filter every untrusted sentence passes.

Statements, preludes, epilogues and tactics reach ``coqtop``/``coqc`` from users, item files
and models: they are untrusted. Everything here decides *what Coq will execute* the same way
Coq's own lexer does, so that a check cannot be fooled by text Coq reads differently.

Lexing rules (Coq 8.16's ``CLexer``)
------------------------------------
* Comments ``(* ... *)`` nest; inside a comment a ``"`` opens a string that runs to the next
  ``"`` (so ``(* " *) X. (* " *)`` is one comment: Coq never executes ``X.``).
* Strings ``"..."`` escape a quote by doubling it (``""``).
* A sentence ends at a ``.`` or a ``...`` followed by white space or the end of the text
  (``tac...`` is ``tac`` then the ``Proof with`` tactic, and ends its sentence whatever
  precedes it: ``idtac... Admitted.`` is two sentences to Coq); ``..`` is a token of its own
  (recursive notations), ``x.y`` is a qualified name, ``x.(f)`` a projection. A run of four
  or more dots is refused (Coq's lexer refuses it too).
* A comment or string still open at the end of the text is an error with its position.

The filter
----------
`check_sentence` refuses, wherever the sentence comes from: commands that touch the file
system or the process (``Redirect``, ``Load``, ``Cd``, ``Drop``, ``Quit``, ``Declare ML
Module``, ``Add LoadPath``, extraction to files), that move coqtop's state behind the
prover's back (``Back``, ``BackTo``, ``Undo``, ``Reset``, ``Restart``, ``Abort``), and that
switch a kernel check off (``Unset Guard/Positivity/Universe Checking``,
``#[bypass_check(...)]``, ``Set Nested Proofs Allowed``, ``Admit Obligations``). A statement
is then exactly one sentence declaring a lemma (`parse_statement`); a tactic exactly one
sentence with no vernacular and no ``admit``/``give_up`` (`clean_tactic`); an epilogue only
``End X.`` sentences.

>>> [s.code for s in sentences('Lemma a : "x. y" = "". (* b. (* c. *) " *) " d. *) Qed.')]
['Lemma a : "x. y" = "".', 'Qed.']
>>> [s.code for s in sentences("Check [1 .. 2]. Check x.(f).")]
['Check [1 .. 2].', 'Check x.(f).']
>>> len(sentences("Lemma fermat : False. Admitted. Lemma easy : True."))
3
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from provers.itp.errors import TacticRejected, TheoremError

#: Declarations that state a lemma and open its proof (the statement kinds we accept).
LEMMA_KINDS = ("Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property", "Example")
#: Declarations whose names are assumptions (``Print Assumptions`` lists them).
ASSUMPTION_KINDS = (
    "Axiom", "Axioms", "Parameter", "Parameters", "Conjecture", "Conjectures", "Hypothesis", "Hypotheses",
    "Variable", "Variables", "Context",
)

_IDENT = re.compile(r"[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_'\u00C0-\uFFFF]*(?:\.[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_'\u00C0-\uFFFF]*)*")
_ATTRIBUTE = re.compile(r"#\[[^\]]*\]")
_BULLETS = re.compile(r"^(?:[-+*]+|[{}])\s*")
#: Sentence prefixes that wrap another command (``Time Fail Redirect "f" Print nat.``).
_PREFIXES = ("Time", "Fail", "Succeed", "Local", "Global", "Export", "Polymorphic", "Monomorphic", "Program",
             "Private", "Cumulative", "NonCumulative", "Instructions", "Profile")
#: Commands refused anywhere, by their first word(s) after the prefixes.
_FORBIDDEN_COMMANDS = (
    ("Redirect",), ("Load",), ("Cd",), ("Drop",), ("Quit",), ("Declare", "ML"), ("Add", "LoadPath"),
    ("Add", "Rec", "LoadPath"), ("Add", "ML"), ("Remove", "LoadPath"), ("Back",), ("BackTo",), ("Undo",),
    ("Reset",), ("Restart",), ("Abort",), ("Admit", "Obligations"), ("Separate", "Extraction"),
    ("Extraction", "Library"), ("Recursive", "Extraction", "Library"), ("Extraction", "TestCompile"),
    ("Write", "State"), ("Restore", "State"), ("Backtrack",), ("Show", "Extraction"),
)
#: Options whose change makes Coq accept what it would otherwise reject, or desynchronises the prover.
_FORBIDDEN_OPTIONS = (
    ("Guard", "Checking"), ("Positivity", "Checking"), ("Universe", "Checking"), ("Type", "In", "Type"),
    ("Nested", "Proofs", "Allowed"), ("Extraction", "Output", "Directory"),
)
#: Words a tactic may not contain (outside strings and comments): they fake a proof or leave it.
_FORBIDDEN_TACTIC_WORDS = frozenset(
    "admit give_up Admitted Abort Qed Defined Save Quit Drop BackTo Back Undo Restart Reset Load Require "
    "Timeout Redirect Unset Set Declare Extraction Axiom Parameter Conjecture Hypothesis Variable Unshelve".split()
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of Coq text: its span in the text and its code without comments."""

    #: Offset of the sentence's first character (comments before it included), 0-indexed.
    start: int
    #: Offset just after its final ``.``.
    end: int
    #: 1-indexed line of the first code character.
    line: int
    #: The sentence with comments removed and white space collapsed (strings kept verbatim).
    code: str

    @property
    def words(self) -> list[str]:
        """Identifiers and keywords of the code, strings removed (``Local Unset Guard Checking`` → 4)."""
        return _IDENT.findall(STRING.sub(" ", _ATTRIBUTE.sub(" ", self.code)))

    @property
    def head(self) -> list[str]:
        """The words after the wrapping prefixes (``Time``, ``Local``, ``Fail``, attributes, bullets)."""
        code = _BULLETS.sub("", _ATTRIBUTE.sub(" ", self.code).strip())
        while True:
            stripped = _BULLETS.sub("", code)
            if stripped == code:
                break
            code = stripped
        words = _IDENT.findall(STRING.sub(" ", code))
        while words and (words[0] in _PREFIXES or (words[0] == "Timeout" and len(words) > 1)):
            words = words[1:]
        return words


#: A string literal (``""`` escapes a quote).
STRING = re.compile(r'"(?:[^"]|"")*"')


class LexError(ValueError):
    """Coq text that does not lex: an unterminated comment or string, a run of dots."""

    def __init__(self, what: str, line: int, column: int) -> None:
        super().__init__(f"{what} at line {line}, column {column}")
        self.what, self.line, self.column = what, line, column


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def sentences(text: str, strict: bool = True) -> list[Sentence]:
    """The sentences of ``text``, as Coq splits them.

    With ``strict`` (untrusted text), an unterminated comment or string, a run of four dots,
    or code after the last sentence end raises `LexError`; without it (library sources), they
    end the scan quietly.

    >>> [s.code for s in sentences("Lemma x : True.\\tAdmitted.")]
    ['Lemma x : True.', 'Admitted.']
    >>> [s.code for s in sentences("Proof with auto. split... Qed.")]
    ['Proof with auto.', 'split...', 'Qed.']
    >>> sentences("Lemma x : True. auto (*")
    Traceback (most recent call last):
    ...
    provers.itp.vernac.LexError: unterminated comment at line 1, column 22
    """
    out: list[Sentence] = []
    code: list[str] = []
    first_code = -1
    start = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("(*", i):
            j = _skip_comment(text, i)
            if j < 0:
                if strict:
                    raise LexError("unterminated comment", *_position(text, i))
                break
            code.append(" ")
            i = j
            continue
        if c == '"':
            j = _skip_string(text, i)
            if j < 0:
                if strict:
                    raise LexError("unterminated string", *_position(text, i))
                break
            if first_code < 0:
                first_code = i
            code.append(text[i:j])
            i = j
            continue
        if c == ".":
            j = i
            while j < n and text[j] == ".":
                j += 1
            run = j - i
            if run >= 4 and strict:
                raise LexError(f"a run of {run} dots", *_position(text, i))
            ends = run != 2 and (j == n or text[j].isspace())
            code.append(text[i:j])
            if first_code < 0:
                first_code = i
            if ends:
                out.append(Sentence(start, j, _position(text, first_code)[0], " ".join("".join(code).split())))
                code, first_code, start = [], -1, j
            i = j
            continue
        if not c.isspace() and first_code < 0:
            first_code = i
        code.append(c)
        i += 1
    rest = " ".join("".join(code).split())
    if rest and strict:
        raise LexError(f"text after the last sentence: {rest[:60]!r} (a sentence ends with '. ')", *_position(text, max(first_code, 0)))
    return out


def _skip_comment(text: str, i: int) -> int:
    """Offset just after the comment opening at ``i`` (nested, strings inside), or -1."""
    depth, n = 0, len(text)
    while i < n:
        if text.startswith("(*", i):
            depth += 1
            i += 2
        elif text.startswith("*)", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        elif text[i] == '"':
            j = _skip_string(text, i)
            if j < 0:
                return -1
            i = j
        else:
            i += 1
    return -1


def _skip_string(text: str, i: int) -> int:
    """Offset just after the string opening at ``i`` (``""`` is an escaped quote), or -1."""
    j = i + 1
    while True:
        k = text.find('"', j)
        if k < 0:
            return -1
        if text.startswith('""', k):
            j = k + 2
            continue
        return k + 1


def strip_comments(text: str) -> str:
    """``text`` without comments (strings kept), for extracting identifiers of library sources.

    >>> strip_comments('Lemma a (* b (* c *) d *) : "x (* y *)".')
    'Lemma a   : "x (* y *)".'
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("(*", i):
            j = _skip_comment(text, i)
            if j < 0:
                break
            out.append(" ")
            i = j
        elif text[i] == '"':
            j = _skip_string(text, i)
            j = n if j < 0 else j
            out.append(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# -- the filter ---------------------------------------------------------------------------------
def check_sentence(sentence: Sentence) -> str | None:
    """Why ``sentence`` may not reach Coq, or None when it may.

    >>> check_sentence(sentences('Redirect "/tmp/x" Print nat.')[0])
    "'Redirect' writes files or controls the process"
    >>> check_sentence(sentences("Local Unset Guard Checking.")[0])
    "'Unset Guard Checking' switches a kernel check off or desynchronises the prover"
    >>> check_sentence(sentences("#[bypass_check(guard)] Fixpoint f (n : nat) : False := f n.")[0])
    "the attribute 'bypass_check' switches a kernel check off"
    >>> check_sentence(sentences("Require Import List.")[0]) is None
    True
    """
    if "bypass_check" in " ".join(_ATTRIBUTE.findall(sentence.code)) or re.search(r"\bbypass_check\b", sentence.code):
        return "the attribute 'bypass_check' switches a kernel check off"
    head = sentence.head
    for cmd in _FORBIDDEN_COMMANDS:
        if tuple(head[: len(cmd)]) == cmd:
            return f"{' '.join(cmd)!r} writes files or controls the process"
    if head[:1] == ["Extraction"] and re.match(r'\s*(?:#\[[^\]]*\]\s*)*(?:\w+\s+)*Extraction\s+"', sentence.code):
        return "'Extraction \"file\"' writes files"
    if head[:1] in (["Set"], ["Unset"]):
        for opt in _FORBIDDEN_OPTIONS:
            if tuple(head[1 : 1 + len(opt)]) == opt:
                return f"{' '.join([head[0], *opt])!r} switches a kernel check off or desynchronises the prover"
    return None


def check_text(text: str, what: str, where: str) -> list[Sentence]:
    """The sentences of untrusted ``text`` (a prelude, ...), each passed through `check_sentence`.

    Raises
    ------
    TheoremError
        Naming ``what`` (prelude, epilogue), the line and the reason.
    """
    try:
        sents = sentences(text)
    except LexError as exc:
        raise TheoremError(f"{what}: {exc}", where=where) from exc
    for s in sents:
        why = check_sentence(s)
        if why:
            raise TheoremError(f"{what} line {s.line}: {s.code[:80]!r} refused: {why}", where=where)
    return sents


@dataclass(frozen=True, slots=True)
class Statement:
    """A lemma declaration split into its parts: ``Lemma name binders : type.``."""

    kind: str
    name: str
    binders: str
    type: str

    @property
    def closed_type(self) -> str:
        """The type of the constant: ``forall binders, type`` (or ``type`` without binders)."""
        return f"forall {self.binders}, {self.type}" if self.binders else self.type


_DECL = re.compile(
    r"^(?P<attrs>(?:#\[\s*(?:local|global)\s*\]\s*|(?:Local|Global)\s+)*)(?P<kind>" + "|".join(LEMMA_KINDS) + r")\s+"
    r"(?P<name>[A-Za-z_][A-Za-z0-9_']*)(?:@\{[^}]*\})?(?P<rest>.*)\.$",
    re.S,
)


def parse_statement(text: str, name: str = "", where: str = "<input>") -> Statement:
    """The one lemma declaration ``text`` must be, checked; ``name`` (when given) must be its name.

    Raises
    ------
    TheoremError
        When the text is not exactly one sentence, not a lemma-like declaration (``Lemma``,
        ``Theorem``, ... with at most a ``Local``/``Global`` attribute), has a body (``:=``),
        declares another name than ``name``, or does not lex.

    >>> parse_statement("Lemma app_nil (A : Type) (l : list A) : l ++ nil = l.").closed_type
    'forall (A : Type) (l : list A), l ++ nil = l'
    >>> parse_statement("Lemma fermat : False. Admitted. Lemma easy : True.", "easy")
    Traceback (most recent call last):
    ...
    provers.itp.errors.TheoremError: <input>: the statement must be one sentence, got 3: 'Lemma fermat : False.', 'Admitted.', ...
    """
    try:
        sents = sentences(text)
    except LexError as exc:
        raise TheoremError(f"statement: {exc}", where=where) from exc
    if len(sents) != 1:
        shown = ", ".join(repr(s.code[:40]) for s in sents[:2]) + (", ..." if len(sents) > 2 else "")
        raise TheoremError(f"the statement must be one sentence, got {len(sents)}: {shown}", where=where)
    code = sents[0].code
    m = _DECL.match(code)
    if not m:
        raise TheoremError(f"the statement must declare a lemma ({', '.join(LEMMA_KINDS)}): {code[:80]!r}", where=where)
    binders, type_ = _split_type(m.group("rest"))
    if type_ is None:
        raise TheoremError(f"the statement has no ': type' at the top level: {code[:80]!r}", where=where)
    if top_level(type_, ":=") or top_level(binders, ":="):
        raise TheoremError(f"the statement may not give a body (':='): {code[:80]!r}", where=where)
    if name and name.split(".")[-1] != m.group("name"):
        raise TheoremError(f"the statement declares {m.group('name')!r}, not {name!r}", where=where)
    return Statement(m.group("kind"), m.group("name"), binders.strip(), type_.strip())


def _depth_zero(text: str) -> Iterator[int]:
    """Offsets of ``text`` outside every bracket and string literal, in order."""
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            j = _skip_string(text, i)
            i = len(text) if j < 0 else j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            yield i
        i += 1


def _split_type(rest: str) -> tuple[str, str | None]:
    """``binders`` and ``type`` around the first top-level lone ``:`` of ``rest``."""
    for i in _depth_zero(rest):
        if rest[i] == ":" and rest[i + 1 : i + 2] not in (":", "=", ">", "<") and rest[i - 1 : i] not in (":", "<"):
            return rest[:i], rest[i + 1 :]
    return rest, None


def top_level(text: str, token: str) -> bool:
    """Whether ``token`` occurs in ``text`` outside every bracket and string literal.

    >>> top_level("forall k, between k l -> P k", "->"), top_level("forall (f : nat -> nat) n, f n = n", "->")
    (True, False)
    """
    return any(text.startswith(token, i) for i in _depth_zero(text))


def check_epilogue(text: str, where: str) -> None:
    """An epilogue may only close sections and modules (``End X.``).

    Raises
    ------
    TheoremError
        For any other sentence.
    """
    for s in check_text(text, "epilogue", where):
        if not re.fullmatch(r"End [A-Za-z_][A-Za-z0-9_']*\.", s.code):
            raise TheoremError(f"epilogue line {s.line}: only 'End Name.' sentences are allowed, not {s.code[:60]!r}", where=where)


def declared_assumptions(prelude: str) -> frozenset[str]:
    """Names the prelude declares as assumptions: axioms, parameters, section variables, and
    lemmas it ends with ``Admitted`` (what ``Print Assumptions`` may list with the user's consent).

    >>> sorted(declared_assumptions("Axiom ax : False. Lemma l : True. Admitted. Lemma ok : True. Proof. exact I. Qed."))
    ['ax', 'l']
    >>> sorted(declared_assumptions("Module Type T. Parameter t : Type. Declare Instance eq_equiv : Equivalence eq. End T."))
    ['eq_equiv', 't']
    >>> sorted(declared_assumptions("Add Parametric Morphism A : (@length A) with signature eq ==> eq as len_m. Admitted."))
    ['len_m']
    """
    out: set[str] = set()
    pending: str | None = None
    for s in sentences(prelude, strict=False):
        head = s.head
        if not head:
            continue
        if head[0] in ASSUMPTION_KINDS:
            out.update(_assumption_names(s.code))
        elif head[:2] == ["Declare", "Instance"] and len(head) > 2:  # a field of a module type
            out.add(head[2])
        elif head[0] in (*LEMMA_KINDS, "Definition", "Fixpoint", "CoFixpoint", "Instance", "Let") and len(head) > 1:
            pending = head[1]
        elif head[0] == "Add" and "Morphism" in head[1:3] and "as" in head[:-1]:  # `Add Morphism f … as name.`
            pending = head[len(head) - 1 - head[::-1].index("as") + 1]
        elif head[0] == "Admitted" and pending:
            out.add(pending)
            pending = None
        elif head[0] in ("Qed", "Defined", "Save"):
            pending = None
    return frozenset(out)


def _assumption_names(code: str) -> list[str]:
    """The names an ``Axiom``/``Parameter``/``Variable`` sentence declares (``(a b : T) (c : U)`` too).

    >>> _assumption_names("Local Parameters (a b : nat) (c : bool).")
    ['a', 'b', 'c']
    >>> _assumption_names("Axiom classic : forall P : Prop, P -> P.")
    ['classic']
    """
    body = re.sub(r"^(?:#\[[^\]]*\]\s*|(?:Local|Global|Polymorphic|Monomorphic)\s+)*\w+\s*", "", code)
    if body[:1] in "({[`":
        groups = re.findall(r"[({\[]\s*([^:()\[\]{}]*?)\s*:", body)
        return [w for g in groups for w in _IDENT.findall(g)]
    binders, _ = _split_type(body)
    return _IDENT.findall(binders)


def clean_tactic(text: str) -> str:
    """One safe tactic from untrusted text: one sentence, no vernacular, no ``admit``.

    Raises
    ------
    TacticRejected
        Naming the offending text.

    Example
    -------
    >>> clean_tactic("  intros n.\\n")
    'intros n'
    >>> clean_tactic("auto. Qed.")
    Traceback (most recent call last):
    ...
    provers.itp.errors.TacticRejected: tactic 'auto. Qed.': more than one sentence
    >>> clean_tactic("exact ltac:(admit)")
    Traceback (most recent call last):
    ...
    provers.itp.errors.TacticRejected: tactic 'exact ltac:(admit)': 'admit' is not allowed
    """
    shown = text.strip()[:120]
    tac = " ".join(text.split()).rstrip(".").rstrip()
    if not tac:
        raise TacticRejected("empty tactic")
    try:
        sents = sentences(tac + ".")
    except LexError as exc:
        raise TacticRejected(f"tactic {shown!r}: {exc}") from exc
    if len(sents) != 1:
        raise TacticRejected(f"tactic {shown!r}: more than one sentence")
    tac = sents[0].code[:-1].rstrip()
    for w in sents[0].words:
        for part in w.split("."):
            if part in _FORBIDDEN_TACTIC_WORDS:
                raise TacticRejected(f"tactic {shown!r}: {part!r} is not allowed")
    if not (tac[0].islower() or tac[0] in "([_"):
        raise TacticRejected(f"tactic {shown!r}: not a tactic (vernacular command?)")
    return tac
