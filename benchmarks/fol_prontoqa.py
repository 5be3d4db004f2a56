"""ProntoQA-style fictional ontologies, generated here, read by the controlled-English parser.

No ProntoQA data ships with the project, so this script writes problems the way the ProntoQA
paper describes them (Saparov & He, "Language Models Are Greedy Reasoners", ICLR 2023): a
tree of concepts with invented names (wumpus, yumpus, ...); each subset edge and each property
is one sentence in one of the paper's surface forms ("Every A is a B.", "Each A is a B.",
"As are Bs.", "Each A is not P.", "As are not P."); one entity belongs to the leaf of a chain
of ``hops`` steps; the question "True or false: X is [not] P." asks for the property of the
chain's top concept, or its opposite (False); a distractor concept outside the chain carries
the opposite property, and other concepts and properties are noise. The gold label comes from
the construction, never from a prover. Sentences are shuffled (ProntoQA's order reveals the
chain).

Splits (written before the first run): seed 0 is **dev** (misses may be read and the parser
fixed for them, as rules of English only); seed 1 is **test** (reported, never looked into).
Nothing is trained.

    python benchmarks/fol_prontoqa.py                 # 500 dev + 500 test problems, hops 1/3/5
    python benchmarks/fol_prontoqa.py --ontology real # real nouns (mice, geese, sheep) in made-up trees
    python benchmarks/fol_prontoqa.py --ood --semantics classical   # and-elimination, proof by cases
    python benchmarks/fol_prontoqa.py --write p.json  # also write them in Logic-LM's format
    workbench logic eval p.json --dataset prontoqa    # the same problems through the CLI
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from provers.fol.backends.base import get_backend
from provers.fol.datasets import NLProblem
from provers.fol.pipeline import controlled_row

CONCEPTS = ["wumpus", "yumpus", "zumpus", "dumpus", "rompus", "numpus", "tumpus", "vumpus", "impus",
            "jompus", "gorpus", "shumpus", "lempus", "sterpus", "grimpus", "lorpus", "brimpus"]
#: Property families (one per concept in a chain, so no two sentences clash by accident).
FAMILIES = [("blue", "red"), ("small", "large"), ("hot", "cold"), ("kind", "mean"), ("sweet", "sour"),
            ("transparent", "opaque"), ("wooden", "metallic"), ("bright", "dull"), ("shy", "aggressive"),
            ("happy", "feisty"), ("fruity", "bitter"), ("liquid", "luminous"), ("slow", "fast")]
NAMES = ["Alex", "Max", "Polly", "Rex", "Sally", "Sam", "Stella", "Wren", "Fae"]
#: ProntoQA's "false ontology" uses real nouns in made-up hierarchies; these are real nouns
#: with regular, irregular and zero plurals (written here, not by the parser's lemmatiser).
REAL = {"cat": "cats", "mouse": "mice", "wolf": "wolves", "goose": "geese", "fox": "foxes",
        "butterfly": "butterflies", "sheep": "sheep", "fish": "fish", "deer": "deer", "ox": "oxen",
        "mammal": "mammals", "animal": "animals", "vertebrate": "vertebrates", "carnivore": "carnivores",
        "feline": "felines", "insect": "insects", "bird": "birds", "rodent": "rodents", "canine": "canines",
        "louse": "lice", "tooth": "teeth", "church": "churches", "knife": "knives", "hero": "heroes"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One generated problem in Logic-LM's ProntoQA layout."""

    id: str
    context: list[str]
    question: str
    answer: str
    hops: int

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "context": " ".join(self.context), "question": self.question,
                "answer": self.answer, "hops": self.hops}


def plural(noun: str) -> str:
    if noun in REAL:
        return REAL[noun]
    return noun + "es" if noun.endswith(("s", "x", "sh", "ch")) else noun + "s"


def article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def subset_sentence(rng: random.Random, a: str, b: str) -> str:
    return rng.choice([f"Every {a} is {article(b)} {b}.", f"Each {a} is {article(b)} {b}.",
                       f"{plural(a).capitalize()} are {plural(b)}."])


def property_sentence(rng: random.Random, a: str, prop: str, positive: bool) -> str:
    neg = "" if positive else "not "
    return rng.choice([f"Every {a} is {neg}{prop}.", f"Each {a} is {neg}{prop}.",
                       f"{plural(a).capitalize()} are {neg}{prop}."])


def generate(rng: random.Random, hops: int, index: int, concepts: list[str] = CONCEPTS,
             ood: bool = False) -> Problem:
    """One problem: a chain of ``hops`` deductions from the entity's class to the property.

    With ``ood`` (ProntoQA-OOD, Saparov et al. 2023), one subset step of a longer chain is
    made with a compound rule instead: and-elimination (``Every A is a B and a C.``) or proof
    by cases (``Every A is a B or a C. Every C is a B.``), which needs classical semantics.
    """
    names = rng.sample(concepts, hops + 3 + ood)
    chain, distractor, sibling = names[:hops], names[hops], names[hops + 1:hops + 3]
    families = rng.sample(FAMILIES, len(chain) + 1)
    entity = rng.choice(NAMES)
    context: list[str] = []
    steps = list(zip(chain, chain[1:], strict=False))  # hops - 1 subset steps
    compound = rng.randrange(len(steps)) if ood and steps else None
    for k, (a, b) in enumerate(steps):
        if k != compound:
            context.append(subset_sentence(rng, a, b))
            continue
        extra = names[hops + 3]
        if rng.random() < 0.5:
            context.append(f"Every {a} is {article(b)} {b} and {article(extra)} {extra}.")
        else:
            context.append(f"Every {a} is {article(b)} {b} or {article(extra)} {extra}.")
            context.append(subset_sentence(rng, extra, b))
    top = chain[-1]
    asked_family = families[0]
    prop = rng.choice(asked_family)
    positive = rng.random() < 0.5
    context.append(property_sentence(rng, top, prop, positive))          # the last step
    context.append(property_sentence(rng, distractor, prop, not positive))  # the distractor
    context.append(subset_sentence(rng, distractor, rng.choice(chain)))    # hangs in the tree
    for concept, family in zip(chain[:-1], families[1:], strict=False):   # noise on the way
        context.append(property_sentence(rng, concept, rng.choice(family), rng.random() < 0.5))
    for s in sibling:
        context.append(subset_sentence(rng, s, rng.choice(chain)))
    context.append(f"{entity} is {article(chain[0])} {chain[0]}.")
    rng.shuffle(context)
    truth = rng.random() < 0.5
    asked_positive = positive if truth else not positive
    question = f"True or false: {entity} is {'' if asked_positive else 'not '}{prop}."
    return Problem(f"prontoqa-{index}", context, question, "True" if truth else "False", hops)


def problems(seed: int, n: int, ontology: str = "fictional", ood: bool = False) -> list[Problem]:
    rng = random.Random(seed)
    concepts = CONCEPTS if ontology == "fictional" else sorted(REAL)
    return [generate(rng, (1, 3, 5)[i % 3], i, concepts, ood) for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=500, help="problems per split")
    ap.add_argument("--semantics", default="proofwriter")
    ap.add_argument("--write", default=None, help="write the dev problems here (Logic-LM JSON)")
    ap.add_argument("--ontology", default="fictional", choices=("fictional", "real"),
                    help="invented nouns (wumpus), or real nouns in made-up hierarchies (mice, geese, sheep)")
    ap.add_argument("--ood", action="store_true",
                    help="ProntoQA-OOD compound rules (and-elimination, proof by cases); use --semantics classical")
    args = ap.parse_args()
    console = Console(width=160)
    z3 = get_backend("z3")
    kind = f"{args.ontology}{' OOD' if args.ood else ''}"
    table = Table(title=f"ProntoQA-style {kind} ontologies, controlled parser + Z3, {args.semantics} semantics")
    for col in ("split", "seed", "problems", "accuracy", "by hops (1/3/5)", "parse errors", "wall s"):
        table.add_column(col)
    for split, seed in (("dev", 0), ("test", 1)):
        items = problems(seed, args.n, args.ontology, args.ood)
        if split == "dev" and args.write:
            with open(args.write, "w", encoding="utf-8") as fh:
                json.dump([p.to_json() for p in items], fh, indent=1)
        start = time.perf_counter()
        rows = []
        for p in items:
            nl = NLProblem(p.id, tuple(s.rstrip(".") for s in p.context), p.question, p.answer)
            rows.append((p, controlled_row(nl, z3, args.semantics, 10.0)))
        wall = time.perf_counter() - start
        correct = sum(r["correct"] for _, r in rows)
        by_hops = {h: (sum(r["correct"] for p, r in rows if p.hops == h), sum(p.hops == h for p, _ in rows))
                   for h in (1, 3, 5)}
        errors = Counter(r.get("reason") for _, r in rows if r["label"] == "Error")
        table.add_row(split, str(seed), str(len(rows)), f"{correct / len(rows):.2%} ({correct}/{len(rows)})",
                      " / ".join(f"{a}/{b}" for a, b in by_hops.values()),
                      str(errors.get("controlled-parse", 0)), f"{wall:.1f}")
        if split == "dev":
            for p, r in rows:
                if not r["correct"]:
                    console.print(f"dev miss {p.id}: gold {p.answer}, got {r['label']} {r.get('detail', '')}",
                                  highlight=False)
    console.print(table)


if __name__ == "__main__":
    main()
