"""Queries, the command line, pictures and estimation from samples."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from causal.cli import app, demo
from causal.model import load_model
from causal.query import Query, answer, parse_query
from causal.sample import sample_csv

runner = CliRunner()


@pytest.mark.parametrize("text", ["P(C=1 | do(S=0))", "P(Y | do(X), Z=1)", "P(A, B=b2)", "P(Y1, Y2 | do(X1=0, X2), W)"])
def test_query_round_trips(text: str) -> None:
    q = parse_query(text)
    assert parse_query(str(q)) == q
    assert eval(repr(q)) == q


def test_cli_query_identify_draw(tmp_path: Path) -> None:
    r = runner.invoke(app, ["query", "smoking", "P(C=1 | do(S=1))"])
    assert r.exit_code == 0 and "0.542297" in r.output
    r = runner.invoke(app, ["query", "frontdoor", "P(C | do(S))", "--json"])
    rows = json.loads(r.output)["table"]
    assert [round(row["p"], 9) for row in rows] == [0.752, 0.248, 0.57, 0.43]
    r = runner.invoke(app, ["identify", "napkin", "P(Y | do(X))"])
    assert r.exit_code == 0 and "identifiable" in r.output and "Z2" in r.output
    r = runner.invoke(app, ["identify", "bow", "P(Y | do(X))"])
    assert r.exit_code == 1 and "not identifiable" in r.output and "hedge F = {X, Y}" in r.output
    r = runner.invoke(app, ["identify", "bow", "P(Y | do(X))", "--json"])
    assert json.loads(r.output)["hedge"] == {"F": ["X", "Y"], "F_prime": ["Y"]}
    r = runner.invoke(app, ["identify", "napkin", "P(Y | do(X))", "--json"])
    assert json.loads(r.output)["identifiable"] and json.loads(r.output)["any"] == ["Z1"]
    r = runner.invoke(app, ["query", "smoking", "P(C=1 | do(S=1)"])
    assert r.exit_code == 2 and r.stderr.startswith("error: query ") and "^" in r.stderr
    for suffix in ("svg", "png"):
        out = tmp_path / f"fd.{suffix}"
        r = runner.invoke(app, ["draw", "frontdoor", "--do", "S=1", "-o", str(out)])
        assert r.exit_code == 0 and out.stat().st_size > 5000
    assert (tmp_path / "fd.svg").read_text().lstrip().startswith("<?xml")


def test_draw_observation_only_model_shows_the_estimand(tmp_path: Path) -> None:
    from causal.diagram import Point
    from causal.draw import _estimand_panel, draw_model

    d, title, lines = _estimand_panel(load_model("smoking"), {"S": None}, ["C"])
    assert d is not None and [b.name for b in d.boxes()] == ["P(T|S)", "P(S')", "P(C|S',T)"]
    assert "Σ_{S'} P(S') P(C | S', T)" in lines[1]  # the formula is printed with the same renaming
    d, title, lines = _estimand_panel(load_model("smoking"), {"S": "1"}, ["C"])
    assert d is not None and d.layers[0].gen == Point("S", "1") and not d.dom  # the do value is plugged in
    assert title == "identified estimand of P(C | do(S=1))"
    assert any(line.startswith("on the observed joint: C=0: 0.4577") for line in lines)
    d, title, lines = _estimand_panel(load_model("bow"), {"X": None}, ["Y"])
    assert d is None and "not identifiable" in title and "hedge F = {X, Y}" in lines[0]
    assert draw_model(load_model("smoking"), tmp_path / "s.png", do={"S": None}).stat().st_size > 5000


def test_napkin_estimand_is_shown_as_a_formula_with_a_note(tmp_path: Path) -> None:
    from causal.draw import _estimand_panel

    spec = tmp_path / "napkin.yaml"
    spec.write_text("variables: [Z2, Z1, X, Y]\nedges: [Z2 -> Z1, Z1 -> X, X -> Y, Z2 <-> X, Z2 <-> Y]\n"
                    "joint: {variables: [Z2, Z1, X, Y], table: " + str([1 / 16] * 16) + "}\n")
    d, title, lines = _estimand_panel(load_model(spec), {"X": "1"}, None)
    assert d is None and title == "identified estimand of P(Y | do(X=1))"
    assert lines[0].startswith("[Σ_{Z2} P(Z2) P(X | Z2, Z1) P(Y | Z2, Z1, X)] / [")
    assert "ratio of sums" in lines[-1] and "formula is shown" in lines[-1]


@pytest.mark.parametrize(("model", "do"), [("frontdoor", {"S": "1"}), ("smoking", {"S": "1"}), ("bow", {"X": "1"}),
                                           ("napkin", {"X": None}), ("backdoor", {})])
def test_no_panel_is_empty_and_box_inputs_are_labelled(model: str, do: dict[str, str | None]) -> None:
    import matplotlib.pyplot as plt

    from causal.draw import figure

    fig = figure(load_model(model), do)
    try:
        for ax in fig.axes:
            assert ax.texts or ax.lines or ax.patches or ax.collections, (model, ax.get_title())
        if model == "frontdoor":  # C's mechanism reads T and H: both input wires are named at the box
            labels = [t.get_text() for t in fig.axes[2].texts]
            assert {"T", "H"} <= set(labels) and labels.count("H") >= 2
    finally:
        plt.close(fig)


def test_demo_runs() -> None:
    console = Console(record=True, width=120)
    demo(console)
    text = console.export_text()
    assert "0.253478" in text and "0.542297" in text and "not identifiable" in text


def test_estimate_from_csv_samples(tmp_path: Path) -> None:
    truth = load_model("frontdoor")
    csv_path = sample_csv(truth, tmp_path / "fd.csv", n=20000, seed=1)
    header = csv_path.read_text().splitlines()[0]
    assert header == "S,T,C"  # the latent H is not in the data
    spec = tmp_path / "fd-data.yaml"
    spec.write_text("variables: {S: [0, 1], T: [0, 1], C: [0, 1]}\nedges: [S -> T, T -> C, S <-> C]\ndata: fd.csv\n")
    est = answer(load_model(spec), "P(C=1 | do(S=1))")
    assert est.estimand is not None
    assert abs(est.value() - 0.43) < 0.03
    naive = answer(load_model(spec), "P(C=1 | S=1)").value()
    assert abs(naive - 0.565) < 0.03  # the confounded answer is far off


def test_query_type() -> None:
    assert Query((("Y", None),)).variables() == ["Y"]
    assert np.isclose(answer(load_model("backdoor"), "P(Y=1 | do(X=1))").value(), 0.52)


def test_bad_model_files_and_draw_terms_are_one_error_line(tmp_path: Path) -> None:
    from workbench.app.cli import app as root

    (tmp_path / "folder").mkdir()
    (tmp_path / "bin.yaml").write_bytes(b"variables:\n  S: [0, 1]\n\xff\n")
    (tmp_path / "cut.yaml").write_text("variables:\n  S: [0, 1\n")
    cases = [
        (["query", str(tmp_path / "folder"), "P(C=1)"], "folder: is a folder, not a file"),
        (["identify", str(tmp_path / "bin.yaml"), "P(C | do(S))"], "bin.yaml: not UTF-8 text: byte 0xff at line 3, column 1"),
        (["query", str(tmp_path / "cut.yaml"), "P(S=1)"], "cut.yaml:3:1: cannot parse model file: expected ',' or ']'"),
        (["draw", "smoking", "--do", "Q=1", "-o", str(tmp_path / "a.svg")], "unknown variable 'Q'"),
        (["draw", "smoking", "--do", "=", "-o", str(tmp_path / "a.svg")], "unknown variable ''"),
        (["draw", "smoking", "--do", "S=9", "-o", str(tmp_path / "a.svg")], "value '9' is not in the domain (0, 1) of 'S'"),
    ]
    for args, says in cases:
        r = runner.invoke(root, ["causal", *args])
        assert r.exit_code == 2 and isinstance(r.exception, SystemExit), (args, r.exception)
        assert says in " ".join(r.output.split()) and "Traceback" not in r.output, (args, r.output)
    assert not (tmp_path / "a.svg").exists()
    r = runner.invoke(root, ["causal", "draw", "smoking", "--do", "S=1", "-o", str(tmp_path / "new" / "s.svg")])
    assert r.exit_code == 0 and (tmp_path / "new" / "s.svg").stat().st_size > 1000


def test_malformed_model_files_name_the_problem(tmp_path: Path) -> None:
    from workbench.app.cli import app as root

    head = "variables: {Z: [0, 1], X: [0, 1]}\n"
    models = {
        "edges.yaml": (head + "edges: 5\n", "'edges' must be a list"),
        "states.yaml": ("variables: {Z: 3, X: [0, 1]}\nedges: [Z -> X]\n", "the states of 'Z' must be a list"),
        "cpt.yaml": (head + "edges: [Z -> X]\ncpts:\n  Z: abc\n  X: {given: [Z], table: 7}\n",
                     "malformed 'cpts': could not convert string to float: 'abc'"),
        "data.yaml": (head + "edges: [Z -> X]\ndata: none.csv\n", "none.csv: no such data file (CSV)"),
    }
    r = runner.invoke(root, ["causal", "query", "", "P(X=1)"])  # '' is not the current folder
    assert r.exit_code == 2 and r.stderr.startswith("error: no model given")
    for name, (text, says) in models.items():
        (tmp_path / name).write_text(text)
        r = runner.invoke(root, ["causal", "query", str(tmp_path / name), "P(X=1 | do(Z=1))"])
        assert r.exit_code == 2 and isinstance(r.exception, SystemExit), (name, r.exception)
        assert r.output.startswith("error: ") and says in " ".join(r.output.split()), (name, r.output)
