"""Record a REPL session for the README: the installed `workbench` driven through a pty.

The transcript is what a user sees in a 100-column terminal, colours stripped, prompts and
typed lines included. It is recorded, not written: rerun this after changing the REPL and
paste the output (or use ``--readme`` to replace the block between the README's markers).

    python scripts/record_repl.py                # print the transcript
    python scripts/record_repl.py --readme       # rewrite the transcript block in README.md
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from workbench.app.repl.pty import PtyRepl

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- repl-transcript:begin -->", "<!-- repl-transcript:end -->"

#: Three parts: logic (controlled English + Z3), causal (JKZ smoking table), building rules (duplex).
SESSION = [
    "assume Bob is big. Big things are red. If something is red and not cold then it is rough.",
    "ask Bob is red",
    "ask Bob is rough",
    "fol all x.(Dog(x) ->",
    "model smoking",
    "do S=1 -> C=1",
    "identify P(C | do(S))",
    "ifc duplex.ifc",
    "check --only R03",
    "undo",
    "objects",
]


def record(lines: list[str], data: Path) -> str:
    """Run ``lines`` in a fresh REPL (empty history, cwd = a folder linking the shared IFC file)."""
    work = Path(tempfile.mkdtemp(prefix="wb-rec-"))
    (work / "duplex.ifc").symlink_to(data / "ifc" / "duplex.ifc")
    repl = PtyRepl(work, work / "cache", columns=100, timeout=180)
    out: list[str] = ["$ workbench", repl.banner.rstrip("\n")]
    for n, line in enumerate(lines, start=1):
        shown = repl.run(line)
        out.append(f"wb[{n}]> {line}")
        if shown.strip():
            out.append(shown.rstrip("\n"))
    repl.quit()
    out.append(f"wb[{len(lines) + 1}]> quit")
    return "\n".join(s.rstrip() for s in "\n".join(out).split("\n"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readme", action="store_true", help="Replace the transcript block in README.md.")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("WORKBENCH_DATA", ROOT.parent / "shared" / "data")))
    args = ap.parse_args()
    transcript = record(SESSION, args.data)
    if not args.readme:
        print(transcript)
        return
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    readme.write_text(text[:start] + "\n```text\n" + transcript + "\n```\n" + text[stop:], encoding="utf-8")
    print(f"README.md: transcript of {len(SESSION)} commands written")


if __name__ == "__main__":
    main()
