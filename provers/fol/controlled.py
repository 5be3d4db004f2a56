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
universally closed implication over ``x`` (``something``/``someone``, and ``it``/``they``
once a sentence has the variable; otherwise they refer to its last subject); a question that
follows from neither the theory nor its negation is Uncertain. Names become constants (``Bob``
→ ``bob``, ``the bald eagle`` → ``bald_eagle``, digits and Unicode letters kept), adjectives
unary predicates (``Cold``), nouns unary predicates named by their singular (``wumpuses`` →
``Wumpus``), verbs binary (or, without an object, unary) predicates named by their base form
(``chases`` / ``chase`` → ``Chase``): one predicate per lemma (`provers.fol.morphology`).
Which word class a word has comes from its position and agreement, never from a guess.

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
import time
from dataclasses import dataclass

from provers.fol.backends.base import Backend, Label, Verdict
from provers.fol.morphology import (
    can_be_plural,
    is_adjective,
    is_plural_noun,
    is_verb_form,
    noun_lemma,
    verb_lemma,
)
from provers.fol.parse import FolParseError, normalise
from provers.fol.syntax import (
    MAX_DEPTH,
    And,
    Const,
    Exists,
    FolError,
    Forall,
    Formula,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    depth,
    free_names,
    too_deep,
)

_X = Var("x")
_SUBJECT_VARS = {"something", "someone", "it", "they", "everything", "everyone", "them"}
_PRONOUNS = {"it", "they"}
#: Closed-class words that never name a thing, a class or a property: a sentence that puts
#: one where a noun or an adjective goes (``a friend of Anne``, ``cats with hats``, ``the cat
#: that chases``) is outside the language, never a predicate named ``Of``.
_FUNCTION_WORDS = frozenset("""
    of in on at by for from to with without into onto about above below under over between
    among through during before after since until than as like near behind beside beyond
    that which who whom whose what where when why how because but nor so yet although though
    unless while whereas if then some any many much most few several every each all no none
    this these those his her its their my your our me him us them i you he she we
    can could will would shall should may might must was were been being am
    very too also only just not never always sometimes often
""".split())
_COPULA = {"is", "are"}
_DO = {"does", "do"}
_KINDS = {"things", "people", "thing", "person"}
_QUANTIFIERS = ("all", "every", "each", "no", "some")
_STRUCTURE = {"and", "or", "then", "if", "not", ",", "the", "all", "every", "each", "no", "is", "are",
              "does", "do", "a", "an", "either"}


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


def _symbol(lemma: str) -> str:
    """A predicate name from a lemma: capitalised, ``-`` and ``'`` as ``_`` (digits and
    Unicode letters kept: ``big2`` → ``Big2``, ``größer`` → ``Größer``)."""
    name = re.sub(r"['’-]", "_", lemma)
    return name[:1].upper() + name[1:]


def _verb(verb: str) -> str:
    """``chases``/``chase`` → ``Chase``: one predicate per verb lemma (`morphology.verb_lemma`)."""
    return _symbol(verb_lemma(verb))


def _noun(noun: str) -> str:
    """``wumpuses``/``wumpus`` → ``Wumpus``: one predicate per noun lemma."""
    return _symbol(noun_lemma(noun))


def _name(word: str) -> str:
    """A constant from a (lower-cased) name: ``bob``, ``r2d2``, ``zoë``, ``o_brien``."""
    return re.sub(r"['’-]", "_", word)


_TRUE_OR_FALSE = re.compile(r"^\s*true\s+or\s+false\s*[:?,-]?\s*", re.IGNORECASE)


class _Parser:
    """Recursive descent over one sentence's words (a private helper of `to_fol`)."""

    def __init__(self, sentence: str, index: int) -> None:
        self.text, self.index = sentence, index
        self.toks: list[_Tok] = []
        for m in re.finditer(r"[^\W_][\w'’-]*|,|\S", sentence):
            if not (m.group()[0].isalnum() or m.group() == ","):
                raise ControlledParseError(f"unexpected character {m.group()!r}", index, sentence,
                                           m.start(), m.group(), len(self.toks) + 1)
            self.toks.append(_Tok(m.group().lower(), m.group(), m.start()))
        self.i = 0
        self.last_subject: Term | None = None
        self.subjects: set[Term] = set()

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
        elif first in _QUANTIFIERS or self.is_generic():
            f = self.generic()
        else:
            f = self.close(self.conjunction(None))
        if not self.at_end():
            raise self.fail("unexpected word after a complete sentence")
        return f

    def is_generic(self) -> bool:
        """``Red, cold things are round``, ``Wumpuses are shy``, ``Cats chase the dog``: a
        plural class (a kind word or a plural noun) before ``are`` or a verb."""
        if self.peek() == "the":
            return False
        j = self.i
        while j < len(self.toks) and self.toks[j].word not in _COPULA | _DO | {"if", "then"}:
            if j > self.i and self.toks[j].word not in _KINDS and self.is_verb_at(j):
                return self.is_plural_class(j - 1) and self.agrees(j, plural=True)
            j += 1
        return (j < len(self.toks) and j > self.i and self.toks[j].word in ("are", "do")
                and self.is_plural_class(j - 1))

    def is_plural_class(self, j: int) -> bool:
        word = self.toks[j].word
        return word in _KINDS or can_be_plural(word)

    def is_verb_at(self, j: int) -> bool:
        """A known verb at token ``j``: not an adjective, and not a plural noun that a
        copula or verb follows (``cats`` in ``Big cats are``, ``Big cats chase``)."""
        word = self.toks[j].word
        if word in _STRUCTURE or not is_verb_form(word) or is_adjective(word):
            return False
        nxt = self.toks[j + 1] if j + 1 < len(self.toks) else None
        noun_here = self.is_plural_class(j) and nxt is not None and (nxt.word in _COPULA | _DO or (
            nxt.word not in _STRUCTURE and nxt.raw[:1].islower() and is_verb_form(nxt.word)))
        return not noun_here

    def agrees(self, j: int, plural: bool) -> bool:
        """Whether the verb at token ``j`` agrees with a plural (``chase``) or singular
        (``chases``) subject: a noun's ``-s`` is not a verb's."""
        word = self.toks[j].word
        return (verb_lemma(word) == word) == plural

    def conditional(self) -> Formula:
        self.take("if")
        cond = self.conjunction(None)
        self.take("then")
        concl = self.conjunction(None)
        return self.close(Implies(cond, concl))

    def generic(self) -> Formula:
        """``[All|Every|Each|No|Some] adj, adj (things|people|noun) (are|is) [not] pred`` or ``... verb obj``."""
        quantifier = self.take() if self.peek() in _QUANTIFIERS else None
        conds = self.class_phrase()
        word = self.peek()
        if word in _COPULA:
            copula = self.take()
            concl = self.predicate_list(_X, copula)
        elif word in _DO or (word is not None and self.is_verb_at(self.i)):
            concl = self.verb_phrase(_X)
        else:
            raise self.fail("expected 'is', 'are' or a verb after the class")
        if quantifier == "no":
            concl = Not(concl)
        if not conds:  # "All people are nice", "Some people are nice"
            return Exists(_X, concl) if quantifier == "some" else Forall(_X, concl)
        body: Formula = conds[0]
        for c in conds[1:]:
            body = And(body, c)
        if quantifier == "some":  # "Some cats are red": ∃x (Cat(x) ∧ Red(x))
            return Exists(_X, And(body, concl))
        return Forall(_X, Implies(body, concl))

    def class_phrase(self) -> list[Formula]:
        """``red, cold things`` → ``[Red(x), Cold(x)]``; ``big wumpuses`` → ``[Big(x), Wumpus(x)]``."""
        words: list[str] = []
        while self.peek() not in (None, *_COPULA, *_DO) and not (
                words and self.peek() not in _KINDS and self.is_verb_at(self.i)
                and self.agrees(self.i, plural=self.is_plural_class(self.i - 1))):
            word = self.take()
            if word in _STRUCTURE - {",", "and"} or word in _SUBJECT_VARS or word in _FUNCTION_WORDS:
                self.i -= 1
                raise self.fail("expected an adjective or a noun naming the class")
            if word not in (",", "and"):
                words.append(word)
        if not words:
            raise self.fail("expected the class of things the sentence is about")
        *adjectives, last = words
        conds: list[Formula] = [Pred(_symbol(w), (_X,)) for w in adjectives]
        if last not in _KINDS:
            conds.append(Pred(_noun(last), (_X,)))
        return conds

    def close(self, f: Formula) -> Formula:
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
        if word == "are" and isinstance(subject, Const) and self.toks[self.i - 1].raw[:1].isupper():
            raise self.fail(f"'are' after {self.toks[self.i - 1].raw!r}, which is not a plural noun "
                            "known to the lemmatiser ('Cats are …')")
        if word in _COPULA:
            copula = self.take()
            return self.predicate_list(subject, copula), subject, copula
        if copula is not None and not (word in _DO or self.is_verb_at(self.i)):
            return self.predicate_list(subject, copula), subject, copula
        return self.verb_phrase(subject), subject, None

    def verb_phrase(self, subject: Term) -> Formula:
        """``[does not] chases the dog`` → ``Chase(subject, dog)`` (the verb's lemma)."""
        negated = False
        if self.peek() in _DO:
            self.take()
            self.take("not")
            negated = True
        word = self.peek()
        if word is None or word in _STRUCTURE or not is_verb_form(word):
            raise self.fail("expected 'is', 'does not' or a verb" if not negated else "expected a verb")
        self.take()
        if self.peek() in (None, "and", "or", "then", ","):  # intransitive: "the bee buzzes"
            atom = Pred(_verb(word), (subject,))
        else:
            atom = Pred(_verb(word), (subject, self.object()))
        return Not(atom) if negated else atom

    def predicate_list(self, subject: Term, copula: str) -> Formula:
        """``big``, ``not red``, ``a wumpus``, joined by ``and``/``or``/``,`` (not both);
        ``either … or …`` must be an ``or`` list."""
        either = self.peek() == "either"
        if either:
            self.take()
        f = self.predicate_after_copula(subject, copula)
        if either and self.peek() != "or":
            raise self.fail("expected 'or' after 'either …'")
        ops: set[str] = set()
        while self.peek() in ("and", "or", ",") and self.continues_predicates(copula):
            if self.peek() == "," and self.peek(1) in ("and", "or"):
                self.take()
            op = self.peek() or ","
            kind = "or" if op == "or" else "and"
            if (ops | {kind}) == {"and", "or"}:
                raise self.fail("'and' and 'or' mixed in one list; split the sentence")
            self.take()
            ops.add(kind)
            g = self.predicate_after_copula(subject, copula)
            f = Or(f, g) if op == "or" else And(f, g)
        return f

    def continues_predicates(self, copula: str) -> bool:
        """After ``and``/``or``: another predicate (``not red``, ``a wumpus``, ``kind``), not a
        new clause (a subject, or a verb agreeing with the subject: ``is big and chases``,
        ``are big and chase``; ``are mammals and pets`` is a list)."""
        j = self.i + 1
        if j < len(self.toks) and self.toks[j].word in ("and", "or") and self.toks[self.i].word == ",":
            j += 1
        if j >= len(self.toks):
            return False
        word, raw = self.toks[j].word, self.toks[j].raw
        if word in ("not", "a", "an"):
            return True
        if word in _STRUCTURE or word in _SUBJECT_VARS or raw[:1].isupper():
            return False
        return not (self.is_verb_at(j) and self.agrees(j, plural=copula == "are"))

    def predicate_after_copula(self, subject: Term, copula: str) -> Formula:
        negated = self.peek() == "not"
        if negated:
            self.take()
        article = self.peek() in ("a", "an")
        if article:  # "Max is a wumpus", "Max is a big cat"
            self.take()
        word = self.peek()
        if (word is None or word in _STRUCTURE or word in _SUBJECT_VARS or word in _FUNCTION_WORDS
                or not word[0].isalpha()):
            raise self.fail(f"expected an adjective or 'a' noun after {'not' if negated else copula!r}")
        words = [self.take()]
        while article and self.peek() not in (None, "and", "or", ",", "then"):
            word = self.take()
            if word in _STRUCTURE or word in _FUNCTION_WORDS:
                self.i -= 1
                raise self.fail("expected a noun after the article (phrases like 'of …' are outside the language)")
            words.append(word)
        if article:
            atoms = [Pred(_symbol(w), (subject,)) for w in words[:-1]] + [Pred(_noun(words[-1]), (subject,))]
        elif copula == "are" and is_plural_noun(words[0]):  # "Cats are mammals"
            atoms = [Pred(_noun(words[0]), (subject,))]
        else:
            atoms = [Pred(_symbol(words[0]), (subject,))]
        f: Formula = atoms[0]
        for a in atoms[1:]:
            f = And(f, a)
        return Not(f) if negated else f

    def starts_subject(self) -> bool:
        word = self.peek()
        if word is None:
            return False
        if word in _SUBJECT_VARS or word == "the":
            return True
        tok = self.toks[self.i]
        return tok.raw[:1].isupper() and word not in _STRUCTURE

    def subject(self) -> Term:
        """The subject's term: ``something``/``someone`` are the variable, and so are
        ``it``/``they`` once the sentence has one (``If something chases the cat and the cat is
        red then it is big``); otherwise they refer back to the sentence's last subject (``The
        cat is big and it is red``)."""
        word = self.take()
        if word in _PRONOUNS:
            term = _X if self.last_subject is None or _X in self.subjects else self.last_subject
        elif word in _SUBJECT_VARS:
            term = _X
        elif word == "the":
            term = self.noun(stop_at_verb=True)
        else:
            term = Const(_name(word))
        self.last_subject = term
        self.subjects.add(term)
        return term

    def noun(self, stop_at_verb: bool) -> Const:
        """The words of ``the bald eagle`` → ``bald_eagle`` (up to the verb, for a subject)."""
        words: list[str] = []
        while self.peek() is not None and self.peek() not in ("and", "or", "then", ",", *_COPULA, *_DO):
            if stop_at_verb and words and self.is_verb_at(self.i) and self.agrees(self.i, plural=False):
                break
            if self.peek() in _FUNCTION_WORDS or self.peek() in _STRUCTURE:
                raise self.fail("a name after 'the' is one or more nouns (relative clauses and "
                                "phrases like 'in the …' are outside the language)")
            words.append(self.take())
        if not words:
            raise self.fail("expected a noun after 'the'")
        return Const("_".join(_name(w) for w in words))

    def object(self) -> Term:
        word = self.peek()
        if word in _SUBJECT_VARS:
            self.take()
            return _X
        if word == "the":
            self.take()
            return self.noun(stop_at_verb=False)
        if word is None or word in _STRUCTURE or not self.toks[self.i].raw[:1].isupper():
            raise self.fail("expected an object: a name, 'the ...', 'something' or 'it'")
        self.take()
        return Const(_name(word))


def to_fol(sentence: str, index: int = 1) -> Formula:
    """The formula of one controlled-English sentence.

    Raises
    ------
    ControlledParseError
        When the sentence is outside the language; ``where`` names it and the word at fault.
    """
    text = _TRUE_OR_FALSE.sub("", sentence.strip()).rstrip(".").strip()
    try:
        text = normalise(text, "controlled English")
    except FolParseError as exc:
        position = len(text[:exc.offset].split()) + 1
        raise ControlledParseError(exc.what, index, text, exc.offset, text[exc.offset], position) from None
    f = _Parser(text, index).sentence()
    d = depth(f)
    if d > MAX_DEPTH:
        raise ControlledParseError(too_deep(d), index, text[:60] + ("…" if len(text) > 60 else ""), 0,
                                   text.split()[0], 1)
    return f


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
    milliseconds without grounding). ``timeout`` is one budget for both calls.

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
    deadline = time.perf_counter() + timeout  # one budget for both calls
    v = backend.decide(theory, pos, timeout)
    if v.label is Label.TRUE or v.label is Label.ERROR:
        return Answer(v.label, tuple(premises), conclusion, v, semantics)
    left = deadline - time.perf_counter()
    if left <= 0:
        w = Verdict.error(v.backend, "timeout", f"no time left for the complement ({timeout:g} s)")
        return Answer(Label.ERROR, tuple(premises), conclusion, w, semantics)
    w = backend.decide(theory, neg, left)
    label = {Label.TRUE: Label.FALSE, Label.ERROR: Label.ERROR}.get(w.label, Label.UNCERTAIN)
    return Answer(label, tuple(premises), conclusion, w if label is not Label.UNCERTAIN else v, semantics)
