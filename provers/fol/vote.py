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
