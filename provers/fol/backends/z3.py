"""Z3 (``z3-solver``) as a first-order backend, in process.

Formulas are translated over one uninterpreted sort ``U``: constants are ``U`` constants,
function symbols ``U^n → U``, predicates ``U^n → Bool`` (0-ary predicates are Booleans). A
symbol's Z3 name carries its kind and arity (``P/1``), so a name used two ways does not clash
inside Z3 (`provers.fol.signature` decides whether such input is an error).

premises ∧ ¬conclusion unsat → True (evidence: the premises in Z3's unsat core);
premises ∧ conclusion unsat → False; both satisfiable → Uncertain (evidence: a model where
the premises hold and the conclusion fails). The time limit is one budget for the whole call:
each check gets what is left of it as Z3's own ``timeout``, and a timer interrupts the context
at the deadline; hitting it is Error ``timeout``, and Z3 giving up for incompleteness
(quantifiers) is Uncertain with that reason as evidence.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from provers.fol.backends.base import Evidence, Label, Verdict, limit_verdict, register
from provers.fol.syntax import (
    And,
    Const,
    Eq,
    Exists,
    Forall,
    Formula,
    Func,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    Xor,
)


class Z3Translation:
    """A context that turns formulas into Z3 expressions over one sort (no global state)."""

    def __init__(self, ctx: object | None = None) -> None:
        import z3

        self.z3 = z3
        self.ctx = ctx if ctx is not None else z3.Context()
        self.sort = z3.DeclareSort("U", self.ctx)
        self._decls: dict[tuple[str, str, int], object] = {}

    def _decl(self, kind: str, name: str, arity: int) -> object:
        key = (kind, name, arity)
        if key not in self._decls:
            z3 = self.z3
            label = f"{name}/{arity}" if kind == "f" else f"{name}?{arity}"
            rng = self.sort if kind == "f" else z3.BoolSort(self.ctx)
            if arity == 0:
                self._decls[key] = z3.Const(label, rng)
            else:
                self._decls[key] = z3.Function(label, *([self.sort] * arity), rng)
        return self._decls[key]

    def term(self, t: Term, env: dict[str, object]) -> object:
        if isinstance(t, Var):
            if t.name in env:
                return env[t.name]
            return self._decl("f", t.name, 0)
        if isinstance(t, Const):
            return self._decl("f", t.name, 0)
        assert isinstance(t, Func)
        return self._decl("f", t.name, len(t.args))(*(self.term(a, env) for a in t.args))  # type: ignore[operator]

    def formula(self, f: Formula, env: dict[str, object] | None = None) -> object:
        z3 = self.z3
        env = env or {}
        if isinstance(f, Pred):
            d = self._decl("p", f.name, len(f.args))
            return d(*(self.term(a, env) for a in f.args)) if f.args else d  # type: ignore[operator]
        if isinstance(f, Eq):
            return self.term(f.left, env) == self.term(f.right, env)
        if isinstance(f, Not):
            return z3.Not(self.formula(f.body, env))
        if isinstance(f, Forall | Exists):
            v = z3.Const(f"{f.var.name}!{len(env)}", self.sort)
            body = self.formula(f.body, {**env, f.var.name: v})
            return (z3.ForAll if isinstance(f, Forall) else z3.Exists)([v], body)
        left, right = self.formula(f.left, env), self.formula(f.right, env)
        if isinstance(f, And):
            return z3.And(left, right)
        if isinstance(f, Or):
            return z3.Or(left, right)
        if isinstance(f, Xor):
            return z3.Xor(left, right)
        if isinstance(f, Implies):
            return z3.Implies(left, right)
        assert isinstance(f, Iff)
        return left == right


@register("z3")
class Z3Backend:
    """Z3 deciding entailment over uninterpreted sorts; see the module docstring."""

    name = "z3"

    def __init__(self) -> None:
        pass

    def decide(self, premises: Sequence[Formula], conclusion: Formula, timeout: float = 10.0) -> Verdict:
        """Refute, then confirm; ``timeout`` is one wall budget for the translation and both checks.

        Each check gets what is left of the budget as Z3's ``timeout``; a timer also interrupts
        the context at the deadline, since Z3 polls its own limit only between steps.
        """
        too_deep = limit_verdict(self.name, premises, conclusion)
        if too_deep is not None:
            return too_deep
        start = time.perf_counter()
        deadline = start + timeout
        tr = Z3Translation()
        z3 = tr.z3
        timer = threading.Timer(timeout + 0.05, tr.ctx.interrupt)  # type: ignore[attr-defined]
        timer.daemon = True
        timer.start()
        try:
            return self._decide(tr, premises, conclusion, timeout, start, deadline)
        except z3.Z3Exception as exc:  # an interrupt mid-translation, or Z3 refusing input
            seconds = time.perf_counter() - start
            if seconds >= timeout:
                return Verdict.error(self.name, "timeout", f"Z3 hit the {timeout:g} s limit", seconds)
            return Verdict.error(self.name, "fatal", f"Z3: {exc}", seconds)
        finally:
            timer.cancel()

    def _decide(self, tr: Z3Translation, premises: Sequence[Formula], conclusion: Formula,
                timeout: float, start: float, deadline: float) -> Verdict:
        z3 = tr.z3
        prem = []
        for p in premises:  # the translation runs in Python, where the interrupt cannot reach
            if time.perf_counter() > deadline:
                return Verdict.error(self.name, "timeout", f"Z3 hit the {timeout:g} s limit while translating",
                                     time.perf_counter() - start)
            prem.append(tr.formula(p))
        goal = tr.formula(conclusion)

        def check(extra: object) -> tuple[object, object]:
            s = z3.Solver(ctx=tr.ctx)
            left = deadline - time.perf_counter()
            if left <= 0:
                return z3.unknown, None
            s.set("timeout", max(1, int(left * 1000)))
            names = [z3.Bool(f"premise_{i + 1}", tr.ctx) for i in range(len(prem))]
            for n, p in zip(names, prem, strict=True):
                s.assert_and_track(p, n)
            s.add(extra)
            return s.check(), s

        refute, s1 = check(z3.Not(goal))
        if refute == z3.unsat:
            core = sorted(str(c) for c in s1.unsat_core())  # type: ignore[attr-defined]
            return Verdict(Label.TRUE, self.name, time.perf_counter() - start,
                           Evidence("proof", "unsat with " + (", ".join(core) or "no premises")))
        counter_model = s1.model() if refute == z3.sat else None  # type: ignore[attr-defined]
        confirm, s2 = check(goal)
        if confirm == z3.unsat:
            core = sorted(str(c) for c in s2.unsat_core())  # type: ignore[attr-defined]
            return Verdict(Label.FALSE, self.name, time.perf_counter() - start,
                           Evidence("proof", "premises ∧ conclusion unsat with " + (", ".join(core) or "no premises")))
        seconds = time.perf_counter() - start
        if refute == z3.sat and confirm == z3.sat:
            return Verdict(Label.UNCERTAIN, self.name, seconds,
                           Evidence("model", _show_model(counter_model)))
        reasons = {s.reason_unknown() if s is not None else "timeout"  # type: ignore[attr-defined]
                   for s, r in ((s1, refute), (s2, confirm)) if r == z3.unknown}
        if seconds >= timeout or any("timeout" in r or "canceled" in r or "interrupt" in r for r in reasons):
            return Verdict.error(self.name, "timeout", f"Z3 hit the {timeout:g} s limit", seconds)
        return Verdict(Label.UNCERTAIN, self.name, seconds,
                       Evidence("output", "Z3 could not decide: " + "; ".join(sorted(reasons))))


def _show_model(model: Any) -> str:
    if model is None:
        return ""
    shown = [f"{d.name()} = {model[d]}" for d in model.decls()
             if not d.name().startswith("premise_")]
    text = "; ".join(sorted(shown))
    return text if len(text) < 4000 else text[:4000] + " ..."
