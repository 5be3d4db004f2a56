"""LSP latency: inlay hints for a 2,000-line file (target 300 ms) and an edit re-analysed (100 ms).

Starts ``python -m typeinfer.lsp`` as a real stdio server, warms it up on a small file, then
for each repetition opens a *fresh* URI holding the first 2,000 lines of a real TypeScript
source (zod's ``v4/classic/schemas.ts`` from the corpus cache; a generated file if absent) and
times open → full-range inlay hints (the whole analysis), open → hints for a 60-line viewport
(what an editor asks first), then an edit inside a function → hints again (the incremental
path). Prints medians and maxima, and the machine's load average (timings scale with it).

Run:  python benchmarks/types_lsp.py [--reps 5] [--lines 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from lsprotocol import types as lsp
from pytest_lsp import make_test_lsp_client
from rich.console import Console
from rich.table import Table

from typeinfer.corpus import fetch


def sample(lines: int) -> str:
    """The first ``lines`` lines of a real file (or a generated one without the corpus)."""
    try:
        text = (fetch("zod", "4.6.7") / "src/v4/classic/schemas.ts").read_text(encoding="utf-8")
        out = text.split("\n")
        while len(out) < lines:
            out += out
        return "\n".join(out[:lines])
    except Exception:
        return "".join(f"function f{i}(x, s = 'a') {{ const v = x * {i}; return s + v; }}\n"
                       for i in range(lines))


async def run(reps: int, lines: int) -> list[tuple[float, float, int, float]]:
    client = make_test_lsp_client()
    await client.start_io(sys.executable, "-m", "typeinfer.lsp")
    await client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    text = sample(lines)
    full = lsp.Range(lsp.Position(0, 0), lsp.Position(lines + 10, 0))

    async def hints(uri: str, rng: lsp.Range = full) -> list[lsp.InlayHint]:
        return list(await client.text_document_inlay_hint_async(
            lsp.InlayHintParams(lsp.TextDocumentIdentifier(uri), rng)) or [])

    view = lsp.Range(lsp.Position(lines // 2, 0), lsp.Position(lines // 2 + 60, 0))

    def open_(uri: str, body: str) -> None:
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "typescript", 1, body)))

    open_("file:///warm.ts", "function w(a = 1) { return a + 1; }\n" + text)   # loads models, caches
    await hints("file:///warm.ts")
    out = []
    mid = lines // 2
    for r in range(reps):
        uri = f"file:///view{r}.ts"
        t0 = time.perf_counter()
        open_(uri, text)
        await hints(uri, view)
        t_view = time.perf_counter() - t0
        uri = f"file:///bench{r}.ts"
        t0 = time.perf_counter()
        open_(uri, text)
        got = await hints(uri)
        t_open = time.perf_counter() - t0
        t0 = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=2, uri=uri),
            [lsp.TextDocumentContentChangePartial(
                range=lsp.Range(lsp.Position(mid, 0), lsp.Position(mid, 0)),
                text="const edited = 42;\n")]))
        after = await hints(uri)
        t_edit = time.perf_counter() - t0
        assert any(h.position.line == mid and str(h.label) == ": number" for h in after), "edit not seen"
        out.append((t_open, t_edit, len(got), t_view))
    await client.shutdown_session()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--lines", type=int, default=2000)
    args = ap.parse_args(argv)
    res = asyncio.run(run(args.reps, args.lines))
    t = Table(title=f"typeinfer LSP on a {args.lines}-line file ({args.reps} fresh documents)")
    for c in ("measure", "median ms", "max ms", "target ms", "hints"):
        t.add_column(c)
    opens = [1000 * r[0] for r in res]
    edits = [1000 * r[1] for r in res]
    views = [1000 * r[3] for r in res]
    t.add_row("open → inlay hints (full analysis)", f"{statistics.median(opens):.0f}",
              f"{max(opens):.0f}", "300", str(res[0][2]))
    t.add_row("open → hints of a 60-line viewport (first paint)", f"{statistics.median(views):.0f}",
              f"{max(views):.0f}", "300", "")
    t.add_row("edit → inlay hints (re-analysis)", f"{statistics.median(edits):.0f}",
              f"{max(edits):.0f}", "100", "")
    import os

    Console().print(t)
    Console().print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
