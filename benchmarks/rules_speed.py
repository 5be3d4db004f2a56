"""Checking the shipped rules: per element-check CPU time on duplex.ifc vs a ~1,000-element model,
and cold / warm wall time (each run a fresh process; cold = empty geometry cache).

No real ~1,000-element IFC file is reachable offline (PyPI, npm and Debian packages searched:
ifcopenshell, ifctester, compas-ifc (wheel and sdist), bimdelta, web-ifc, web-ifc-viewer,
web-ifc-three, xeokit-sdk, xeokit-bim-viewer, xeokit-convert, @bimdata/viewer,
openbim-components, bim-fragment, ifc-lbd, ifcplusplus, freecad-common, ifctrano (its example
is a Git-LFS pointer), ifc2osmod, ifclca, bimquake, ifc-ruhsat, constructpy, ifc-data-checker,
checkifc, gendgn, ifcviewx, ifcfast and ifc-spf (generated test fixtures only), ifcclash,
ifcdiff, ifccsv, ifcfm, ifc5d ...; none ships a building someone modelled), so the large model is *real data tiled*:
``--tiles`` copies of duplex.ifc side by side in one file (entity ids renumbered, GlobalIds made
new, each copy's site moved 40 m along x). It has the duplex's element mix and space boundaries,
so a quadratic scan (one pass over all space boundaries per door, as R13 had) shows as a growing
cost per element-check.

Targets (issue 18): per element-check CPU time on the large model at most 2x duplex's; cold < 10 s.

    python benchmarks/rules_speed.py [--tiles 4] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

CHILD = """
import sys, time
c0, t0 = time.process_time(), time.perf_counter()
from rulecheck.ifc import open_model
from rulecheck.rule import load_rules
from rulecheck.check import check_model
from rulecheck import DEFAULT_RULES
c1, t1 = time.process_time(), time.perf_counter()
model = open_model(sys.argv[1], cache_dir=sys.argv[2])
verdicts = check_model(model, load_rules(DEFAULT_RULES))
c2, t2 = time.process_time(), time.perf_counter()
products = sum(1 for p in model.by_type("IfcProduct") if not p.is_a("IfcOpeningElement"))
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {c2 - c1:.3f} {len(verdicts)} {products}")
"""


def tile(src: Path, n: int, out: Path, dx: float = 40.0) -> Path:
    """``n`` copies of an IFC file in one file: ids offset, GlobalIds new, each site moved ``dx`` m."""
    import ifcopenshell
    import ifcopenshell.guid

    text = src.read_text(encoding="utf-8", errors="replace")
    head, rest = text.split("DATA;", 1)
    data, tail = rest.rsplit("ENDSEC;", 1)
    top = max(int(i) for i in re.findall(r"#(\d+)\s*=", data))
    f = ifcopenshell.open(str(src))
    site = f.by_type("IfcSite")[0]
    point = site.ObjectPlacement.RelativePlacement.Location
    parts = []
    for k in range(n):
        body = re.sub(r"#(\d+)", lambda m, k=k: f"#{int(m.group(1)) + k * top}", data)
        if k:
            body = re.sub(r"(IFC\w+\(')([0-9A-Za-z_$]{22})(')", lambda m: m.group(1) + ifcopenshell.guid.new() + m.group(3),
                          body)
            # the site's placement gets a point of its own (the original may be shared by many placements)
            x, y, *z = point.Coordinates
            new = n * top + k
            axis = site.ObjectPlacement.RelativePlacement.id() + k * top
            body = re.sub(rf"(#{axis}\s*=\s*IFCAXIS2PLACEMENT3D\()#\d+", lambda m, new=new: f"{m.group(1)}#{new}", body)
            coords = ",".join(f"{c:.6f}" for c in (x + k * dx / f_scale(f), y, *(z or [0.0])))
            body += f"#{new}=IFCCARTESIANPOINT(({coords}));\n"
        parts.append(body)
    out.write_text(head + "DATA;" + "".join(parts) + "ENDSEC;" + tail, encoding="utf-8")
    return out


def f_scale(f: object) -> float:
    import ifcopenshell.util.unit as uu

    return float(uu.calculate_unit_scale(f))


def run(model: Path, cache: str) -> tuple[float, float, float, float, float, int, int]:
    """Wall, import wall, open+check wall, open+check CPU, whole-process CPU (interpreter, imports,
    open, check, cache write), verdicts, elements."""
    r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(model), cache], capture_output=True, text=True, check=True)
    wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    process = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    imp, chk, cpu, n, products = out.stdout.split()
    return wall, float(imp), float(chk), float(cpu), process, int(n), int(products)


def main() -> None:
    from workbench.data import shared_path

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tiles", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    duplex = shared_path("ifc/duplex.ifc")
    tmp = Path(tempfile.mkdtemp())
    big = tile(duplex, args.tiles, tmp / f"duplex_x{args.tiles}.ifc")
    table = Table(title=f"shipped rules, fresh process per run; load {os.getloadavg()[0]:.1f} (2 cores shared)")
    for col in ("model", "elements", "run", "wall s", "imports s", "open+check s", "CPU s", "process CPU s", "verdicts",
                "CPU ms / verdict", "load"):
        table.add_column(col, justify="left" if col in ("model", "run") else "right")
    per: dict[str, list[float]] = {"duplex": [], "tiled": []}
    for i in range(args.repeat):
        for name, path in (("duplex", duplex), ("tiled", big)):
            with tempfile.TemporaryDirectory() as cache:
                for kind in ("cold", "warm"):
                    load = os.getloadavg()[0]
                    wall, imp, chk, cpu, process, n, products = run(path, cache)
                    if kind == "warm":
                        per[name].append(1000 * cpu / n)
                    table.add_row(path.name, str(products), f"{kind} {i + 1}", f"{wall:.2f}", f"{imp:.2f}", f"{chk:.2f}",
                                  f"{cpu:.2f}", f"{process:.2f}", str(n), f"{1000 * cpu / n:.1f}", f"{load:.1f}")
    console = Console(width=170)
    console.print(table)
    ratio = min(per["tiled"]) / min(per["duplex"])
    console.print(f"CPU per element-check (warm, best of {args.repeat}): tiled {min(per['tiled']):.1f} ms, duplex "
                  f"{min(per['duplex']):.1f} ms: ratio {ratio:.2f} (target <= 2); load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
