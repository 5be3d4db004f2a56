"""LINC's few-shot prompt, our exemplars, and a GBNF grammar for the ``FOL:`` lines.

The layout is LINC's (Olausson et al., 2023): an instruction, then per exemplar
``<PREMISES>`` / ``<CONCLUSION>`` with the sentences and ``<EVALUATE>`` with one
``TEXT:``/``FOL:`` pair per premise and the conclusion last, closed by ``</EVALUATE>``; the
problem to solve ends the prompt at an open ``<EVALUATE>``. The model writes the pairs; a
completion is read by `provers.fol.robust.parse_completion` (the last ``FOL:`` line is the
conclusion).

The eight exemplars are FOLIO *train* stories (never validation). Their premise FOL is
FOLIO's, printed in NLTK syntax by `provers.fol.printers.to_nltk`; the conclusion FOL is ours.
A test proves every exemplar gives its gold label, so the prompt never teaches a wrong
translation. ``k`` shots are the first ``k`` of `EXEMPLARS` (1, 2, 4 or 8), ordered so every
prefix of length ≥ 2 holds a True and an Uncertain, and ≥ 4 also a False.

`FOL_GRAMMAR` is a GBNF grammar (llama.cpp) for the completion: ``TEXT:`` lines are free text,
``FOL:`` lines follow the NLTK syntax `provers.fol.parse.parse_nltk` accepts (upper-case
predicate names, ``all x.``/``exists x.`` with variables ``x``, ``y``, ``z``, ``-`` ``&``
``|`` ``->`` ``<->``, balanced parentheses), and ``</EVALUATE>`` ends it. The pipeline uses
`problem_grammar`, the same grammar with the problem's own sentences as the ``TEXT:`` lines
and exactly one pair per sentence.

>>> p = build_prompt(["Dogs bark."], "Rex barks.", shots=1)
>>> p.count("<EVALUATE>"), p.endswith("<EVALUATE>\\n")
(2, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from provers.fol.parse import NLTK_WORDS
from provers.fol.syntax import FolError


@dataclass(frozen=True, slots=True)
class Exemplar:
    """One worked problem: sentences, their NLTK FOL, the conclusion and its gold label."""

    source: str
    premises: tuple[tuple[str, str], ...]
    conclusion: tuple[str, str]
    label: str

    def __str__(self) -> str:
        return render(self.premises, self.conclusion)


INSTRUCTION = (
    "The following is a first-order logic (FOL) problem.\n"
    "The problem is to determine whether the conclusion follows from the premises.\n"
    "The premises are given in the form of a set of first-order logic sentences.\n"
    "The conclusion is given in the form of a single first-order logic sentence.\n"
    "The task is to translate each of the premises and conclusions into FOL expressions, so that "
    "the expressions can be evaluated by a theorem solver like Prover9 to determine whether the "
    "conclusion follows from the premises.\n"
    "Expressions should be adhere to the format of the Python NLTK package logic module.\n\n"
)

#: FOLIO train rows (0-based line numbers of ``folio-train.jsonl``); conclusion FOL written by us.
EXEMPLARS: tuple[Exemplar, ...] = (
    Exemplar("folio-train:29", (
        ("If a legislator is found guilty of stealing government funds, they will be suspended from office.",
         "all x.((IsLegislator(x) & StealsFunds(x)) -> Suspended(x))"),
        ("Tiffany T. Alston was a legislator in Maryland's House of Delegates from 2011 to 2013.",
         "IsLegislator(tiffanyTAlston)"),
        ("Tiffany T. Alston was found guilty of stealing government funds in 2012.",
         "StealsFunds(tiffanyTAlston)"),
    ), ("Tiffany T. Alston was suspended from the Maryland House of Delegates.",
        "Suspended(tiffanyTAlston)"), "True"),
    Exemplar("folio-train:282", (
        ("All nuclear-powered submarines are warships.", "all x.(NuclearPoweredSubmarine(x) -> Warship(x))"),
        ("No nuclear-powered submarines are commercial vessels.",
         "all x.(NuclearPoweredSubmarine(x) -> -CommercialVessel(x))"),
    ), ("Some warships are commercial vessels.", "exists x.(Warship(x) & CommercialVessel(x))"), "Uncertain"),
    Exemplar("folio-train:128", (
        ("No reptile has fur.", "all x.(Reptile(x) -> -HasFur(x))"),
        ("All snakes are reptiles.", "all x.(Snake(x) -> Reptile(x))"),
    ), ("Some snake has fur.", "exists x.(Snake(x) & HasFur(x))"), "False"),
    Exemplar("folio-train:142", (
        ("Fort Ticonderoga is the current name for Fort Carillon.", "CurrentName(fortTiconderoga, fortCarillon)"),
        ("Pierre de Rigaud de Vaudreuil built Fort Carillon.", "Built(pierreDeRigaudDeVaudreuil, fortCarillon)"),
        ("Fort Carillon was located in New France.", "LocatedIn(fortCarillon, newFrance)"),
        ("New France is not in Europe.", "-LocatedIn(newFrance, europe)"),
    ), ("Pierre de Rigaud de Vaudreuil built a fort in New France.",
        "exists x.(Built(pierreDeRigaudDeVaudreuil, x) & LocatedIn(x, newFrance))"), "True"),
    Exemplar("folio-train:104", (
        ("All bears in zoos are not wild.", "all x.((Bear(x) & InZoo(x)) -> -Wild(x))"),
        ("Some bears are in zoos.", "exists x.(Bear(x) & InZoo(x))"),
    ), ("Not all bears are wild.", "-all x.(Bear(x) -> Wild(x))"), "True"),
    Exemplar("folio-train:236", (
        ("All iPhones are electronic.", "all x.(IPhone(x) -> Electronic(x))"),
        ("Some phones are iPhones.", "exists x.(Phone(x) & IPhone(x))"),
    ), ("No phones are electronic.", "all x.(Phone(x) -> -Electronic(x))"), "False"),
    Exemplar("folio-train:111", (
        ("Thomas Barber was an English professional footballer.",
         "English(thomasBarber) & ProfessionalFootballer(thomasBarber)"),
        ("Thomas Barber played in the Football League for Aston Villa.",
         "PlayedInTheFootballLeagueFor(thomasBarber, astonVilla)"),
        ("Thomas Barber played as a half back and inside left.",
         "PlayedAs(thomasBarber, halfBack) & PlayedAs(thomasBarber, insideLeft)"),
        ("Thomas Barber scored the winning goal in the 1913 FA Cup Final.",
         "ScoredTheWinningGoalIn(thomasBarber, faCupFinal1913)"),
    ), ("Thomas Barber played in the Football League for Bolton Wanderers.",
        "PlayedInTheFootballLeagueFor(thomasBarber, boltonWanderers)"), "Uncertain"),
    Exemplar("folio-train:320", (
        ("A dog never tells the truth.", "all x.(Dog(x) -> NeverTellsTruth(x))"),
        ("Some poker players are dogs.", "exists x.(PokerPlayer(x) & Dog(x))"),
    ), ("Some poker players never tell the truth.", "exists x.(PokerPlayer(x) & NeverTellsTruth(x))"), "True"),
)

SHOTS = (1, 2, 4, 8)


def render(premises: Sequence[tuple[str, str]], conclusion: tuple[str, str]) -> str:
    """One solved problem in LINC's layout (sentences, then the TEXT/FOL pairs)."""
    lines = ["<PREMISES>", *(t for t, _ in premises), "</PREMISES>",
             "<CONCLUSION>", conclusion[0], "</CONCLUSION>", "<EVALUATE>"]
    for text, fol in [*premises, conclusion]:
        lines += [f"TEXT:\t{text}", f"FOL:\t{fol}"]
    return "\n".join([*lines, "</EVALUATE>"]) + "\n"


def build_prompt(premises: Sequence[str], conclusion: str, shots: int = 8,
                 extra: Sequence[Exemplar] = ()) -> str:
    """LINC's prompt for one problem: instruction, ``shots`` exemplars, the open problem.

    ``extra`` exemplars (retrieved per problem, `provers.fol.shots.Retriever`) come after the
    fixed ones, so the fixed part stays a prefix llama.cpp evaluates once for every problem.

    Raises
    ------
    FolError
        When ``shots`` is not 1, 2, 4 or 8.
    """
    if shots not in SHOTS:
        raise FolError(f"shots must be one of {SHOTS}, not {shots}")
    body = "\n".join(str(e) for e in [*EXEMPLARS[:shots], *extra])
    problem = "\n".join(["<PREMISES>", *(p.strip() for p in premises), "</PREMISES>",
                         "<CONCLUSION>", conclusion.strip(), "</CONCLUSION>", "<EVALUATE>"])
    return INSTRUCTION + body + "\n" + problem + "\n"


def const_rules(longest: int = 64) -> list[str]:
    """GBNF for a constant: ``[a-z][A-Za-z0-9_]*`` of 2..``longest`` characters that is not one
    of the NLTK parser's word operators (``or``, ``all``, ``not`` ... would not parse as a term).

    GBNF has no negative lookahead, so the rules walk a trie of the keywords: at each prefix a
    constant may stop (unless the prefix is a keyword), follow the trie, or leave it with any
    other character and then go on freely.
    """
    keywords = sorted(NLTK_WORDS)
    tail = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

    def name(prefix: str) -> str:
        return "const" if not prefix else f"const-{prefix}"

    def klass(chars: str) -> str:
        return "[" + "".join(chars) + "]"

    lines = []
    prefixes = sorted({k[:i] for k in keywords for i in range(len(k))})
    for prefix in prefixes:
        alphabet = tail if prefix else tail[26:52]  # a constant starts with a lower-case letter
        children = sorted({k[len(prefix)] for k in keywords if k.startswith(prefix) and len(k) > len(prefix)})
        others = "".join(c for c in alphabet if c not in children)
        used = len(prefix) + 1
        rest = f"[A-Za-z0-9_]{{{max(0, 2 - used)},{longest - used}}}"
        options = [f"{klass(others)} {rest}"]
        for c in children:
            child = prefix + c
            options.append(f'"{c}" {name(child)}' if child in prefixes else f'"{c}" {name(child)}-end')
        body = " | ".join(options)
        stop = len(prefix) >= 2 and prefix not in keywords  # the constant may end here
        lines.append(f"{name(prefix)} ::= " + (f"({body})?" if stop else body))
    for k in keywords:  # a keyword itself must go on: one more character at least
        if k not in prefixes:
            lines.append(f"{name(k)}-end ::= [A-Za-z0-9_]{{1,{longest - len(k)}}}")
    return lines


#: Where a completion ends (LINC's stop sequence).
STOP = ("</EVALUATE>",)

#: One ``FOL:`` line in the NLTK syntax `parse` reads. Names are at most 64 characters and a
#: connective chain at most 16 operands (FOLIO's gold formulas: names ≤ 60, chains ≤ 8 but
#: for one outlier): a small model otherwise loops inside one name
#: (``xattendedSchoolTalentShowsOften…AndVeryEngagedWithSchoolEventsAndVeryEngaged…``)
#: until ``max_tokens``, which costs minutes on a CPU and loses the sample. A negated
#: equality needs parentheses, ``-(x = y)``: as in NLTK, ``-x = y`` reads ``(-x) = y``.
FOL_GRAMMAR = r"""
root     ::= pair+ "</EVALUATE>"
pair     ::= "TEXT:" [ \t] text "\n" "FOL:" [ \t] formula "\n"
text     ::= [^\n<]+
formula  ::= unary (ws binop ws unary){0,15}
binop    ::= "&" | "|" | "->" | "<->"
unary    ::= negand | eq
negand   ::= "-" negand | quant | atom | "(" formula ")"
quant    ::= ("all" | "exists") " " var "." unary
atom     ::= pred "(" term ("," " "? term)* ")"
eq       ::= term ws ("=" | "!=") ws term
pred     ::= [A-Z] [A-Za-z0-9_]{0,63}
term     ::= var | const
var      ::= [xyz] [0-9]?
ws       ::= " "?
""" + "\n".join(const_rules()) + "\n"


def problem_grammar(premises: Sequence[str], conclusion: str) -> str:
    """`FOL_GRAMMAR` fitted to one problem: each ``TEXT:`` line is the given sentence, verbatim,
    and there are exactly as many pairs as sentences (premises, then the conclusion).

    The open grammar lets a small model go on writing pairs until it runs out of tokens
    (its last ``FOL:`` line is then not the conclusion); this one ends after the conclusion
    and spends no tokens on paraphrase.

    >>> g = problem_grammar(['Rex is a "dog".'], "Rex barks.")
    >>> print(g.splitlines()[1])
    root     ::= "TEXT:\\t" "Rex is a \\"dog\\"." "\\nFOL:\\t" formula "\\n" "TEXT:\\t" "Rex barks." "\\nFOL:\\t" formula "\\n" "</EVALUATE>"
    """
    def literal(text: str) -> str:
        return '"' + text.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'

    pairs = " ".join(f'"TEXT:\\t" {literal(t)} "\\nFOL:\\t" formula "\\n"' for t in [*premises, conclusion])
    rules = [line for line in FOL_GRAMMAR.splitlines() if not line.startswith(("root ", "pair ", "text "))]
    return "\n".join(["", f'root     ::= {pairs} "</EVALUATE>"', *[r for r in rules if r]]) + "\n"


def pair_head(sentence: str) -> str:
    """The prompt text before one sentence's formula in stepwise decoding (`pipeline.llm_row`):
    the ``TEXT:`` line the grammar would force anyway, then an open ``FOL:`` line."""
    return f"TEXT:\t{sentence.strip()}\nFOL:\t"


#: One ``FOL:`` line of `FOL_GRAMMAR` (stepwise decoding: one formula per request, then ``\n``).
FORMULA_GRAMMAR = "\n".join(["", 'root     ::= formula "\\n"', *[
    line for line in FOL_GRAMMAR.splitlines() if line and not line.startswith(("root ", "pair ", "text "))]]) + "\n"


# ----------------------------------------------------------------------------- signature first
#
# The staged layout (`provers.fol.signature_first`): per shot, the sentences, the signature,
# then one TEXT/FOL pair per sentence. Every prompt of a problem — the signature request and
# one request per sentence — starts with the same text (instruction, fixed shots, retrieved
# shots, the problem, its signature), so llama.cpp evaluates it once and each sentence adds
# only its ``TEXT:``/``FOL:`` line. The fixed part is the same for every problem.

STAGED_INSTRUCTION = (
    "The following are first-order logic (FOL) translation problems.\n"
    "For each problem, first write its signature: every predicate with its arguments, and every "
    "constant (a named individual). Give each concept one predicate name and reuse it in every "
    "sentence; a sentence about a kind of thing uses a variable, not a constant.\n"
    "Then translate each sentence into one FOL formula that uses only the signature, in the "
    "format of the Python NLTK package logic module, so that a theorem prover can decide whether "
    "the last sentence follows from the others. A formula followed by an ERROR line is wrong; "
    "the next FOL line for that sentence corrects it.\n\n"
)

#: How many of `EXEMPLARS` open every staged prompt (the shared, cached part).
STAGED_FIXED = 4


def staged_shot(sentences: Sequence[str], signature: str, fols: Sequence[str]) -> str:
    """One solved problem in the staged layout."""
    lines = ["<SENTENCES>", *sentences, "</SENTENCES>", "<SIGNATURE>", signature, "</SIGNATURE>", "<EVALUATE>"]
    for text, fol in zip(sentences, fols, strict=True):
        lines += [f"TEXT:\t{text}", f"FOL:\t{fol}"]
    return "\n".join([*lines, "</EVALUATE>"]) + "\n\n"


def staged_fixed_shots(k: int = STAGED_FIXED) -> str:
    """The first ``k`` `EXEMPLARS` in the staged layout (their conclusion is the last sentence)."""
    from provers.fol.parse import parse_nltk
    from provers.fol.signature_first import shot_formula, signature_of

    out = []
    for e in EXEMPLARS[:k]:
        pairs = [*e.premises, e.conclusion]
        formulas = [parse_nltk(f) for _, f in pairs]
        out.append(staged_shot([t for t, _ in pairs], str(signature_of(formulas)),
                               [shot_formula(f) for f in formulas]))
    return "".join(out)


def signature_prompt(sentences: Sequence[str], shots: str) -> str:
    """Stage 1: instruction, shots (fixed, then retrieved), the problem's sentences, an open
    ``<SIGNATURE>``; the model writes the signature under `signature_first.signature_grammar`."""
    problem = "\n".join(["<SENTENCES>", *(s.strip() for s in sentences), "</SENTENCES>", "<SIGNATURE>"])
    return STAGED_INSTRUCTION + shots + problem + "\n"


def sentence_prompt(stage1: str, signature: str, sentence: str) -> str:
    """Stage 2 for one sentence: the stage-1 prompt, the signature, the sentence's ``TEXT:`` line."""
    return f"{stage1}{signature}\n</SIGNATURE>\n<EVALUATE>\nTEXT:\t{sentence.strip()}\nFOL:\t"


def feedback_prompt(stage1: str, signature: str, sentence: str, previous: str, error: str) -> str:
    """Stage 2 again for a sentence whose formula failed: the failed formula and why, then a
    fresh ``FOL:`` line (Logic-LM-style self-refinement, asked once)."""
    return (f"{sentence_prompt(stage1, signature, sentence)}{previous}\n"
            f"ERROR:\t{error.strip()}\nTEXT:\t{sentence.strip()}\nFOL:\t")
