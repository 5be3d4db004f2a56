"""English word forms → lemmas, so one concept gets one predicate name.

Known words go through LemmInflect's dictionary (it ships its data in the wheel: nothing is
downloaded at run time); invented words (ProntoQA's ``wumpus``/``wumpuses``, ``sterpus``)
follow the regular English rules, which LemmInflect's own out-of-vocabulary guesser gets wrong
for some of them (``sterpuses`` → ``sterpuse``). Names keep their digits and Unicode letters:
only letters are ever inflected.

>>> noun_lemma("wumpuses"), noun_lemma("sterpuses"), noun_lemma("mice"), noun_lemma("cats")
('wumpus', 'sterpus', 'mouse', 'cat')
>>> verb_lemma("chases"), verb_lemma("flies"), verb_lemma("does"), verb_lemma("sees")
('chase', 'fly', 'do', 'see')
>>> name_key("IsMammals"), name_key("mammal"), name_key("Four_Sided"), name_key("fourSided")
('mammal', 'mammal', 'four_side', 'four_side')
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from workbench.errors import require


@cache
def _lemminflect() -> Any:
    return require("lemminflect", "logic")


#: Irregular plurals LemmInflect's dictionary lacks (checked against ~50 irregular plurals:
#: ``cacti``, ``lice``, ``hooves``, ``vertebrae``... are all there; ``oxen`` is not).
_MISSING_PLURALS = {"oxen": "ox"}


@cache
def known(word: str) -> dict[str, tuple[str, ...]]:
    """LemmInflect's lemmas of a lower-case word by part of speech (``{}``: not in its dictionary)."""
    if word in _MISSING_PLURALS:
        return {"NOUN": (_MISSING_PLURALS[word],)}
    return dict(_lemminflect().getAllLemmas(word))


_SIBILANT_PLURAL = re.compile(r".*(?:ss|sh|ch|x|z|us)es$")


def _regular_singular(word: str) -> str:
    """English's regular plural rules, for words no dictionary knows."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if _SIBILANT_PLURAL.fullmatch(word):
        return word[:-2]
    if word.endswith(("ss", "us", "is")) or not word.endswith("s") or len(word) < 3:
        return word
    return word[:-1]


def _is_letters(word: str) -> bool:
    return word.isalpha()


@cache
def noun_lemma(word: str) -> str:
    """The singular of a (lower-case) noun; a word that is not a plural comes back unchanged.

    >>> noun_lemma("people"), noun_lemma("glasses"), noun_lemma("big2"), noun_lemma("impus")
    ('people', 'glass', 'big2', 'impus')
    """
    if not _is_letters(word):
        return word
    lemmas = known(word)
    if lemmas:
        return lemmas["NOUN"][0] if "NOUN" in lemmas else word
    return _regular_singular(word)


@cache
def verb_lemma(word: str) -> str:
    """The base form of a (lower-case) verb: ``chases`` → ``chase``; invented verbs by rule."""
    if not _is_letters(word):
        return word
    lemmas = known(word)
    for pos in ("VERB", "AUX"):
        if pos in lemmas:
            return lemmas[pos][0]
    return word if lemmas else _regular_singular(word)


def is_plural_noun(word: str) -> bool:
    """Whether a (lower-case) word reads as a plural noun (``cats``, ``wumpuses``), not an
    adjective (``famous``) or a singular (``wumpus``, ``glass``)."""
    if not _is_letters(word):
        return False
    lemmas = known(word)
    if lemmas:
        return "NOUN" in lemmas and lemmas["NOUN"][0] != word and "ADJ" not in lemmas
    return _regular_singular(word) != word


def can_be_plural(word: str) -> bool:
    """`is_plural_noun`, or a noun whose plural is itself (``fish``, ``sheep``, ``deer``).

    >>> can_be_plural("sheep"), can_be_plural("cats"), can_be_plural("cat"), can_be_plural("red")
    (True, True, False, False)
    """
    if is_plural_noun(word):
        return True
    lemmas = known(word)
    if "NOUN" not in lemmas or lemmas["NOUN"][0] != word or "ADJ" in lemmas:
        return False
    return word in _ZERO_PLURALS or _plurals(word)[:1] == (word,)


#: English nouns whose usual plural is the singular, where LemmInflect lists another form
#: first (``fishes``).
_ZERO_PLURALS = frozenset({"fish", "salmon", "trout", "cod", "bison", "aircraft", "offspring", "shrimp",
                           "squid", "swine", "moose", "deer", "sheep", "species", "series"})


@cache
def _plurals(noun: str) -> tuple[str, ...]:
    return tuple(_lemminflect().getInflection(noun, "NNS"))


def is_adjective(word: str) -> bool:
    """Whether LemmInflect knows the (lower-case) word as an adjective."""
    return "ADJ" in known(word)


def is_verb_form(word: str) -> bool:
    """Whether a (lower-case) word is a known verb (any form)."""
    return "VERB" in known(word)


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\W\d_]+|\d+")
#: Leading words that are not part of a concept's name: copulas, articles, and the universal
#: quantifier words a small model writes into a name (``AllRepublican(x) -> AntiAbortion(x)``
#: beside ``Republican(james)``); not ``some`` (an existential in the name is not the concept).
_DROPPED = {"is", "are", "be", "a", "an", "the", "all", "every", "each"}


def split_name(name: str) -> list[str]:
    """The lower-case words of a symbol: camelCase, snake_case and digits split apart.

    >>> split_name("HasFourSides"), split_name("is_a_Mammal2"), split_name("USCitizen")
    (['has', 'four', 'sides'], ['is', 'a', 'mammal', '2'], ['us', 'citizen'])
    """
    return [w.lower() for w in _WORDS.findall(name)]


@cache
def name_key(name: str) -> str:
    """A predicate name's spelling-free key: its words' lemmas, leading copulas and articles
    dropped, joined by ``_``. Two names with one key name one concept (`signature.align`).
    """
    words = split_name(name)
    if not words:  # "_", "__": nothing to read, the name is its own key
        return name
    return _key_of(words)


def _key_of(words: list[str]) -> str:
    while len(words) > 1 and words[0] in _DROPPED:
        words = words[1:]
    return "_".join(_word_lemma(w) for w in words)


#: Words that open a negated name (``NotIsConductor``, ``NonProfit``, ``NeverSleeps``), and the
#: auxiliaries that ``not`` follows in one (``DoesNotLiveInTaxHaven``).
_NEGATIONS = {"not", "non", "no", "never", "isnt", "arent", "doesnt", "dont", "didnt", "cannot", "cant"}
_AUXILIARIES = {"is", "are", "does", "do", "did", "can", "could", "has", "have", "was", "were", "will"}


def negated_key(name: str) -> str | None:
    """The `name_key` of what a negated predicate name denies, or ``None`` for a name that does
    not open with a negation (or is nothing else).

    >>> negated_key("NotIsConductor"), negated_key("DoesNotLiveInTaxHavens"), negated_key("Notable")
    ('conductor', 'live_in_tax_haven', None)
    """
    words = split_name(name)
    if len(words) > 2 and words[0] in _AUXILIARIES and words[1] == "not":
        words = words[1:]
    if len(words) < 2 or words[0] not in _NEGATIONS:
        return None
    return _key_of(words[1:])


def _word_lemma(word: str) -> str:
    if not _is_letters(word):
        return word
    lemmas = known(word)
    if not lemmas:
        return _regular_singular(word)
    for pos in ("NOUN", "VERB", "AUX"):
        if pos in lemmas and lemmas[pos][0] != word:
            return lemmas[pos][0]
    return word
