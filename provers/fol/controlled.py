"""Controlled English → first-order logic, deterministically (no model): ProofWriter / ProntoQA text.

The language is the one ProofWriter's generator writes (and ProntoQA's, which is a subset):

* facts — ``Bob is cold``, ``Bob is not red``, ``The cat chases the dog``,
  ``The bald eagle does not eat the dog``;
* rules — ``If something is kind and rough then it is red``, ``All quiet things are rough``,
  ``Red, cold things are round``, ``Cold people are nice``, ``If the cat chases the dog then
  the dog is big``, ``If someone visits the mouse and they are young then the mouse sees the
  cat``, ``If something is quiet and not red then it is not white``;
* ProntoQA's ``Every wumpus is a tumpus``, ``Wumpuses are not shy``, ``Max is a wumpus``,
  ``Each yumpus is not bright``.

Semantics is open-world: a fact is an atom, a negated fact a negated atom, a rule a
universally closed implication over ``x`` (``something``/``someone``/``it``/``they``); a
question that follows from neither the theory nor its negation is Uncertain. Names become
constants (``Bob`` → ``bob``, ``the bald eagle`` → ``bald_eagle``), adjectives unary
predicates (``Cold``), verbs binary predicates named by their lemma (``chases`` /
``chase`` → ``Chase``).

A sentence outside the language raises `ControlledParseError` naming the sentence (index and
text) and the word at fault, so ``--parser auto`` can hand that problem to the LLM.

>>> print(to_fol("If something is kind and rough then it is red"))
∀x ((Kind(x) ∧ Rough(x)) → Red(x))
>>> print(to_fol("The bald eagle does not eat the dog"))
¬Eat(bald_eagle, dog)
>>> print(to_fol("Red, cold things are round"))
∀x ((Red(x) ∧ Cold(x)) → Round(x))
>>> parse_theory("Bob is cold. Bob is made of glass.")
Traceback (most recent call last):
...
provers.fol.controlled.ControlledParseError: sentence 2 'Bob is made of glass', word 4 'of' (offset 12): unexpected word after a complete sentence
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from provers.fol.backends.base import Backend, Label, Verdict
from provers.fol.syntax import And, Const, FolError, Forall, Formula, Implies, Not, Pred, Term, Var

_X = Var("x")
_SUBJECT_VARS = {"something", "someone", "it", "they", "everything", "everyone"}
_COPULA = {"is", "are"}
_DO = {"does", "do"}
_KINDS = {"things", "people", "thing", "person"}
_STRUCTURE = {"and", "then", "if", "not", ",", "the", "all", "is", "are", "does", "do", "a", "an"}


class ControlledParseError(FolError, ValueError):
    """A sentence outside the controlled language.

    Attributes: ``index`` (1-based sentence number), ``sentence`` (its text), ``offset``
    (0-based character offset of the word at fault inside the sentence), ``word``.
    """

    def __init__(self, what: str, index: int, sentence: str, offset: int, word: str, position: int) -> None:
        where = f"sentence {index} {sentence!r}, word {position} {word!r} (offset {offset})"
        super().__init__(what, where)
        self.index, self.sentence, self.offset, self.word = index, sentence, offset, word

    def to_json(self) -> dict[str, object]:
        return {"what": self.what, "sentence_index": self.index, "sentence": self.sentence,
                "offset": self.offset, "word": self.word}


@dataclass(frozen=True, slots=True)
class Sentence:
    """One controlled-English sentence with its formula."""

    text: str
    formula: Formula

    def __str__(self) -> str:
        return f"{self.text}  ⟶  {self.formula}"


@dataclass(frozen=True, slots=True)
class _Tok:
    word: str      # lower-cased
    raw: str
    offset: int


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, without their final full stop.

    >>> split_sentences("Bob is big. The cat is red.  ")
    ['Bob is big', 'The cat is red']
    """
    return [s.strip().rstrip(".").strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip(" .")]


def _lemma(verb: str) -> str:
    """``chases``/``chase`` → ``Chase`` (ProofWriter's verbs are regular)."""
    if verb.endswith("es") and verb[:-2].endswith(("sh", "ch", "ss", "x")):
        verb = verb[:-2]
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    return verb.capitalize()


def _singular(noun: str) -> str:
    """ProntoQA plural class names: ``wumpuses`` → ``wumpus``, ``cats`` → ``cat``."""
    if noun.endswith("uses") or noun.endswith("sses"):
        return noun[:-2]
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and not noun.endswith("us"):
        return noun[:-1]
    return noun


class _Parser:
    """Recursive descent over one sentence's words (a private helper of `to_fol`)."""

    def __init__(self, sentence: str, index: int) -> None:
        self.text, self.index = sentence, index
        self.toks = [_Tok(m.group().lower(), m.group(), m.start())
                     for m in re.finditer(r"[A-Za-z][A-Za-z'-]*|,", sentence)]
        self.i = 0

    # -- token helpers
    def fail(self, what: str) -> ControlledParseError:
        tok = self.toks[self.i] if self.i < len(self.toks) else _Tok("<end>", "<end>", len(self.text))
        return ControlledParseError(what, self.index, self.text, tok.offset, tok.raw, self.i + 1)

    def peek(self, k: int = 0) -> str | None:
        return self.toks[self.i + k].word if self.i + k < len(self.toks) else None

    def take(self, *expected: str) -> str:
        word = self.peek()
        if word is None or (expected and word not in expected):
            raise self.fail(f"expected {' or '.join(map(repr, expected)) or 'a word'}")
        self.i += 1
        return word

    def at_end(self) -> bool:
        return self.i >= len(self.toks)

    # -- sentences
    def sentence(self) -> Formula:
        if not self.toks:
            raise self.fail("empty sentence")
        first = self.peek()
        if first == "if":
            f = self.conditional()
        elif first in ("all", "every", "each") or self.is_generic():
            f = self.generic()
        else:
            f = self.conjunction(None)
        if not self.at_end():
            raise self.fail("unexpected word after a complete sentence")
        return f

    def is_generic(self) -> bool:
        """``Red, cold things are round`` / ``Wumpuses are shy``: a kind word before ``are``."""
        j = self.i
        while j < len(self.toks) and self.toks[j].word not in _COPULA | {"if", "then"}:
            j += 1
        return j < len(self.toks) and self.toks[j].word == "are" and j > self.i and (
            self.toks[j - 1].word in _KINDS or self.toks[j - 1].word.endswith("s"))

    def conditional(self) -> Formula:
        self.take("if")
        cond = self.conjunction(None)
        self.take("then")
        concl = self.conjunction(None)
        return self.close(Implies(cond, concl))

    def generic(self) -> Formula:
        """``[All] adj, adj (things|people) are [not] adj`` and ProntoQA's class sentences."""
        quantified = self.peek() in ("all", "every", "each")
        if quantified:
            self.take()
        words: list[str] = []
        while self.peek() not in (None, "are", "is"):
            word = self.take()
            if word not in (",", "and"):
                words.append(word)
        if not words:
            raise self.fail("expected the class of things the rule is about")
        if words[-1] in _KINDS:
            conds = [Pred(w.capitalize(), (_X,)) for w in words[:-1]]
        else:  # ProntoQA: "every wumpus", "wumpuses", "all red wumpuses"
            conds = [Pred(w.capitalize(), (_X,)) for w in words[:-1]] + [Pred(_singular(words[-1]).capitalize(), (_X,))]
        if not conds:
            raise self.fail("expected an adjective before 'things'/'people'")
        self.take("are", "is")
        concl = self.predicate_after_copula(_X)
        while self.peek() == "and":
            self.take()
            concl = And(concl, self.predicate_after_copula(_X))
        body: Formula = conds[0]
        for c in conds[1:]:
            body = And(body, c)
        return Forall(_X, Implies(body, concl))

    def close(self, f: Formula) -> Formula:
        from provers.fol.syntax import free_names

        return Forall(_X, f) if "x" in free_names(f) else f

    # -- clauses
    def conjunction(self, subject: Term | None) -> Formula:
        """Clauses joined by ``and``; a clause may elide its subject (and its copula)."""
        f, subject, copula = self.clause(subject, None)
        while self.peek() == "and":
            self.take()
            g, subject, copula = self.clause(subject, copula)
            f = And(f, g)
        return f

    def clause(self, subject: Term | None, copula: str | None) -> tuple[Formula, Term, str | None]:
        word = self.peek()
        if word is None:
            raise self.fail("expected a clause")
        if self.starts_subject():
            subject = self.subject()
            copula = None
        elif subject is None:
            raise self.fail("expected a subject (a name, 'the ...', 'something', 'it', ...)")
        word = self.peek()
        if word in _COPULA:
            copula = self.take()
            return self.predicate_after_copula(subject), subject, copula
        if word in _DO:
            self.take()
            self.take("not")
            verb = self.take()
            return Not(Pred(_lemma(verb), (subject, self.object()))), subject, None
        if copula is not None and (word == "not" or self.peek(1) in (None, "and", "then", ",")):
            return self.predicate_after_copula(subject), subject, copula
        if word is None or word in _STRUCTURE:
            raise self.fail("expected 'is', 'does not' or a verb")
        verb = self.take()
        return Pred(_lemma(verb), (subject, self.object())), subject, None

    def predicate_after_copula(self, subject: Term) -> Formula:
        negated = self.peek() == "not"
        if negated:
            self.take()
        if self.peek() in ("a", "an"):  # ProntoQA: "Max is a wumpus"
            self.take()
        word = self.peek()
        if word is None or word in _STRUCTURE or word in _SUBJECT_VARS:
            raise self.fail(f"expected an adjective after {'not' if negated else 'is'!r}")
        self.take()
        atom = Pred(_singular(word).capitalize() if self.toks[self.i - 2].word in ("a", "an") else word.capitalize(),
                    (subject,))
        return Not(atom) if negated else atom

    def starts_subject(self) -> bool:
        word = self.peek()
        if word is None:
            return False
        if word in _SUBJECT_VARS or word == "the":
            return True
        tok = self.toks[self.i]
        return tok.raw[:1].isupper() and word not in _STRUCTURE

    def subject(self) -> Term:
        word = self.take()
        if word in _SUBJECT_VARS:
            return _X
        if word == "the":
            return self.noun(stop_at_verb=True)
        return Const(word)

    def noun(self, stop_at_verb: bool) -> Const:
        words: list[str] = []
        while self.peek() is not None and self.peek() not in ("and", "then", ",", *_COPULA, *_DO):
            if stop_at_verb and words and self.peek().endswith("s"):  # type: ignore[union-attr]
                break
            words.append(self.take())
        if not words:
            raise self.fail("expected a noun after 'the'")
        return Const("_".join(words))

    def object(self) -> Term:
        word = self.peek()
        if word in _SUBJECT_VARS:
            self.take()
            return _X
        if word == "the":
            self.take()
            return self.noun(stop_at_verb=False)
        if word is None or word in _STRUCTURE:
            raise self.fail("expected an object (a name or 'the ...')")
        self.take()
        return Const(word)


def to_fol(sentence: str, index: int = 1) -> Formula:
    """The formula of one controlled-English sentence.

    Raises
    ------
    ControlledParseError
        When the sentence is outside the language; ``where`` names it and the word at fault.
    """
    return _Parser(sentence.strip().rstrip("."), index).sentence()


def parse_theory(text: str) -> list[Sentence]:
    """Every sentence of a paragraph, parsed (the first one outside the language raises).

    Raises
    ------
    ControlledParseError
        With the 1-based index of the sentence at fault.
    """
    return [Sentence(s, to_fol(s, i)) for i, s in enumerate(split_sentences(text), 1)]


def question_statement(question: str) -> str:
    """The statement of a ProofWriter question (the text after its last ``?``).

    >>> question_statement("Based on the above information, is the following statement true, false, or unknown? Bob is big.")
    'Bob is big'
    """
    return question.rsplit("?", 1)[-1].strip().rstrip(".")


# ------------------------------------------------------------------ ProofWriter semantics


def as_literals(f: Formula) -> Formula:
    """ProofWriter's reading: a negated atom is a literal of its own (``¬Red(x)`` → ``Not_Red(x)``).

    ProofWriter's answers come from forward chaining over literals: rules fire on facts, there
    is no contraposition, no reasoning by cases, and a theory whose facts clash does not entail
    everything. Renaming each negated atom apart makes the theory Horn over positive atoms, so
    classical entailment of the renamed theory is exactly that forward chaining.

    >>> print(as_literals(to_fol("If something is kind and not blue then it is not round")))
    ∀x ((Kind(x) ∧ Not_Blue(x)) → Not_Round(x))
    """
    if isinstance(f, Not) and isinstance(f.body, Pred):
        return Pred("Not_" + f.body.name, f.body.args)
    if isinstance(f, Not):
        return Not(as_literals(f.body))
    if isinstance(f, Forall):
        return Forall(f.var, as_literals(f.body))
    if isinstance(f, Implies | And):
        return type(f)(as_literals(f.left), as_literals(f.right))
    return f


def complement(f: Formula) -> Formula:
    """The opposite literal of a literal conclusion (``Red(bob)`` ↔ ``¬Red(bob)``).

    >>> print(complement(to_fol("Bob is not red")))
    Red(bob)
    """
    return f.body if isinstance(f, Not) else Not(f)


SEMANTICS = ("proofwriter", "classical")


@dataclass(frozen=True, slots=True)
class Answer:
    """The label of a controlled-English problem, its FOL, and the prover's evidence."""

    label: Label
    premises: tuple[Sentence, ...]
    conclusion: Sentence
    verdict: Verdict
    semantics: str

    def to_json(self) -> dict[str, object]:
        return {"label": self.label.value, "semantics": self.semantics,
                "premises_fol": [str(s.formula) for s in self.premises],
                "conclusion_fol": str(self.conclusion.formula), "verdict": self.verdict.to_json()}


def decide(premises: list[Sentence], conclusion: Sentence, backend: Backend,
           semantics: str = "proofwriter", timeout: float = 10.0) -> Answer:
    """True / False / Uncertain for a parsed problem, through any `Backend`.

    ``classical``: the formulas as written, one ``backend.decide``. ``proofwriter``: the
    ProofWriter reading (`as_literals`): True when the conclusion literal follows, False when
    its complement does, Uncertain otherwise (a Horn theory: the provers decide it in
    milliseconds without grounding).

    Raises
    ------
    FolError
        On an unknown ``semantics``.

    Example
    -------
    >>> from provers.fol.backends.base import get_backend
    >>> th = parse_theory("Bob is big. Big things are not red.")
    >>> decide(th, Sentence("Bob is red", to_fol("Bob is red")), get_backend("z3")).label
    <Label.FALSE: 'False'>
    """
    if semantics not in SEMANTICS:
        raise FolError(f"unknown semantics {semantics!r}; choose {' or '.join(SEMANTICS)}")
    prem = [s.formula for s in premises]
    goal = conclusion.formula
    if semantics == "classical":
        v = backend.decide(prem, goal, timeout)
        return Answer(v.label, tuple(premises), conclusion, v, semantics)
    *theory, pos, neg = [as_literals(f) for f in (*prem, goal, complement(goal))]
    v = backend.decide(theory, pos, timeout)
    if v.label is Label.TRUE or v.label is Label.ERROR:
        return Answer(v.label, tuple(premises), conclusion, v, semantics)
    w = backend.decide(theory, neg, timeout)
    label = {Label.TRUE: Label.FALSE, Label.ERROR: Label.ERROR}.get(w.label, Label.UNCERTAIN)
    return Answer(label, tuple(premises), conclusion, w if label is not Label.UNCERTAIN else v, semantics)
