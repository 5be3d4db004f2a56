"""The catalogue of atomic functions: a registry filled by the `atomic` decorator.

Every function takes an `Env` first (the model and the element bound to ``x``) and then its
typed arguments. Types are names (the annotations, read as strings):

=========== =====================================================================
``Element`` one IFC entity                ``Elements`` a tuple of entities
``Length``  `Measure` in m                ``Area`` `Measure` in m2   ``Volume`` m3
``Number``  dimensionless `Measure`       ``Bool``  a Python bool
``String``  text                          ``Q``     any of Length/Area/Volume/Number,
                                                    the same one for every ``Q`` of a call
``Fn``      the name (a string) of a catalogue function ``(x: Element) -> Q`` (binds ``Q``)
``Pred``    the name (a string) of a catalogue function ``(x: Element) -> Bool``
=========== =====================================================================

Registering a name twice is an error (the registry is extended, never edited in place).

Example
-------
>>> from rulecheck.functions import CATALOGUE
>>> CATALOGUE["door_clear_width"].signature
'door_clear_width(x: Element) -> Length'
>>> len(CATALOGUE) >= 40
True
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from rulecheck.errors import RuleError, UnknownFunction
from rulecheck.ifc import Measure, Model

#: The value types a rule expression can have.
TYPES = ("Element", "Elements", "Length", "Area", "Volume", "Number", "Bool", "String", "Q", "Fn", "Pred")
NUMERIC = ("Length", "Area", "Volume", "Number")
#: Unit symbol of each numeric type.
UNIT_OF = {"Length": "m", "Area": "m2", "Volume": "m3", "Number": ""}

#: Categories, in the order the catalogue is listed.
CATEGORIES = ("selection", "property", "geometry", "domain", "topology", "aggregation", "logic")


@dataclass(frozen=True)
class Env:
    """What a function sees: the model and the element currently bound to ``x`` (or None)."""

    model: Model
    x: Any = None


@dataclass(frozen=True)
class AtomicFunction:
    """One catalogue entry.

    Parameters
    ----------
    name:
        Identifier used in rule expressions.
    category:
        One of `CATEGORIES`.
    params:
        ``((name, type), ...)`` in call order (the `Env` is not listed).
    returns:
        The result type.
    description:
        One or two sentences a retriever or an LLM can match clause text against.
    examples:
        Rule expressions using the function; each must parse and type-check.
    impl:
        The Python callable ``impl(env, *args)``.
    """

    name: str
    category: str
    params: tuple[tuple[str, str], ...]
    returns: str
    description: str
    examples: tuple[str, ...]
    impl: Callable[..., Any]

    @property
    def signature(self) -> str:
        """``name(p: T, ...) -> R``."""
        args = ", ".join(f"{n}: {t}" for n, t in self.params)
        return f"{self.name}({args}) -> {self.returns}"

    def __str__(self) -> str:
        return self.signature

    def card(self) -> str:
        """Signature, description and examples as one text (for retrieval and prompts)."""
        return f"{self.signature}\n  {self.description}\n  e.g. " + "; ".join(self.examples)


class Catalogue:
    """Name → `AtomicFunction`, rejecting duplicate names."""

    def __init__(self) -> None:
        self._functions: dict[str, AtomicFunction] = {}

    def register(self, fn: AtomicFunction) -> AtomicFunction:
        """Add ``fn``; raise `RuleError` if its name is taken or its types are unknown."""
        if fn.name in self._functions:
            raise RuleError(f"atomic function {fn.name!r} is already registered", where="catalogue")
        for _, t in (*fn.params, ("return", fn.returns)):
            if t not in TYPES:
                raise RuleError(f"unknown type {t!r} in {fn.signature}", where="catalogue")
        if fn.category not in CATEGORIES:
            raise RuleError(f"unknown category {fn.category!r} of {fn.name}", where="catalogue")
        self._functions[fn.name] = fn
        return fn

    def __getitem__(self, name: str) -> AtomicFunction:
        try:
            return self._functions[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self._functions), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownFunction(f"no atomic function named {name!r}{hint}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._functions

    def __iter__(self) -> Iterator[AtomicFunction]:
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return iter(sorted(self._functions.values(), key=lambda f: (order[f.category], f.name)))

    def __len__(self) -> int:
        return len(self._functions)

    def names(self) -> list[str]:
        """All names, in catalogue order."""
        return [f.name for f in self]


CATALOGUE = Catalogue()


def atomic(
    category: str, description: str, examples: tuple[str, ...] | list[str]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated ``impl(env, ...)`` in `CATALOGUE`, typed by its annotations.

    The annotations are read as strings (modules use ``from __future__ import annotations``),
    so they must be names from `TYPES`.
    """

    def wrap(impl: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(impl)
        params = tuple((p.name, str(p.annotation)) for p in list(sig.parameters.values())[1:])
        CATALOGUE.register(
            AtomicFunction(
                name=impl.__name__.rstrip("_"),
                category=category,
                params=params,
                returns=str(sig.return_annotation),
                description=description,
                examples=tuple(examples),
                impl=impl,
            )
        )
        return impl

    return wrap


def measure(value: float, type_: str, note: str = "") -> Measure:
    """A `Measure` of a numeric type (``"Length"`` → unit ``m``)."""
    return Measure(float(value), UNIT_OF[type_], note)


# Names for the annotations of catalogue functions (read as strings by `atomic`).
Element: TypeAlias = Any
Elements: TypeAlias = tuple[Any, ...]
Length: TypeAlias = Measure
Area: TypeAlias = Measure
Volume: TypeAlias = Measure
Number: TypeAlias = Measure
Q: TypeAlias = Measure
Bool: TypeAlias = bool
String: TypeAlias = str
Fn: TypeAlias = str
Pred: TypeAlias = str
