"""DoWhy's estimates of average treatment effects, for `benchmarks/causal_estimate.py`.

Runs in its own interpreter: DoWhy 0.14 pins ``scipy<=1.15.3`` and pulls numba, cvxpy and
causal-learn, which conflict with the project's environment (scipy 1.17), so it is not a
dependency of the workbench. Make its environment once (offline from PyPI, no torch):

    python -m venv /path/dowhy-venv && /path/dowhy-venv/bin/pip install dowhy==0.14

Reads one JSON job list on stdin, ``{"jobs": [{"id", "csv", "edges", "treatment", "outcome",
"methods"}]}``, and prints one JSON line per (job, method): the ATE ``E[Y | do(X=1)] -
E[Y | do(X=0)]`` and the seconds DoWhy took (model, identification, estimation; not the import).
"""

from __future__ import annotations

import json
import logging
import sys
import time
import warnings


def main() -> None:
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    t0 = time.perf_counter()
    import dowhy
    import networkx as nx
    import pandas as pd
    from dowhy import CausalModel

    print(json.dumps({"dowhy": dowhy.__version__, "import_s": time.perf_counter() - t0}), flush=True)
    for job in json.load(sys.stdin)["jobs"]:
        data = pd.read_csv(job["csv"])
        graph = nx.DiGraph([tuple(e) for e in job["edges"]])
        for method in job["methods"]:
            d = data.copy()
            lo, hi = 0, 1
            if "propensity" in method:  # DoWhy's propensity estimators want a boolean treatment
                d[job["treatment"]] = d[job["treatment"]].astype(bool)
                lo, hi = False, True
            t = time.perf_counter()
            try:
                model = CausalModel(data=d, treatment=job["treatment"], outcome=job["outcome"], graph=graph)
                estimand = model.identify_effect(proceed_when_unidentifiable=True)
                value = float(model.estimate_effect(estimand, method_name=method, control_value=lo,
                                                    treatment_value=hi).value)
                row = {"id": job["id"], "method": method, "ate": value, "seconds": time.perf_counter() - t}
            except Exception as exc:  # a DoWhy failure is a result of the comparison, not a crash
                row = {"id": job["id"], "method": method, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
