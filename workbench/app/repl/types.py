"""REPL command of the types part (`typeinfer`): ``types``.

One file through `typeinfer.infer.analyse` with the default predictors and the project's
signatures, printed with the table of ``workbench types infer``.
"""

from __future__ import annotations

from rich.console import Console

from workbench.app.repl.context import Context
from workbench.app.repl.registry import COMMANDS, Args, command, existing_file, object_name, renders
from workbench.app.repl.session import TYPES, History, Obj, ReplError, Session


@command("types", "types [--no-learned] [--llm SPEC] FILE.ts|.js",
         options={"no-learned": ("", "leave out the learned model"),
                  "llm": ("SPEC", "also ask an LLM, e.g. gguf:qwen2.5-coder-1.5b (slow)")},
         completes=("path",))
def types(ctx: Context, h: History, a: Args) -> Session:
    """Infer types for the unannotated parameters, variables, fields and returns of a TS/JS file.

    The same analysis as `workbench types infer FILE`: usage slices, symbolic rules and the
    learned model; one table row per target with its confidence and evidence.
    """
    from typeinfer.cli import inference_table
    from typeinfer.cpg import read_source
    from typeinfer.infer import analyse, default_predictors, project_signatures

    words = a.words()
    if len(words) != 1:
        raise ReplError(f"give one source file; usage: {COMMANDS['types'].usage}")
    path = existing_file(words[0])
    if path.is_dir():
        raise ReplError("give a file, not a folder (`workbench types infer FOLDER` does folders)", where=str(path))
    preds = default_predictors(learned=not a.opt("no-learned"), llm=a.opt("llm"))
    analysis = analyse(read_source(path), path, preds, project_signatures(path.parent))
    ctx.console.print(inference_table(analysis, str(path)))
    typed = sum(1 for i in analysis.inferences.values() if i.type)
    ctx.console.print(f"{typed} of {len(analysis.inferences)} targets typed")
    name = object_name(a, h.session, path.stem)
    return h.session.put(Obj(name, TYPES, analysis, f"{path.name}: {typed}/{len(analysis.inferences)} typed"))





@renders(TYPES)
def _show_types(console: Console, obj: Obj) -> None:
    from typeinfer.cli import inference_table

    console.print(inference_table(obj.value, obj.value.path))
