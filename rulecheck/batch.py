"""Rule checking as batch work: one item per (IFC model, rule), checked in a `workbench.jobs` worker.

The ``rules-check`` kind of ``workbench batch``. `items` reads the rules file in the driver
(so a bad rule stops the job before anything runs) and pairs every rule with every model;
`check_item` opens the model once per worker process (a worker checks many rules on it) and
returns the rule's verdicts on it with their counts. A fail verdict is a result, not a
failure: ``ok`` is false only when the check could not run (a missing or unreadable model).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from rulecheck import DEFAULT_RULES
from rulecheck.check import FAIL, NA, PASS

#: The three IFC models in the shared data folder.
SHARED_MODELS = ("AC20-FZK-Haus.ifc", "duplex.ifc", "IfcOpenHouse_IFC4.ifc")


def _model_path(name: str) -> Path:
    """``name`` as given when it exists, else the shared ``ifc/`` file of that name."""
    p = Path(name)
    if p.exists():
        return p.resolve()
    from workbench.data import shared_path

    return shared_path(f"ifc/{name}")


def items(models: list[str] | None = None, rules: str | None = None) -> list[dict[str, Any]]:
    """One item per (model, rule); ``models`` default to the shared ones, ``rules`` to the shipped file.

    Raises
    ------
    RuleError
        When the rules file is unreadable or holds an invalid rule (with file and rule id).

    >>> import tempfile, pathlib
    >>> house = pathlib.Path(tempfile.mkdtemp()) / "house.ifc"
    >>> _ = house.write_text("")    # items only name the model; a worker opens it
    >>> its = items([str(house)])
    >>> len(its) == len(load(str(DEFAULT_RULES))), its[0]["id"]
    (True, 'house.ifc:R01')
    """
    rules_path = Path(rules).resolve() if rules else DEFAULT_RULES
    ids = list(load(str(rules_path)))
    out = []
    for name in models or list(SHARED_MODELS):
        path = _model_path(name)
        out += [{"id": f"{path.name}:{rid}", "model": str(path), "rules": str(rules_path), "rule": rid} for rid in ids]
    return out


@lru_cache(maxsize=8)
def load(rules: str) -> dict[str, Any]:
    """The rules of a file by id (read once per process)."""
    from rulecheck.rule import load_rules

    return {r.id: r for r in load_rules(rules)}


@lru_cache(maxsize=4)
def _open(path: str) -> Any:
    from rulecheck.ifc import open_model

    return open_model(path)


def check_item(item: dict[str, Any]) -> dict[str, Any]:
    """Check one rule on one model: its verdicts and their counts.

    Raises
    ------
    RuleError
        When the model cannot be opened or the rule id is not in the rules file (the runner
        records either as a failed row).
    """
    from rulecheck.check import check_rule
    from rulecheck.errors import RuleError

    model = _open(item["model"])
    rules = load(item["rules"])
    if item["rule"] not in rules:
        raise RuleError(f"no rule {item['rule']!r}", where=item["rules"])
    verdicts = check_rule(model, rules[item["rule"]])
    with contextlib.suppress(OSError):  # the geometry cache is an optimisation; another worker may be writing it
        model.save_geometry_cache()
    counts = Counter(v.status for v in verdicts)
    return {"model": Path(item["model"]).name, "rule": item["rule"], PASS: counts[PASS], FAIL: counts[FAIL],
            NA: counts[NA], "verdicts": [v.to_json() for v in verdicts]}


def summary(rows: list[dict[str, Any]]) -> Any:
    """Verdict counts per model (rows of rules that could not run are counted apart)."""
    from rich.table import Table

    table = Table(title="rules-check: verdicts per model")
    for col in ("model", "rules", PASS, FAIL, NA, "errors"):
        table.add_column(col, justify="left" if col == "model" else "right")
    per: dict[str, Counter[str]] = {}
    for r in rows:
        c = per.setdefault(str(r.get("model") or str(r.get("id", "")).split(":")[0]), Counter())
        c["rules"] += 1
        if r.get("ok", True):
            for s in (PASS, FAIL, NA):
                c[s] += int(r.get(s, 0))
        else:
            c["errors"] += 1
    for model, c in sorted(per.items()):
        table.add_row(model, *(str(c[k]) for k in ("rules", PASS, FAIL, NA, "errors")))
    return table
