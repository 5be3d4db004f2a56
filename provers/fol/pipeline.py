"""Natural-language problem → FOL → prover → label, by the controlled parser or by an LLM.

Three parsers, one row format:

* ``controlled`` — `provers.fol.controlled` (deterministic, no model) and
  `controlled.decide`; a sentence outside the language is an Error row with reason
  ``controlled-parse`` naming the sentence;
* ``llm`` — LINC: `prompts.build_prompt`, K samples from a `workbench.llm.Generator` (with
  `prompts.problem_grammar` when ``grammar`` is on), each sample read by
  `provers.fol.robust.decide_completion` (untrusted text: a parse error is an Error *sample*
  with its reason; ``truncated`` when the model hit ``max_tokens`` before ``</EVALUATE>``,
  since its last ``FOL:`` line would then not be the conclusion), then
  `vote.refutations_first` (LINC's vote, repaired samples trusted less, two refutations decide);
* ``auto`` — controlled first; when it cannot parse a sentence, the LLM answers the problem
  and the row records why (``fallback``).

`staged_row` is the LLM path in stages (`StagedParser`): the problem's signature first
(`provers.fol.signature_first`, one greedy sample under the signature grammar), shots retrieved
from FOLIO train (`provers.fol.shots`), then each sentence's K formulas as one batched request
under the grammar of that signature, then prover feedback (`provers.fol.refine`): a sample
with a fault is asked again once, and is an Error sample if the fault remains.

A model failure (`workbench.llm.LLMError`: server down, bad response) is an Error row with
reason ``llm``; nothing already finished is lost (rows go to a `ResultLog`, see `eval.run`).

>>> from provers.fol.datasets import NLProblem
>>> from provers.fol.backends.base import get_backend
>>> row = controlled_row(NLProblem("p1", ("Bob is big.", "Big things are red."), "Bob is red.", "True"),
...                      get_backend("z3"))
>>> row["label"], row["correct"], row["conclusion_fol"]
('True', True, 'Red(bob)')
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from provers.fol.backends.base import Backend, Label
from provers.fol.controlled import ControlledParseError, Sentence, decide, to_fol
from provers.fol.datasets import BadItem, NLProblem
from provers.fol.portfolio import Portfolio
from provers.fol.prompts import (
    FORMULA_GRAMMAR,
    STOP,
    build_prompt,
    feedback_prompt,
    pair_head,
    problem_grammar,
    sentence_prompt,
    signature_prompt,
    staged_fixed_shots,
    staged_shot,
)
from provers.fol.refine import Fault, check_sample, conclusion_fault, sample_text
from provers.fol.robust import cross_read, decide_completion, parse_completion
from provers.fol.signature_first import (
    Signature,
    SignatureParseError,
    formula_grammar,
    parse_signature,
    signature_grammar,
    signature_of,
)
from provers.fol.syntax import FolError, Formula
from provers.fol.vote import majority, refutations_first, vote_counts

if TYPE_CHECKING:
    from workbench.llm.gguf_batch import Reask

PARSERS = ("controlled", "llm", "auto")


@dataclass(frozen=True, slots=True)
class LLMParser:
    """How the LLM path samples: the generator and LINC's settings.

    ``temperature`` 0.8 and ``k`` samples are LINC's; ``grammar`` constrains the completion
    to `prompts.problem_grammar` (the problem's own sentences as ``TEXT:`` lines, one valid
    NLTK formula per ``FOL:`` line, exactly one pair per sentence).

    ``feedback`` (stepwise, with a generator that ``fills``) checks each sample inside its own
    sequence (`_Feedback`): a conclusion that uses symbols no premise has
    (`provers.fol.refine.conclusion_fault`) is followed by an ``ERROR:`` line and the
    conclusion's head again, and the conclusion is written once more in its place under the
    grammar of the premises' own symbols (once per sample; the sample's KV cells stay, so a
    re-ask costs its new tokens only). Other generators would re-read each sample's whole
    text: refused.

    ``stepwise`` decodes the same completion one formula at a time (`_stepwise`): the
    ``TEXT:`` lines, which the grammar forces anyway, are written into the prompt instead of
    being generated token by token, and each sample's next request extends its own previous
    one (llama.cpp serves that prefix from the slot's cache). Same samples, the model's
    tokens spent only on formulas (``formula_tokens`` each). ``retrieved`` exemplars from
    FOLIO train (`provers.fol.shots.Retriever`) follow the ``shots`` fixed ones.

    A generator with ``fills`` (the GGUF backend) decodes all of it in one call (`_filled`:
    the prompt evaluated once, its KV cells shared by the K samples). Through ``generate``
    alone, with a GGUF model, stepwise wants a generator that sends each sample as its own
    request (`generator_options`): after an ``n_cmpl`` request llama.cpp keeps the prompt only in the
    parent slot and clears the slots the other samples ran in, so the next step would
    evaluate the whole few-shot prompt again in K - 1 slots (measured: 6,509 prompt tokens for
    five 1-line requests instead of 29).
    """

    generator: Any
    k: int = 5
    shots: int = 8
    grammar: bool = True
    max_tokens: int = 512
    temperature: float = 0.8
    seed: int = 0
    stepwise: bool = False
    formula_tokens: int = 96
    retriever: Any = None
    retrieved: int = 0
    feedback: bool = False

    def __post_init__(self) -> None:
        if self.feedback and not (self.stepwise and getattr(self.generator, "fills", False)):
            raise FolError("feedback in the LLM parser needs stepwise decoding and a generator that fills "
                           "(the GGUF backend's batch decoder, `GGUFGenerator.fill`)")

    def params(self, problem: NLProblem) -> Any:
        from workbench.llm import SamplingParams

        grammar = problem_grammar(problem.premises, problem.conclusion) if self.grammar else None
        return SamplingParams(n=self.k, temperature=self.temperature, max_tokens=self.max_tokens,
                              stop=STOP, grammar=grammar, seed=self.seed)


def generator_options(model: str, stepwise: bool) -> dict[str, Any]:
    """`workbench.llm.load_generator` options for an `LLMParser` over ``model`` (see its docstring)."""
    return {"share_prompt": not stepwise} if model.startswith("gguf:") else {}


def parse_problem(problem: NLProblem) -> tuple[list[Sentence], Sentence]:
    """Both halves of a problem in the controlled language.

    Raises
    ------
    ControlledParseError
        Naming the sentence (1-based, the conclusion numbered last).
    """
    premises = [Sentence(s, to_fol(s, i)) for i, s in enumerate(problem.premises, 1)]
    n = len(premises) + 1
    return premises, Sentence(problem.conclusion, to_fol(problem.conclusion, n))


def _bad(item: BadItem) -> dict[str, Any]:
    return {"id": item.id, "gold": None, "label": "Error", "correct": False, "reason": "input",
            "detail": item.what, "seconds": 0.0}


def controlled_row(problem: NLProblem | BadItem, backend: Backend, semantics: str = "proofwriter",
                   timeout: float = 10.0) -> dict[str, Any]:
    """Decide one problem with the controlled parser; every failure is an Error row."""
    if isinstance(problem, BadItem):
        return _bad(problem)
    row: dict[str, Any] = {"id": problem.id, "gold": problem.label, "parser": "controlled"}
    start = time.perf_counter()
    try:
        premises, conclusion = parse_problem(problem)
    except ControlledParseError as exc:
        return {**row, "label": "Error", "correct": False, "reason": "controlled-parse",
                "detail": str(exc), "error": exc.to_json(), "seconds": 0.0}
    answer = decide(premises, conclusion, backend, semantics, timeout)
    row.update(label=answer.label.value, correct=answer.label.value == problem.label,
               seconds=round(time.perf_counter() - start, 4), semantics=semantics,
               premises_fol=[str(s.formula) for s in premises], conclusion_fol=str(conclusion.formula),
               evidence=answer.verdict.evidence.to_json() if answer.verdict.evidence else None)
    if answer.label is Label.ERROR:
        row.update(reason=answer.verdict.reason, detail=answer.verdict.detail)
    return row


def llm_row(problem: NLProblem | BadItem, parser: LLMParser, portfolio: Portfolio,
            timeout: float = 10.0) -> dict[str, Any]:
    """LINC on one problem: prompt, K samples, each parsed and proved, the vote."""
    from workbench.llm import LLMError

    if isinstance(problem, BadItem):
        return _bad(problem)
    row: dict[str, Any] = {"id": problem.id, "gold": problem.label, "parser": "llm",
                           "model": getattr(parser.generator, "name", "?"), "k": parser.k,
                           "shots": parser.shots, "grammar": parser.grammar, "stepwise": parser.stepwise,
                           **({"feedback": True} if parser.feedback else {})}
    start = time.perf_counter()
    before = _engine_stats(parser.generator)
    extra = []
    if parser.retriever is not None and parser.retrieved:
        from provers.fol.shots import as_exemplar

        stories = parser.retriever.nearest([*problem.premises, problem.conclusion], parser.retrieved)
        extra = [as_exemplar(s) for s in stories]
        row["retrieved"] = [s.id for s in stories]
    prompt = build_prompt(problem.premises, problem.conclusion, parser.shots, extra)
    asked: dict[int, dict[str, Any]] = {}
    try:
        if parser.stepwise:
            completions = _stepwise(parser, prompt, [*problem.premises, problem.conclusion], asked)
        else:
            completions = parser.generator.generate([prompt], parser.params(problem))[0]
    except LLMError as exc:
        return {**row, "label": "Error", "correct": False, "reason": "llm", "detail": str(exc),
                "seconds": round(time.perf_counter() - start, 3)}
    gen_seconds = time.perf_counter() - start
    cut = (f"a formula reached formula_tokens={parser.formula_tokens}" if parser.stepwise else
           f"the model stopped at max_tokens={parser.max_tokens} before </EVALUATE>")
    row.update(decide_samples([(c.text, c.finish_reason == "length") for c in completions], problem.label,
                              portfolio, timeout, cut))
    tokens = sum(c.n_tokens for c in completions)
    if parser.feedback:
        row.update(feedback=[asked.get(j) for j in range(len(completions))], reasked=len(asked))
    row.update(completions=[c.text for c in completions], tokens=tokens,
               gen_seconds=round(gen_seconds, 3), tokens_per_s=round(tokens / gen_seconds, 3) if gen_seconds else 0.0,
               engine=_stats_delta(before, _engine_stats(parser.generator)),
               seconds=round(time.perf_counter() - start, 3))
    return row


def decide_samples(samples: Sequence[tuple[str, bool]], gold: str, portfolio: Portfolio, timeout: float = 10.0,
                   cut: str = "truncated") -> dict[str, Any]:
    """Each sample (its text, and whether it was cut before its conclusion) parsed, aligned and
    proved (`robust.decide_completion`), then the vote: the part of a row that depends on the
    completions only, so recorded completions can be decided again by newer rules
    (``benchmarks/fol_llm_folio.py --redecide``). ``cut`` is the detail of a cut sample.

    An Uncertain sample whose conclusion its own premises never mention is then read against the
    other uncut samples' premises (`robust.cross_read`, rule X1); a proof there is its label
    (``sample_details`` says so). Chosen on FOLIO dev (step-shared rows, 25 → 27 of 50); on
    validation-60 it changed one problem, for the worse (31 → 30; docs/logic.md)."""
    labels: list[str] = []
    reasons: list[str | None] = []
    details: list[str] = []
    seconds: list[float] = []
    repaired: list[bool] = []
    disconnected: list[bool] = []
    parsed: dict[int, tuple[tuple[Formula, ...], Formula]] = {}
    for j, (text, was_cut) in enumerate(samples):
        t0 = time.perf_counter()
        if was_cut:  # the last FOL line would not be the conclusion
            labels.append("Error")
            reasons.append("truncated")
            details.append(cut)
            repaired.append(False)
            disconnected.append(False)
        else:
            r = decide_completion(text, portfolio, timeout)
            labels.append(r.label.value)
            reasons.append(r.reason)
            details.append(r.detail)
            repaired.append(r.repaired)
            disconnected.append(r.label is Label.UNCERTAIN and not r.connected)
            if r.parsed is not None:
                parsed[j] = r.parsed
        seconds.append(round(time.perf_counter() - t0, 4))
    if any(disconnected):
        for j in (j for j, d in enumerate(disconnected) if d and j in parsed):
            t0 = time.perf_counter()
            others = [p for i, (p, _) in parsed.items() if i != j]
            label, rep = cross_read(others, parsed[j][1], portfolio, timeout)
            if label in (Label.TRUE, Label.FALSE):
                labels[j] = label.value
                repaired[j] = repaired[j] or rep
                details[j] = f"conclusion read against the other samples' premises: {label.value}"
            seconds[j] = round(seconds[j] + time.perf_counter() - t0, 4)
    vote = refutations_first(labels, repaired).value
    out: dict[str, Any] = {"label": vote, "correct": vote == gold, "plain_vote": majority(labels).value,
                           "votes": vote_counts(labels), "samples": labels, "sample_reasons": reasons,
                           "sample_details": details, "sample_seconds": seconds, "sample_repaired": repaired}
    if vote == "Error":
        out.update(reason=next((x for x in reasons if x), "unknown"), detail=next((d for d in details if d), ""))
    return out


def _stepwise(parser: LLMParser, prompt: str, sentences: list[str],
              asked: dict[int, dict[str, Any]] | None = None) -> list[Any]:
    """LINC's K completions decoded one ``FOL:`` line at a time (see `LLMParser`).

    Samples whose text so far is the same form a branch: one request of ``n`` = its size for
    the next formula (the prompt is evaluated once where the generator shares prompts; each
    sample has its own seed, so equal histories still diverge). A branch whose samples wrote
    different formulas splits, and every branch goes on at its own pace, concurrently with the
    others: no sample waits for another branch's longest formula before its next sentence.
    (On two warm FOLIO problems this did not measurably beat one barrier per sentence: the
    time goes to each slot evaluating the problem's prompt, and to the batch narrowing as
    samples end; see docs/logic.md.) Sample ``j`` of a branch whose first member is ``m``
    draws sentence ``i`` with seed ``seed + 1000·i + m + j``, so a rerun gives the same samples.
    A formula that reaches ``formula_tokens`` ends its sample (``finish_reason`` ``length``,
    as a whole completion cut at ``max_tokens``).
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    from workbench.llm import Completion, SamplingParams

    grammar = FORMULA_GRAMMAR if parser.grammar else None
    if getattr(parser.generator, "fills", False):
        return _filled(parser, prompt, sentences, grammar, asked)
    done: dict[int, Any] = {}

    def grow(pool: ThreadPoolExecutor, members: list[int], text: str, tokens: int, i: int) -> list[Future[Any]]:
        """Decode this branch to its end; the branches it splits off are submitted to ``pool``."""
        spawned: list[Future[Any]] = []
        while True:
            if i == len(sentences):
                done.update({j: Completion(text, "stop", n_tokens=tokens) for j in members})
                return spawned
            head = pair_head(sentences[i])
            comps = parser.generator.generate(
                [prompt + text + head],
                SamplingParams(n=len(members), temperature=parser.temperature, max_tokens=parser.formula_tokens,
                               stop=("\n",), grammar=grammar, seed=parser.seed + 1000 * i + members[0]))[0]
            branches: dict[tuple[str, bool], list[int]] = {}
            for j, c in zip(members, comps, strict=True):
                branches.setdefault((c.text.strip(), c.finish_reason == "length"), []).append(j)
            used = {j: c.n_tokens for j, c in zip(members, comps, strict=True)}
            going: list[tuple[list[int], str, int]] = []
            for (formula, cut), js in branches.items():
                line = f"{text}{head}{formula}\n"
                if cut:
                    done.update({j: Completion(line, "length", n_tokens=tokens + used[j]) for j in js})
                else:
                    going.append((js, line, tokens + max(used[j] for j in js)))
            if not going:
                return spawned
            spawned += [pool.submit(grow, pool, js, line, n, i + 1) for js, line, n in going[1:]]
            members, text, tokens = going[0]
            i += 1

    with ThreadPoolExecutor(max_workers=max(1, parser.k)) as pool:
        pending = [pool.submit(grow, pool, list(range(parser.k)), "", 0, 0)]
        while pending:
            pending += pending.pop().result()
    return [done[j] for j in range(parser.k)]


def _filled(parser: LLMParser, prompt: str, sentences: list[str], grammar: str | None,
            asked: dict[int, dict[str, Any]] | None = None) -> list[Any]:
    """`_stepwise`'s completions through a generator's ``fill`` (`GGUFGenerator.fill`): the K
    samples share the prompt's KV cells and decode as one batch, each sentence's head forced
    into a sample as soon as its previous formula ends. Sample ``j`` draws with seed
    ``seed + j`` throughout (not the branch seeds: these are other samples of the same law).
    With ``parser.feedback`` the re-asks go into ``asked`` (sample → what was wrong)."""
    from workbench.llm import Completion, SamplingParams

    heads = [pair_head(s) for s in sentences]
    check = _Feedback(heads, {} if asked is None else asked) if parser.feedback else None
    spans = parser.generator.fill(prompt, heads, SamplingParams(
        n=parser.k, temperature=parser.temperature, max_tokens=parser.formula_tokens, stop=("\n",),
        grammar=grammar, seed=parser.seed), *([check] if check else []))
    out = []
    for sample in spans:
        text = "".join(f"{head}{c.text.strip()}\n" for head, c in zip(heads, sample, strict=False))
        cut = bool(sample) and sample[-1].finish_reason == "length"
        out.append(Completion(text, "length" if cut else "stop", n_tokens=sum(c.n_tokens for c in sample)))
    return out


@dataclass(frozen=True, slots=True)
class _Feedback:
    """`LLMParser`'s feedback as `GGUFGenerator.fill` calls it: a sample whose conclusion uses
    symbols no premise has (`conclusion_fault`) is told so on an ``ERROR:`` line
    and writes its conclusion again under the grammar of its own premises' symbols
    (`signature_first.signature_of`, `formula_grammar`), so it cannot invent a name again.
    A sample that does not parse, or whose premises declare no such signature, is left as it is. Each re-ask is
    recorded in ``asked``.

    (Asked again without that grammar, the 1.5B model wrote its line back 21 times of 24;
    a formula cut at the token cap is not asked again for the same reason.)
    """

    heads: list[str]
    asked: dict[int, dict[str, Any]]

    def __call__(self, j: int, spans: list[Any]) -> Reask | None:
        from workbench.llm.gguf_batch import Reask

        if len(spans) != len(self.heads) or spans[-1].finish_reason == "length":
            return None
        fols = [c.text.strip() for c in spans]
        try:
            premises, conclusion, _ = parse_completion(sample_text(fols))
            message = conclusion_fault(premises, conclusion)
            if message is None:
                return None
            grammar = formula_grammar(signature_of(premises), comma=", ")
        except FolError:  # a line that does not parse (never under the formula grammar), a name with two arities...
            return None
        self.asked[j] = {"sentence": len(fols) - 1, "reason": "conclusion", "message": message, "was": fols[-1]}
        return Reask(f"ERROR:\t{message}\n{self.heads[-1]}", grammar)


def auto_row(problem: NLProblem | BadItem, backend: Backend, parser: LLMParser | None, portfolio: Portfolio,
             semantics: str = "proofwriter", timeout: float = 10.0) -> dict[str, Any]:
    """The controlled parser, and the LLM for a problem it cannot parse (when one is given)."""
    row = controlled_row(problem, backend, semantics, timeout)
    if row.get("reason") != "controlled-parse" or parser is None or isinstance(problem, BadItem):
        return row
    out = llm_row(problem, parser, portfolio, timeout)
    out["fallback"] = row["detail"]
    return out


@dataclass(frozen=True, slots=True)
class StagedParser:
    """How the staged LLM path samples (see the module docstring).

    ``fixed`` exemplars open every prompt (cached across problems); ``retrieved`` more come
    from ``retriever`` per problem (0: none). ``formula_tokens`` caps each formula (a small
    model otherwise loops inside one until the cap, which costs the whole batch time).
    ``feedback`` asks a faulty sample again at most ``rounds`` times: one batched request of
    ``candidates`` formulas for the faulty sentence, keeping the first that clears the fault
    (`_first_fix`).
    """

    generator: Any
    k: int = 5
    fixed: int = 4
    retriever: Any = None
    retrieved: int = 2
    grammar: bool = True
    feedback: bool = True
    rounds: int = 1
    candidates: int = 3
    formula_tokens: int = 64
    signature_tokens: int = 192
    temperature: float = 0.8
    seed: int = 0

    def condition(self) -> dict[str, Any]:
        return {"k": self.k, "fixed": self.fixed, "retrieved": self.retrieved if self.retriever else 0,
                "grammar": self.grammar, "feedback": self.feedback, "rounds": self.rounds,
                "candidates": self.candidates,
                "formula_tokens": self.formula_tokens, "temperature": self.temperature}


def _engine_stats(generator: Any) -> dict[str, float] | None:
    stats = getattr(getattr(generator, "inner", generator), "stats", None)
    return stats.snapshot() if stats is not None else None


def _stats_delta(before: dict[str, float] | None, after: dict[str, float] | None) -> dict[str, float]:
    if before is None or after is None:
        return {}
    return {key: round(after[key] - before[key], 3) for key in after}


def _first_fix(candidates: list[Any], sample: list[str], truncated: list[bool], i: int,
               signature: Signature) -> tuple[Any, Fault | None]:
    """The re-asked formula: the first candidate that leaves the sample without a fault, else
    the first that differs from the failed formula (a small model often copies it back)."""
    trials = []
    for c in candidates:
        trial = [*sample[:i], c.text.strip(), *sample[i + 1:]]
        cut = [*truncated[:i], c.finish_reason == "length", *truncated[i + 1:]]
        fault = check_sample(trial, cut, signature)
        if fault is None:
            return c, None
        trials.append((c, fault))
    return next(((c, f) for c, f in trials if c.text.strip() != sample[i]), trials[0])


def staged_row(problem: NLProblem | BadItem, parser: StagedParser, portfolio: Portfolio,
               timeout: float = 10.0) -> dict[str, Any]:
    """Signature, then K formulas per sentence, then feedback, then the vote: one row."""
    from workbench.llm import LLMError, SamplingParams

    if isinstance(problem, BadItem):
        return _bad(problem)
    gen = parser.generator
    row: dict[str, Any] = {"id": problem.id, "gold": problem.label, "parser": "staged",
                           "model": getattr(gen, "name", "?"), **parser.condition()}
    sentences = [*problem.premises, problem.conclusion]
    start = time.perf_counter()
    before = _engine_stats(gen)
    stories = parser.retriever.nearest(sentences, parser.retrieved) if parser.retriever and parser.retrieved else []
    shots = staged_fixed_shots(parser.fixed) + "".join(
        staged_shot(s.sentences, str(s.signature), s.fols) for s in stories)
    stage1 = signature_prompt(sentences, shots)
    row["shots"] = [s.id for s in stories]

    def fail(reason: str, detail: str) -> dict[str, Any]:
        return {**row, "label": "Error", "correct": False, "reason": reason, "detail": detail,
                "seconds": round(time.perf_counter() - start, 3)}

    requests = 0
    try:
        [[answer]] = gen.generate([stage1], SamplingParams(
            n=1, temperature=0.0, max_tokens=parser.signature_tokens, grammar=signature_grammar()))
        requests += 1
        signature: Signature = parse_signature(answer.text)
        sig_text = str(signature)
        grammar = formula_grammar(signature) if parser.grammar else None
        per_sentence = []
        for sentence in sentences:
            [comps] = gen.generate([sentence_prompt(stage1, sig_text, sentence)], SamplingParams(
                n=parser.k, temperature=parser.temperature, max_tokens=parser.formula_tokens,
                stop=("\n",), grammar=grammar, seed=parser.seed))
            requests += 1
            per_sentence.append(comps)
    except SignatureParseError as exc:
        return fail("signature-stage", str(exc))
    except LLMError as exc:
        return fail("llm", str(exc))
    tokens = answer.n_tokens + sum(c.n_tokens for cs in per_sentence for c in cs)
    samples = [[cs[j].text.strip() for cs in per_sentence] for j in range(parser.k)]
    truncated = [[cs[j].finish_reason == "length" for cs in per_sentence] for j in range(parser.k)]
    faults: list[Fault | None] = []
    asked: list[list[dict[str, Any]]] = []
    for j in range(parser.k):
        fault = check_sample(samples[j], truncated[j], signature)
        history: list[dict[str, Any]] = []
        for _ in range(parser.rounds if parser.feedback else 0):
            if fault is None:
                break
            i = fault.sentence
            try:
                [candidates] = gen.generate(
                    [feedback_prompt(stage1, sig_text, sentences[i], samples[j][i], fault.message)],
                    SamplingParams(n=parser.candidates, temperature=parser.temperature, max_tokens=parser.formula_tokens,
                                   stop=("\n",), grammar=grammar, seed=parser.seed + 100 + j))
            except LLMError as exc:
                return fail("llm", str(exc))
            requests += 1
            tokens += sum(c.n_tokens for c in candidates)
            again, after = _first_fix(candidates, samples[j], truncated[j], i, signature)
            history.append({**fault.to_json(), "was": samples[j][i], "now": again.text.strip(),
                            "candidates": [c.text.strip() for c in candidates]})
            samples[j][i] = again.text.strip()
            truncated[j][i] = again.finish_reason == "length"
            fault = after
        faults.append(fault)
        asked.append(history)
    gen_seconds = time.perf_counter() - start
    labels: list[str] = []
    reasons: list[str | None] = []
    details: list[str] = []
    repaired: list[bool] = []
    for j in range(parser.k):
        fault = faults[j]
        if fault is not None and (fault.reason != "inconsistent" or parser.feedback):
            labels.append("Error")
            reasons.append(fault.reason)
            details.append(f"sentence {fault.sentence + 1}: {fault.message}")
            repaired.append(False)
            continue
        r = decide_completion(sample_text(samples[j]), portfolio, timeout)
        labels.append(r.label.value)
        reasons.append(r.reason)
        details.append(r.detail)
        repaired.append(r.repaired)
    vote = refutations_first(labels, repaired).value
    stats = _stats_delta(before, _engine_stats(gen))
    row.update(label=vote, correct=vote == problem.label, plain_vote=majority(labels).value,
               votes=vote_counts(labels), samples=labels, sample_reasons=reasons, sample_details=details,
               sample_repaired=repaired, signature=signature.to_json(), formulas=samples,
               completions=[sample_text(s) for s in samples], feedback=asked,
               reasked=sum(len(h) for h in asked), requests=requests, tokens=tokens,
               gen_seconds=round(gen_seconds, 3),
               tokens_per_s=round(tokens / gen_seconds, 3) if gen_seconds else 0.0,
               engine=stats, seconds=round(time.perf_counter() - start, 3))
    if vote == "Error":
        row.update(reason=next((x for x in reasons if x), "unknown"), detail=next((d for d in details if d), ""))
    return row
