"""Units of rule constants and clause quantities, through pint (the one units library here).

Two jobs, one table:

* `unit_info` — the unit symbols a rule may write after a number (``775 mm``, ``36 in``,
  ``8.5 m2``, ``20 ft2``, ``25 %``, ``42 deg``, ``1:12``): their SI factor (from pint), their
  catalogue type, and an error that lists every accepted symbol for anything else.
* `find_quantities` — the quantities in clause text, in metric or US units as codes write them:
  ``1,500 millimetres``, ``8.5m2``, ``32 inches (815 mm)``, ``6 feet 8 inches``, ``6'-8"``,
  ``seven feet six inches``, ``1:12``, ``25 per cent``. Each becomes a `Quantity` in a rule
  symbol (compound feet + inches are written in inches) with its span in the text.

Invariant: every factor to SI comes from pint; nothing here hard-codes 0.3048.

>>> unit_info("ft")[:2]
(0.3048, 'Length')
>>> [str(q) for q in find_quantities("a clear width of 32 inches (815 mm) minimum")]
['32 in']
>>> [str(q) for q in find_quantities("at least 6 feet, 8 inches (203 cm) high")]
['80 in']
>>> [str(q) for q in find_quantities("between 550mm and 700mm, slope 1:12, 8.5m2, 7 3/4 inches")]
['550 mm', '700 mm', '1:12', '8.5 m2', '7.75 in']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rulecheck.errors import RuleTypeError

#: Rule unit symbol → (pint expression, catalogue type, SI unit symbol of a `Measure`).
SYMBOLS: dict[str, tuple[str, str, str]] = {
    "mm": ("millimeter", "Length", "m"),
    "cm": ("centimeter", "Length", "m"),
    "m": ("meter", "Length", "m"),
    "in": ("inch", "Length", "m"),
    "ft": ("foot", "Length", "m"),
    "yd": ("yard", "Length", "m"),
    "mm2": ("millimeter**2", "Area", "m2"),
    "cm2": ("centimeter**2", "Area", "m2"),
    "m2": ("meter**2", "Area", "m2"),
    "in2": ("inch**2", "Area", "m2"),
    "ft2": ("foot**2", "Area", "m2"),
    "m3": ("meter**3", "Volume", "m3"),
    "ft3": ("foot**3", "Volume", "m3"),
    "%": ("percent", "Number", ""),
    "deg": ("degree", "Number", "deg"),
    "1:": ("", "Number", ""),
    "": ("", "Number", ""),
}

ACCEPTED = ", ".join(s for s in SYMBOLS if s and s != "1:") + ", and ratios written 1:12"


@lru_cache(maxsize=1)
def registry() -> Any:
    """The pint unit registry (created once per process; about 0.3 s).

    No disk cache: pint's ``:auto:`` cache is keyed by file content but stores absolute
    paths, so a cache written by another installation (another venv, a deleted CI checkout)
    sends the next one to files that no longer exist and every unit fails.
    """
    import pint

    return pint.UnitRegistry()


@lru_cache(maxsize=64)
def unit_info(symbol: str) -> tuple[float, str, str]:
    """``(factor to SI, catalogue type, SI symbol)`` of a rule unit symbol.

    Degrees stay degrees (the catalogue measures angles in degrees); ``1:`` is a ratio.

    Raises
    ------
    RuleTypeError
        An unknown symbol, with the list of accepted ones.
    """
    if symbol not in SYMBOLS:
        raise RuleTypeError(f"unknown unit {symbol!r}; accepted: {ACCEPTED}")
    expr, kind, si = SYMBOLS[symbol]
    if not expr or symbol == "deg":
        return 1.0, kind, si
    q = registry().Quantity(1, expr).to_base_units()
    return round(float(q.magnitude), 15), kind, si


@dataclass(frozen=True)
class Quantity:
    """A quantity found in clause text: value in the rule ``unit`` symbol, and where it was."""

    value: float
    unit: str
    start: int
    end: int

    @property
    def type(self) -> str:
        return SYMBOLS[self.unit][1]

    def __str__(self) -> str:
        if self.unit == "1:":
            return f"1:{self.value:g}"
        return f"{self.value:g} {self.unit}".strip()


_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen".split())} | {w: 10 * i for i, w in enumerate(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_TENS = "|".join(w for w, v in _WORDS.items() if v >= 20)
_ONES = "|".join(w for w, v in _WORDS.items() if 0 < v < 10)
#: "seven", "thirty-two", "eighty", "seven and a half" (longest alternatives first)
_WORD_NUM = (rf"(?:(?:{_TENS})(?:[- ](?:{_ONES}))?|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")"
             r"(?: and a half)?")
# "1 070 mm": the SI thousands separator is a (thin) space
_NUM = (r"\d+ \d/\d{1,2}|\d/\d{1,2}|(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009]\d{3})+(?=\s?[a-zA-Z%])|\d+)(?:\.\d+)?|"
        r"\.\d+|" + _WORD_NUM)
#: Unit words as codes write them → a pint expression (longest first in the pattern).
_UNIT_WORDS = {
    r"millimet(?:re|er)s?|mm": "millimeter", r"centimet(?:re|er)s?|cm": "centimeter",
    r"met(?:re|er)s?|m": "meter", r"inch(?:es)?|in\.?|\"|″|''": "inch", r"f(?:ee|oo)t|ft\.?|'|′|’": "foot",
    r"yards?|yd": "yard",
    r"square met(?:re|er)s?|sq\.? ?m|m2|m²|m\^2": "meter**2", r"square f(?:ee|oo)t|sq\.? ?ft|ft2|ft²|sf": "foot**2",
    r"square inch(?:es)?|sq\.? ?in|in2|in²": "inch**2", r"square millimet(?:re|er)s?|mm2|mm²": "millimeter**2",
    r"cubic met(?:re|er)s?|m3|m³": "meter**3", r"cubic f(?:ee|oo)t|ft3|ft³": "foot**3",
    r"per ?cent|percent|%": "percent", r"degrees?|deg|°|º": "degree",
}
_PINT_TO_SYMBOL = {"millimeter": "mm", "centimeter": "cm", "meter": "m", "inch": "in", "foot": "ft", "yard": "yd",
                   "meter**2": "m2", "foot**2": "ft2", "inch**2": "in2", "millimeter**2": "mm2",
                   "meter**3": "m3", "foot**3": "ft3", "percent": "%", "degree": "deg"}
_UNIT_RE = "|".join(f"(?:{k})" for k in sorted(_UNIT_WORDS, key=len, reverse=True))
_QTY = re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s?-?\s?(?P<unit>{_UNIT_RE})(?![A-Za-z0-9²³])", re.IGNORECASE)
_RATIO = re.compile(r"(?<![\w.:])1\s?:\s?(?P<den>\d+(?:\.\d+)?)(?![\d:])")
#: "6 feet, 8 inches", "6 ft 8 in", "6'-8\"", "seven feet six inches"
_COMPOUND = re.compile(
    rf"(?<![\w.])(?P<ft>{_NUM})\s?(?:f(?:ee|oo)t|ft\.?|'|′|’)\s?[,-]?\s?(?:and\s)?(?P<inch>{_NUM})\s?"
    r"(?:inch(?:es)?|in\.?|\"|″|'')(?![A-Za-z])", re.IGNORECASE)
_RANGE = re.compile(rf"(?<![\w.])(?P<a>{_NUM})\s?(?:-|–|—|to|and)\s?(?P<b>{_NUM})\s?-?\s?(?P<unit>{_UNIT_RE})"
                    r"(?![A-Za-z0-9²³])", re.IGNORECASE)
#: a metric equivalent in brackets after a US value: "32 inches (815 mm)"; the first value is the clause's
_BRACKETED = re.compile(r"\s*\([^()]*\)")


def _number(text: str) -> float:
    """A number as codes write it: ``1,500``, ``9.5``, ``seven``, ``7 3/4``, ``1/2``."""
    t = text.lower().strip()
    half = 0.5 if t.endswith(" and a half") else 0.0
    t = t.removesuffix(" and a half")
    words = re.split(r"[- ]", t)
    if all(w in _WORDS for w in words):
        return float(sum(_WORDS[w] for w in words)) + half
    if "/" in t:
        whole, _, frac = t.rpartition(" ")
        num, den = frac.split("/")
        return (float(whole) if whole else 0.0) + float(num) / float(den)
    return float(re.sub(r"[,\s]", "", t))


def _symbol(unit_text: str) -> str:
    for pattern, expr in _UNIT_WORDS.items():
        if re.fullmatch(pattern, unit_text, re.IGNORECASE):
            return _PINT_TO_SYMBOL[expr]
    raise RuleTypeError(f"unknown unit {unit_text!r}; accepted: {ACCEPTED}")


def convert(value: float, unit: str, to: str) -> float:
    """``value`` in rule unit ``unit`` expressed in ``to`` (same type), via pint.

    >>> round(convert(80, "in", "m"), 3)
    2.032
    """
    f1, t1, _ = unit_info(unit)
    f2, t2, _ = unit_info(to)
    if t1 != t2:
        raise RuleTypeError(f"cannot convert {unit} ({t1}) to {to} ({t2})")
    return value * f1 / f2


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` in reading order; metric equivalents in brackets are skipped.

    A bare number without a unit (a count: "3 storeys") is not a quantity here.
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def skip_brackets(end: int) -> None:
        m = _BRACKETED.match(text, end)
        if m and re.search(r"\d", m.group(0)):
            taken.append((m.start(), m.end()))

    for m in _RANGE.finditer(text):  # "700-1000mm", "between 200 and 300 millimetres": the unit is shared
        if re.fullmatch(rf"(?:{_TENS})[- ](?:{_ONES})", text[m.start("a"):m.end("b")], re.IGNORECASE):
            continue  # "thirty-two inches" is one number
        symbol = _symbol(m.group("unit"))
        found.append(Quantity(_number(m.group("a")), symbol, m.start("a"), m.end("a")))
        found.append(Quantity(_number(m.group("b")), symbol, m.start("b"), m.end()))
        taken.append((m.start(), m.end()))
        skip_brackets(m.end())
    for m in _COMPOUND.finditer(text):
        if not free(m.start(), m.end()):
            continue
        inches = convert(_number(m.group("ft")), "ft", "in") + _number(m.group("inch"))
        found.append(Quantity(round(inches, 6), "in", m.start(), m.end()))
        taken.append((m.start(), m.end()))
        skip_brackets(m.end())
    for m in _RATIO.finditer(text):
        if free(m.start(), m.end()):
            found.append(Quantity(float(m.group("den")), "1:", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _QTY.finditer(text):
        if not free(m.start(), m.end()):
            continue
        unit = m.group("unit")
        if unit in ("'", "′", "’", '"', "″", "''") and not re.match(r"\d", m.group("num")):
            continue  # a quote after a number word is punctuation
        if unit.lower() in ("in", "in.") and re.match(r"\s*(?:the|a|an|any|each|every)\b", text[m.end():], re.I):
            continue  # "2 in the ..." is a preposition
        found.append(Quantity(_number(m.group("num")), _symbol(unit), m.start(), m.end()))
        taken.append((m.start(), m.end()))
        skip_brackets(m.end())
    found.sort(key=lambda q: q.start)
    out: list[Quantity] = []
    for q in found:  # drop an equivalent in brackets right after a kept quantity, whichever pass found it
        prev = out[-1] if out else None
        bracket = _BRACKETED.match(text, prev.end) if prev else None
        if prev and bracket and bracket.start() <= q.start < bracket.end():
            continue
        out.append(q)
    return out


_OTHER = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<unit>W\s?/\s?\(?m2?²?\s?·?K\)?|W/m²K|kW|kWh|W|minutes?|mins?|hours?|h\b|seconds?|"
    r"lux|lx|dB|kN|N/m2|kg|Pa|kPa|°C|l/s|litres?|liters?|m/s|Hz|years?|persons?|people|occupants)(?![A-Za-z])",
    re.IGNORECASE)


#: Names of the dimensionalities codes bound most often besides lengths and areas.
_KINDS = {"[mass] / [temperature] / [time] ** 3": "thermal transmittance", "[time]": "time",
          "[mass] / [time] ** 3 / [temperature]": "thermal transmittance", "[length] ** 2 * [mass] / [time] ** 3": "power",
          "[luminosity] / [length] ** 2": "illuminance", "[length] * [mass] / [time] ** 2": "force",
          "[mass] / [length] / [time] ** 2": "pressure", "[mass]": "mass", "[temperature]": "temperature",
          "[length] / [time]": "speed", "[length] ** 3 / [time]": "flow rate", "[length] ** 3": "volume (litres)",
          "1 / [time]": "frequency", "[mass] / [time] ** 3": "power per area"}


def other_quantities(text: str) -> list[str]:
    """Quantities in units no catalogue type has (thermal transmittance, time, light, force ...).

    >>> other_quantities("a U-value of 0.35 W/(m2K) and 30 minutes fire resistance")
    ['0.35 W/(m2K) (thermal transmittance)', '30 minutes (time)']
    """
    out = []
    for m in _OTHER.finditer(text):
        unit = m.group("unit")
        try:
            expr = re.sub(r"m2|m²", "m**2", unit.replace("·", "*").replace("(", "").replace(")", ""))
            expr = re.sub(r"m\*\*2\s?\*?\s?K", "(m**2*K)", expr).replace("°C", "degC").replace("l/s", "L/s")
            dim = str(registry().Quantity(1, expr).dimensionality)
            dim = _KINDS.get(dim, dim)
        except Exception:  # pint cannot read it: still not a catalogue quantity
            dim = "not a length, area or volume"
        out.append(f"{m.group('num')} {unit} ({dim})")
    return out


def display(value: float, si_unit: str, like: str) -> str:
    """An SI value written in the rule unit ``like`` (the unit the clause used), with the SI value
    in brackets when they differ: ``30 in (0.762 m)``, ``29.4 %``, ``1:11.5``.

    >>> display(0.762, "m", "in"), display(0.2945, "", "%"), display(0.087, "", "1:"), display(0.8, "m", "mm")
    ('30 in (0.762 m)', '29.4 %', '1:11.5', '800 mm')
    """
    if like == "1:":
        return f"1:{1 / value:.1f}" if value > 0 else "level"
    if like == "%":
        return f"{value * 100:.1f} %"
    if like in ("", "deg") or like not in SYMBOLS or SYMBOLS[like][2] != si_unit:
        return f"{value:.3f} {si_unit}".strip() if si_unit else f"{value:.3g}"
    shown = value / unit_info(like)[0]
    text = f"{shown:.4g} {like}" if abs(shown) < 1000 else f"{shown:.0f} {like}"
    text = text.replace("e+", "E")
    return text if like in ("m", "m2", "m3", "mm", "cm") else f"{text} ({value:.3f} {si_unit})"


def display_gap(gap: float, si_unit: str, like: str) -> str:
    """A difference (a shortfall) in the clause's unit: ``2 in``, ``4.5 points``, ``0.038 m``.

    >>> display_gap(0.0508, "m", "in"), display_gap(0.0445, "", "%"), display_gap(0.038, "m", "mm")
    ('2 in', '4.5 percentage points', '38 mm')
    """
    if like == "%":
        return f"{gap * 100:.1f} percentage points"
    if like == "1:" or like in ("", "deg") or like not in SYMBOLS or SYMBOLS[like][2] != si_unit:
        return f"{gap:.3f} {si_unit}".strip() if si_unit else f"{gap:.3g}"
    return f"{_num(gap / unit_info(like)[0])} {like}"


def _num(v: float) -> str:
    """Three significant figures without an exponent: 1300, 38, 3.75, 0.05."""
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}"
