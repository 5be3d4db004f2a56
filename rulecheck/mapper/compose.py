"""Clause → typed rule without an LLM, for the common shape of a code requirement:

    subject + measured quantity + comparison + value with unit (+ conditions)

e.g. "Every flight has a minimum clear width of 900mm." → ``for x in stair_flights():
at_least(flight_width(x), 900 mm)``, or "Risers shall be 4 inches (100 mm) high minimum and 7
inches (180 mm) high maximum." → ``between(riser_height(x), 4 in, 7 in)``.

How: `rulecheck.units` finds the quantities (metric and US units, through pint); for each, the
comparison words around it (`lexicon.AT_LEAST` ...), the measure words before it
(`lexicon.MEASURES`, filtered by the quantity's type against the catalogue signature and by
the subjects the clause names), and the subject (`lexicon.SUBJECTS`) give one comparison.
Quantities inside an "if / where / when" part become the precondition. Every rule is built
through `Rule`, so it type-checks by construction.

It **refuses** — with the reason — rather than guess: no quantity with a unit, a quantity in a
unit no catalogue function returns (a U-value, minutes, lux), no comparison word, or no
catalogue function that measures what the clause bounds for the thing it names.

>>> print(compose("Every flight has a minimum clear width of 900mm.").rules[0])
C1: for x in stair_flights(): at_least(flight_width(x), 900 mm)
>>> compose("An upstand should not exceed a U-value of 0.35W/(m2K).").refusal
'the clause bounds 0.35 W/(m2K) (thermal transmittance); no catalogue function measures that'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rulecheck.errors import RuleError
from rulecheck.functions import CATALOGUE
from rulecheck.mapper import lexicon as lx
from rulecheck.rule import Call, Const, Expr, Rule, Var, parse_expr
from rulecheck.units import Quantity, convert, find_quantities, other_quantities, unit_info

#: What a height is measured from ("36 inches from the upper surface of the tread"): not a distance to another thing.
_REFERENCE = (r"^\s*(\w+\s)?from (the )?(upper surface|top|leading edge|surface|finished floor|floor|ground|pitch line|"
              r"nosings?|stair treads?|treads?|walking)")
_EXCLUSION = r",\s*(other than|except|excluding|but not)\b[^,\d]*,"
_RELATIVE = (r"\b(at least|not less than|no less than|no narrower than|not narrower than|as wide as)\s+(the|its)\s+"
             r"(full\s+)?(width|length|height|depth)\s+of\s+(the|a|an|any)\s+\w+\b")
_CONDITION = re.compile(r"\b(if|where|when|whenever|unless|provided that|in (a|an|the)? ?\w+ (with|of|having))\b", re.I)


@dataclass(frozen=True)
class Composition:
    """The rules composed from a clause, or the reason there are none."""

    clause: str
    rules: tuple[Rule, ...] = ()
    refusal: str = ""
    warnings: tuple[str, ...] = ()

    def functions(self) -> list[str]:
        out: list[str] = []
        for r in self.rules:
            out += [f for f in r.functions() if f not in out]
        return out


@dataclass(frozen=True)
class _Part:
    """One comparison read from the clause."""

    subject: lx.Subject
    measure: str
    cmp: str
    values: tuple[Quantity, ...]
    condition: bool
    start: int


def _cue(before: str, after: str) -> str | None:
    """The comparison the words nearest the number state (after-words win: "36 inches minimum")."""
    head = after[:30].lower()
    m_min = re.search(r"^\s*(\w+\s){0,2}?(at (the )?minimum|minimum|min\b|or more|or greater|at least|and over|and above)",
                      head)
    m_max = re.search(r"^\s*(\w+\s){0,2}?(maximum|max\b|or less|and under|and below)", head)
    if m_min and (not m_max or m_min.start(2) < m_max.start(2)):
        return "at_least"
    if m_max:
        return "at_most"
    best: tuple[int, int, str] | None = None
    near = before[-90:]
    for name, pattern in (("at_most", lx.AT_MOST), ("at_least", lx.AT_LEAST), ("greater_than", lx.GREATER),
                          ("less_than", lx.LESS)):
        for m in re.finditer(pattern, near, re.I):
            key = (m.end(), -m.start(), name)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    if best[2] in ("greater_than", "less_than") and re.search(lx.NEGATION, near[max(0, -best[1] - 40):-best[1]], re.I):
        return "at_most" if best[2] == "greater_than" else "at_least"
    return best[2]


def _si(q: Quantity) -> float:
    return Const(q.value, q.unit).si.value


def _type_of(fn: str) -> str:
    return CATALOGUE[fn].returns


def _mentions(text: str) -> list[tuple[int, lx.Subject]]:
    """Every mention of a subject, each phrase claimed by the most specific subject."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, lx.Subject]] = []
    for s in lx.SUBJECTS:
        for m in re.finditer(s.pattern, text, re.I):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if re.search(lx.PART_OF, text[max(0, m.start() - 40):m.start()], re.I):
                taken.append((m.start(), m.end()))  # "the handle to at least one window": a part is measured
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), s))
    return sorted(out, key=lambda p: p[0])


def _measure(text: str, q: Quantity, lo: int, hi: int,
             mentions: list[tuple[int, lx.Subject]]) -> tuple[str, lx.Subject] | None:
    """The catalogue function the words near a quantity name, and the subject it is about.

    Measure words are read between the previous quantity (``lo``) and this one, and right
    after it ("11 inches deep minimum", up to ``hi``). Each candidate is paired with the
    mention of a compatible subject nearest to its words ("the clear width of the door").
    Entries made for a subject win over generic ones (plan width, element height); then the
    words nearest the number; then the subject nearest the words; then catalogue order.
    """
    qtype = unit_info(q.unit)[1]
    start = q.end + len(m.group(0)) if (m := re.match(r"\s*\([^()]*\)", text[q.end:])) else q.end
    if re.match(r"\.\s+[a-z]", text[start:]):  # "50 deg. from horizontal": an abbreviation, not the sentence end
        start += 1
    after_end = start + len(re.split(r"[,;]|\.(?!\d)|\band\b|\bor\b", text[start:min(hi, start + 40)])[0])
    best: tuple[tuple[bool, int, int, int, int], str, lx.Subject] | None = None
    for rank, entry in enumerate(lx.MEASURES):
        if _type_of(entry.function) != qtype:
            continue
        if qtype == "Length" and not (entry.min_si <= _si(q) <= entry.max_si):
            continue
        fits = [(pos, s) for pos, s in mentions
                if (s.key in entry.subjects if entry.subjects else s.key != "building")]
        if not fits:
            continue
        # the first measure word of the phrase is its head ("vertical clearance above any stair tread");
        # a word right after the number ("11 inches deep", "30 inches in depth") is its predicate
        hits = [(q.start - (lo + m.start()), lo + m.start(), lo + m.end())
                for m in re.finditer(entry.pattern, text[lo:q.start], re.I)]
        # words after the number ("500 millimetres in width") are placed at the number for the subject distance
        hits += [(-1 if m.start() <= 12 else 500 + m.start(), q.start, start + m.end())
                 for m in re.finditer(entry.pattern, text[start:after_end], re.I)]
        if not hits:
            continue
        # a word right after the number wins; else the head of the phrase before it; a word far after
        # the number ("2.40 meters measured from the floor to the ceiling") only when nothing comes before
        before_hits = [h for h in hits if 0 <= h[0] < 500]
        gap, at, end = min(hits) if min(hits)[0] < 0 else max(before_hits) if before_hits else max(hits)
        gap = -10_000 if gap < 0 else (-gap if gap >= 500 else gap - 1000)

        # a subject right after the words is theirs ("the width of the door") unless a number or a
        # condition comes between, or the words end in what is measured from ("above the floor of ...")
        after_ok = not re.search(r"(floor|ground|treads?|nosings?|pitch line|landings?)\s*$", text[at:end], re.I)

        def distance(pos: int, at: int = at, end: int = end, after_ok: bool = after_ok) -> int:
            if pos <= at:
                return at - pos
            near = after_ok and pos - end <= 30 and not re.search(r"\d|\b(where|if|when|unless|except)\b", text[end:pos], re.I)
            return pos - end + (0 if near else 100)

        dist, subject = min(((distance(pos), s) for pos, s in fits), key=lambda p: p[0])
        # "a roof with a pitch", "a building no more than 56 metres in height", "the pitch of the roof":
        # the words are about a nearer thing this function does not measure
        if any(distance(pos) < min(dist, 40) and (pos <= at or re.match(r"^\s+of\s+(the|a|an|any|each)?\s*$", text[end:pos]))
               for pos, s in mentions if (pos, s) not in fits):
            continue
        score = (dist <= 80, 1 if entry.subjects else 0, -gap if gap == -10_000 else gap, -dist, -rank)
        if best is None or score > best[0]:
            best = (score, entry.function, subject)
    return (best[1], best[2]) if best else None


def _segments(clause: str, qs: list[Quantity]) -> list[tuple[str, str, bool]]:
    """For each quantity: the words since the previous one, the words after it, and whether it
    sits in an if / where / when part (a precondition)."""
    out = []
    prev = 0
    for i, q in enumerate(qs):
        before = clause[prev:q.start]
        nxt = qs[i + 1].start if i + 1 < len(qs) else len(clause)
        after = re.sub(r"^\s*\([^()]*\)", "", clause[q.end:nxt])
        sentence = clause[:q.start]
        cut = max(sentence.rfind(","), sentence.rfind(";"), sentence.rfind(":"))
        cond_m = list(_CONDITION.finditer(sentence))
        conditional = bool(cond_m) and cond_m[-1].start() > cut
        out.append((before, after, conditional))
        prev = q.end
    return out


def compose(clause: str, rid: str = "C1", source: str = "") -> Composition:
    """Compose the rules a clause states, or refuse with the reason."""
    text = re.sub(r"\s+", " ", clause).strip()
    # an aside without numbers (", where handrails are provided,") names no subject of the requirement
    text = re.sub(r",\s*(where|if|when|unless|as)\b[^,\d]*,", lambda m: " " * len(m.group(0)), text)
    # so does an exclusion (", other than a kitchen,", ", except kitchens,"): it is not what is measured,
    # and a room it names by name is left out by a precondition
    excluded = [m.group(0) for m in re.finditer(_EXCLUSION, text, re.I)]
    text = re.sub(_EXCLUSION, lambda m: " " * len(m.group(0)), text, flags=re.I)
    # a bound relative to another element ("at least the width of the stair") is not a number to check
    relative = [m.group(0).strip() for m in re.finditer(_RELATIVE, text, re.I)]
    text = re.sub(_RELATIVE, lambda m: " " * len(m.group(0)), text, flags=re.I)
    qs = find_quantities(text)
    others = other_quantities(text)
    if not qs:
        if others:
            return Composition(clause, refusal=f"the clause bounds {others[0]}; no catalogue function measures that")
        return Composition(clause, refusal="no quantity with a unit (a length, area, volume, percentage, angle or "
                                           "slope) in the clause: nothing to measure")
    present = [s for _, s in _mentions(text)]
    if not present:
        return Composition(clause, refusal="the clause names no element the catalogue can select (door, stair, "
                                           "ramp, railing, corridor, room, window ...)")
    parts: list[_Part] = []
    segs = _segments(text, qs)
    problems: list[str] = [f"'{r}' is relative to another element; not checked" for r in relative]
    exceptions: set[int] = set()
    mentions = _mentions(text)
    measures: list[tuple[str, lx.Subject] | None] = []
    for i, q in enumerate(qs):
        lo = qs[i - 1].end if i else 0
        hi = qs[i + 1].start if i + 1 < len(qs) else len(text)
        # a thing named in an exception after the number ("..., unless the window is fitted with ...") is not measured
        cut = re.search(r"\b(unless|except|in which case)\b", text[q.end:])
        near = [(pos, s) for pos, s in mentions if not (cut and pos > q.end + cut.start())]
        measures.append(_measure(text, q, lo, hi, near))
    for i in range(len(qs)):  # "between 450mm and 1200mm above floor level": a range shares its measure
        if measures[i] is None and i + 1 < len(qs) and re.match(lx.RANGE_JOIN, text[qs[i].end:qs[i + 1].start]):
            measures[i] = measures[i + 1]
    for i in range(1, len(qs)):  # "7 inches maximum and 4 inches minimum", "not less than A and not more than B"
        gap = re.sub(r"\([^()]*\)", "", text[qs[i - 1].end:qs[i].start])
        if measures[i] is None and measures[i - 1] is not None and len(gap) <= 30 and re.search(r"\band\b", gap) \
                and qs[i].type == qs[i - 1].type:
            measures[i] = measures[i - 1]
    for i, q in enumerate(qs):  # "treads ... 11 in wide, measured from riser to riser": a going, whatever the word
        if (found := measures[i]) and found[1].key == "stair" and re.match(
                r"^[^.;]*?\bmeasured (horizontally )?(from riser to riser|from nosing to nosing|between (the )?nosings)\b",
                text[q.end:], re.I):
            measures[i] = ("going", found[1])
    for i, q in enumerate(qs):  # a railing has one length: its height (no other word needed)
        if measures[i] is None and q.type == "Length" and not segs[i][2]:
            rails = [s for pos, s in mentions if s.key in ("handrail", "railing") and pos < q.start]
            if rails:
                measures[i] = ("railing_height", rails[-1])
    for i, q in enumerate(qs):  # "..., unless ..., in which case 900 mm": an exception, not the requirement
        if i and re.search(r"\b(unless|in which case|except)\b", text[qs[0].end:q.start], re.I):
            measures[i] = None
            exceptions.add(i)
            problems.append(f"{q} belongs to an exception (unless / in which case); only the main requirement is checked")
    for i, (before, after, _) in enumerate(segs):
        if qs[i].type == "Length" and re.match(r"^\s*(\w+\s)?(from|away from|beyond|past|clear of|in front of|behind)\b", after, re.I) \
                and not re.match(_REFERENCE, after, re.I):
            measures[i] = None  # "at least 300mm from any return wall": a distance to something else
        elif re.search(r"\b(spheres?|cubes?|balls?)\b", text[qs[i].start:qs[i].end + 12] + before[-40:], re.I):
            measures[i] = None  # "a 100mm sphere must not pass": the size of a gap, not of the element
            problems.append(f"{qs[i]} bounds a gap (a sphere or cube passing through); no catalogue function measures that")
        elif re.search(r"\b(sum|total) of (these|the|its|their)\b[^.;]*$", before[-60:], re.I):
            measures[i] = None
            problems.append(f"{qs[i]} bounds a sum of measures; only the single measures are checked")
    for i, (q, (before, after, conditional), found) in enumerate(zip(qs, segs, measures, strict=True)):
        if i and found is None and re.match(r"^[\s,]*(plus or minus|\+/-|±)\s*$",
                                            re.sub(r"\([^()]*\)", "", text[qs[i - 1].end:q.start]), re.I):
            if parts:
                parts.append(_Part(parts[-1].subject, parts[-1].measure, "tolerance", (q,), conditional, q.start))
            continue
        if found is None and i in exceptions:
            continue
        if found is None:
            problems.append(f"no catalogue function measures what {q} bounds here "
                            f"(things named: {', '.join(s.key for s in present)})")
            continue
        cmp = _cue(before, after)
        # "not less than 30 inches high or more than 42 inches": the negation covers both bounds
        stem = re.sub(r"\b(more|greater|higher|less|fewer|lower) than\s*$", "", before, flags=re.I)
        if parts and i and cmp in ("greater_than", "less_than") and re.search(r"\bor\s*$", stem, re.I):
            negated = re.search(r"\b(not|no)\s+(\w+\s+)?(less|more) than\s*$", text[:qs[i - 1].start], re.I)
            if negated and (negated.group(3).lower(), cmp) in (("less", "greater_than"), ("more", "less_than")):
                cmp = "at_most" if cmp == "greater_than" else "at_least"
        if cmp is None and parts and re.match(r"^\s*(in|of)?\s*\w+\s+and\s*$", re.sub(r"\([^()]*\)", "", before)):
            cmp = parts[-1].cmp  # "at least 600 mm in height and 500 mm in width": one comparison for both
        parts.append(_Part(found[1], found[0], cmp or "", (q,), conditional, q.start))
    parts = _plus_minus(_ranges(parts, text), text)
    if any(not p.cmp for p in parts):
        p = next(p for p in parts if not p.cmp)
        problems.append(f"no comparison word (at least, at most, between ...) next to {p.values[0]}")
        parts = [p for p in parts if p.cmp]
    checks = [p for p in parts if not p.condition]
    if not checks:
        only_conditions = "the only quantities are in a condition (if / where / when); the requirement itself has none"
        why = only_conditions if all(c for _, _, c in segs) else "; ".join(problems) or only_conditions
        return Composition(clause, refusal=why)
    rules: list[Rule] = []
    by_subject: dict[str, list[_Part]] = {}
    for p in checks:
        by_subject.setdefault(p.subject.key, []).append(p)
    conds = [p for p in parts if p.condition]
    for n, (key, group) in enumerate(by_subject.items()):
        subject = group[0].subject
        check = _conj([_comparison(p) for p in group])
        when_parts = [parse_expr(expr) for pattern, keys, expr in lx.CONDITIONS
                      if key in keys and re.search(pattern, text, re.I)]
        when_parts += [_comparison(c) for c in conds if c.subject.key == key]
        if key in lx.SPACE_SUBJECTS:  # ", other than a kitchen,": not(name_matches(x, "kitchen|küche"))
            when_parts += [parse_expr(f'not(name_matches(x, "{m.group(1)}"))') for ex in excluded
                           for _, other in _mentions(ex) if other.key != key
                           and (m := re.fullmatch(r'named\(.*, "([^"]+)"\)', other.select))]
        try:
            rules.append(Rule(rid if len(by_subject) == 1 else f"{rid}{'abcdefgh'[n]}", clause, source,
                              parse_expr(subject.select), check, _conj(when_parts) if when_parts else None))
        except RuleError as exc:  # a lexicon entry the catalogue does not accept: refuse, never guess
            return Composition(clause, refusal=f"composed rule does not type-check: {exc}")
    for ex in excluded:
        if not any(re.fullmatch(r'named\(.*, "([^"]+)"\)', s.select) for _, s in _mentions(ex)) \
                or not any(s.key in lx.SPACE_SUBJECTS for s in (g[0].subject for g in by_subject.values())):
            problems.append(f"the exclusion '{ex.strip(' ,')}' is not applied")
    return Composition(clause, tuple(rules), warnings=tuple(problems))


def _merge_pairs(parts: list[_Part], join: Callable[[_Part, _Part], _Part | None]) -> list[_Part]:
    """Replace each neighbouring pair that ``join`` merges by the merged part, left to right."""
    out: list[_Part] = []
    i = 0
    while i < len(parts):
        merged = join(parts[i], parts[i + 1]) if i + 1 < len(parts) else None
        out.append(merged or parts[i])
        i += 2 if merged else 1
    return out


def _ranges(parts: list[_Part], text: str) -> list[_Part]:
    """Join "between A and B", "A-B", "A to B" and "A minimum and B maximum" into one `between`."""
    def join(p: _Part, q: _Part) -> _Part | None:
        if not (q.measure == p.measure and q.subject == p.subject and p.values[0].type == q.values[0].type):
            return None
        gap = re.sub(r"\([^()]*\)", "", text[p.values[0].end:q.values[0].start])
        joined = re.match(lx.RANGE_JOIN, gap) is not None
        between_word = re.search(r"\bbetween\b|\bfrom\b", text[max(0, p.start - 25):p.start], re.I) is not None
        min_max = {p.cmp, q.cmp} == {"at_least", "at_most"}
        if not (joined or (between_word and re.match(r"^\s*and\s*$", gap)) or min_max):
            return None
        lo, hi = sorted((p.values[0], q.values[0]), key=_si)
        return _Part(p.subject, p.measure, "between", (lo, hi), p.condition, p.start)

    return _merge_pairs(parts, join)


def _plus_minus(parts: list[_Part], text: str) -> list[_Part]:
    """"42 inches, plus or minus 3 inches" → between(39 in, 45 in) (same unit, via pint)."""
    def join(p: _Part, q: _Part) -> _Part | None:
        centre, tol_q = p.values[0], q.values[0]
        gap = re.sub(r"\([^()]*\)", "", text[centre.end:tol_q.start])
        if len(p.values) != 1 or not re.match(r"^[\s,]*(plus or minus|\+/-|±)\s*$", gap, re.I):
            return None
        tol = convert(tol_q.value, tol_q.unit, centre.unit) if tol_q.unit != centre.unit else tol_q.value
        lo = Quantity(round(centre.value - tol, 6), centre.unit, centre.start, centre.end)
        hi = Quantity(round(centre.value + tol, 6), centre.unit, tol_q.start, tol_q.end)
        return _Part(p.subject, p.measure, "between", (lo, hi), p.condition, p.start)

    return _merge_pairs(parts, join)


def _comparison(p: _Part) -> Expr:
    args: tuple[Expr, ...] = (Call(p.measure, (Var(),)),) + tuple(Const(q.value, q.unit) for q in p.values)
    return Call(p.cmp, args)


def _conj(exprs: list[Expr]) -> Expr:
    out = exprs[0]
    for e in exprs[1:]:
        out = Call("and", (out, e))
    return out
