"""K-sample majority vote, exactly as LINC takes it.

LINC drops the Error samples and returns the most common remaining label
(``collections.Counter(labels).most_common(1)``); when every sample is an Error there is no
answer, which LINC scores as wrong — here the vote is ``Error``.

Tie-breaking: ``Counter.most_common`` sorts stably by count, so among labels with the same
count the one that appears **first in sample order** wins. That is LINC's rule, kept so the
accuracy matches its published numbers.

>>> T, F, U, E = Label.TRUE, Label.FALSE, Label.UNCERTAIN, Label.ERROR
>>> majority([E, U, T, T, E])
<Label.TRUE: 'True'>
>>> majority([F, T, T, F])        # tie 2–2: the first seen, False, wins
<Label.FALSE: 'False'>
>>> majority([E, E])
<Label.ERROR: 'Error'>
>>> majority([])
<Label.ERROR: 'Error'>
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from provers.fol.backends.base import Label


def majority(labels: Iterable[Label | str]) -> Label:
    """LINC's vote over non-Error labels (see the module docstring for ties)."""
    valid = [Label(x) for x in labels if Label(x) is not Label.ERROR]
    if not valid:
        return Label.ERROR
    return Counter(valid).most_common(1)[0][0]


def vote_counts(labels: Iterable[Label | str]) -> dict[str, int]:
    """How many samples gave each label (Error included), for reports.

    >>> vote_counts(["True", "Error", "True"])
    {'True': 2, 'Error': 1}
    """
    return dict(Counter(Label(x).value for x in labels))


def fallback_majority(labels: Sequence[Label | str], repaired: Sequence[bool]) -> Label:
    """LINC's vote over the samples that needed no repair; the repaired ones only if that is Error.

    Repairs (renaming a symbol apart, a lenient parse) rescue samples LINC would drop, but a
    sample that needed one is more often a poor translation; letting it outvote clean samples
    costs accuracy, so it only answers when no clean sample does.

    >>> T, F, E = Label.TRUE, Label.FALSE, Label.ERROR
    >>> fallback_majority([T, F, F], [False, True, True])
    <Label.TRUE: 'True'>
    >>> fallback_majority([E, F, F], [False, True, True])
    <Label.FALSE: 'False'>
    """
    clean = [x for x, r in zip(labels, repaired, strict=True) if not r]
    first = majority(clean)
    return first if first is not Label.ERROR else majority(labels)


#: Samples that must refute the conclusion for the vote to be False whatever the others say
#: (`refutations_first`).
REFUTATIONS = 2


def refutations_first(labels: Sequence[Label | str], repaired: Sequence[bool]) -> Label:
    """False when at least `REFUTATIONS` samples (clean or repaired) derive the conclusion's
    negation; otherwise `fallback_majority`.

    Why: a small model's proofs and refutations are not equally trustworthy. A spurious proof
    needs only a lost negation (the conclusion's "not" dropped, which it does often); a spurious
    refutation needs a negation put in and a derivation that connects. On FOLIO dev (the local
    Qwen2.5-Coder-1.5B, K = 5) a False sample was right 8 times in 11, a True one 35 in 79; two
    refutations outvoting the rest took dev from 27 to 29 of 50 and the feedback condition's dev
    rows from 25 to 27, no problem worse (rule R2F, docs/logic.md).

    >>> T, F, U = Label.TRUE, Label.FALSE, Label.UNCERTAIN
    >>> refutations_first([F, T, F, U, U], [True, False, False, False, False])
    <Label.FALSE: 'False'>
    >>> refutations_first([F, T, T, U, U], [False] * 5)
    <Label.TRUE: 'True'>
    """
    if sum(Label(x) is Label.FALSE for x in labels) >= REFUTATIONS:
        return Label.FALSE
    return fallback_majority(labels, repaired)


def weighted_majority(labels: Sequence[Label | str], weights: Sequence[float]) -> Label:
    """The label with the largest total weight over non-Error samples; ties as LINC's vote
    (the label seen first wins); no weight at all is Error.

    `provers.fol.robust.vote_weight` gives the weights: samples that parsed as written count
    fully, repaired ones half, and an Uncertain whose conclusion the premises never mention
    almost nothing.

    >>> T, F, U = Label.TRUE, Label.FALSE, Label.UNCERTAIN
    >>> weighted_majority([U, U, T], [0.09, 0.09, 1.0])
    <Label.TRUE: 'True'>
    >>> weighted_majority([F, T], [0.5, 0.5])
    <Label.FALSE: 'False'>
    >>> weighted_majority([Label.ERROR], [0.0])
    <Label.ERROR: 'Error'>
    """
    total: dict[Label, float] = {}
    for label, weight in zip(labels, weights, strict=True):
        label = Label(label)
        if label is not Label.ERROR and weight > 0:
            total[label] = total.get(label, 0.0) + weight
    if not total:
        return Label.ERROR
    best = max(total.values())
    return next(label for label in total if total[label] >= best - 1e-9)
