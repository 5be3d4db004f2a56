"""Bad input gives a CausalError that names the culprit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from causal.errors import CausalError, QueryError
from causal.model import CausalModel, load_model
from causal.query import answer, parse_query
from causal.semantics import Table

BIN = {"A": (0, 1), "B": (0, 1), "C": (0, 1)}


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_cyclic_graph_names_the_cycle(tmp_path: Path) -> None:
    p = write(tmp_path, "variables: [A, B, C]\nedges: [A -> B, B -> C, C -> A]\n")
    with pytest.raises(CausalError, match="cyclic: A -> B -> C -> A") as info:
        load_model(p)
    assert str(p) in str(info.value)


def test_cpt_not_summing_to_one_names_variable_and_row() -> None:
    with pytest.raises(CausalError, match=r"CPT of 'B' given A=1 sums to 0\.9, not 1"):
        CausalModel.build(BIN, [("A", "B")], cpts={"A": [0.5, 0.5], "B": [[0.3, 0.7], [0.5, 0.4]]})


def test_negative_probability() -> None:
    with pytest.raises(CausalError, match="'A' has negative"):
        CausalModel.build({"A": (0, 1)}, cpts={"A": [1.5, -0.5]})


def test_unknown_variable_in_edges_cpts_and_queries(tmp_path: Path) -> None:
    with pytest.raises(CausalError, match="unknown variable 'Q'"):
        load_model(write(tmp_path, "variables: [A, B]\nedges: [A -> Q]\n"))
    with pytest.raises(CausalError, match="unknown variable 'Q'"):
        CausalModel.build(BIN, [("A", "B")], cpts={"Q": [1.0]})
    with pytest.raises(CausalError, match="unknown variable 'Q'; the model has"):
        answer(load_model("frontdoor"), "P(Q | do(S=1))")
    with pytest.raises(CausalError, match="value '7' is not in the domain .* of 'S'"):
        answer(load_model("frontdoor"), "P(C | do(S=7))")
    with pytest.raises(CausalError, match="'H' is latent"):
        answer(load_model("frontdoor"), "P(C | do(H=1))", method="identify")


def test_zero_probability_evidence_is_named() -> None:
    m = CausalModel.build(BIN, [("A", "B"), ("B", "C")],
                          cpts={"A": [1.0, 0.0], "B": {"given": ["A"], "table": [[1, 0], [0.5, 0.5]]},
                                "C": {"given": ["B"], "table": [[0.9, 0.1], [0.2, 0.8]]}})
    with pytest.raises(CausalError, match="zero-probability event A=1"):
        answer(m, "P(C=1 | A=1)")
    with pytest.raises(CausalError, match="zero-probability event B=1"):
        m.observational().condition({"B": 1})
    with pytest.raises(CausalError, match="positivity fails"):
        answer(m, "P(C=1 | do(B=1))", method="identify")  # P(C | B=1) is needed and undefined


def test_domain_mismatch_in_cpt_and_joint(tmp_path: Path) -> None:
    with pytest.raises(CausalError, match=r"domain mismatch: CPT of 'B' has shape \(3,\)"):
        CausalModel.build(BIN, [("A", "B")], cpts={"A": [0.5, 0.5], "B": [0.2, 0.3, 0.5]})
    with pytest.raises(CausalError, match="domain mismatch: table over .* needs 8 numbers, got 4"):
        Table.from_flat("ABC", [(0, 1)] * 3, [0.25] * 4)
    with pytest.raises(CausalError, match="CPT of 'B' is given \\['C'\\], but its parents are \\['A'\\]"):
        CausalModel.build(BIN, [("A", "B")], cpts={"B": {"given": ["C"], "table": [[1, 0], [0, 1]]}})


def test_bad_csv_value_names_file_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("A,B\n0,1\n1,2\n")
    p = write(tmp_path, "variables: [A, B]\nedges: [A -> B]\ndata: d.csv\n")
    with pytest.raises(CausalError, match=r"d\.csv:3:2: column 'B': value '2' is not in the domain \(0, 1\)"):
        load_model(p)


def test_csv_missing_column_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("A,C\n0,1\n1,0\n")
    p = write(tmp_path, "variables: [A, B]\nedges: [A -> B]\ndata: d.csv\n")
    with pytest.raises(CausalError, match=r"d\.csv: no column 'B' \(the header has A, C\)$"):
        load_model(p)
    (tmp_path / "e.csv").write_text("A,B\n0,1\n1\n")
    with pytest.raises(CausalError, match=r"e\.csv:3: 1 fields, the header has 2"):
        load_model(write(tmp_path, "variables: [A, B]\nedges: [A -> B]\ndata: e.csv\n"))


def test_query_errors_carry_positions() -> None:
    with pytest.raises(QueryError) as info:
        parse_query("P(C | do(S=1)")
    assert info.value.span.start_col == 13
    assert info.value.context().splitlines()[1] == " " * 13 + "^"
    with pytest.raises(QueryError, match="expected a value for S"):
        parse_query("P(C | do(S=))")
    with pytest.raises(QueryError, match="appears twice"):
        parse_query("P(C | do(C))")
    with pytest.raises(QueryError, match="unexpected character '#'"):
        parse_query("P(C # S)")
    with pytest.raises(QueryError, match="starts with P"):
        parse_query("Q(C)")


def test_missing_model_file_lists_examples() -> None:
    with pytest.raises(CausalError, match="shipped examples: .*napkin"):
        load_model("no-such-model")


def test_unparseable_yaml(tmp_path: Path) -> None:
    with pytest.raises(CausalError, match="cannot parse model file"):
        load_model(write(tmp_path, "variables: [A, B\n"))


def test_model_json_round_trip(tmp_path: Path) -> None:
    import json

    from causal.model import model_from_dict

    for name in ("frontdoor", "smoking", "napkin", "bow"):
        m = load_model(name)
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps(m.to_dict()))
        back = load_model(p)
        assert back.to_dict() == m.to_dict()
        assert model_from_dict(m.to_dict()).graph() == m.graph()


def test_errors_name_the_model_file_not_its_yaml_name(tmp_path: Path) -> None:
    p = write(tmp_path, "name: My pretty model\nvariables: [A, B]\nedges: [A -> B]\ncpts:\n  A: [1.0, 0.0]\n"
                        "  B: {given: [A], table: [[0.5, 0.5], [0.5, 0.5]]}\n", "pretty.yaml")
    m = load_model(p)
    for query, says in [("P(Q | do(A=1))", "unknown variable 'Q'; the model has ['A', 'B']"),
                        ("P(B | do(A=7))", "value '7' is not in the domain (0, 1) of 'A'"),
                        ("P(B=1 | A=1)", "conditioning on the zero-probability event A=1")]:
        with pytest.raises(CausalError) as info:
            answer(m, query)
        assert str(info.value) == f"{p}: {says}", query
    with pytest.raises(CausalError, match=f"^{p}: value '7' is not in the domain"):
        answer(m, "P(B | do(A=7))", method="identify")


def test_identify_says_identifiable_and_separately_why_there_is_no_number(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from workbench.cli import app as root

    runner = CliRunner()
    # a joint with an empty stratum: P(Y | do(X)) = Σ_Z P(Z) P(Y | X, Z) needs P(X=1, Z=1) > 0
    p = write(tmp_path, "variables: [Z, X, Y]\nedges: [Z -> X, Z -> Y, X -> Y]\n"
                        "joint: {variables: [Z, X, Y], table: [0.2, 0.1, 0.1, 0.1, 0.5, 0, 0, 0]}\n", "hole.yaml")
    r = runner.invoke(root, ["causal", "identify", str(p), "P(Y | do(X))"])
    lines = r.output.strip().splitlines()
    assert r.exit_code == 0 and lines[0] == "identifiable" and lines[1].startswith("P(Y | do(X)) = Σ_{Z}"), r.output
    assert lines[-1].startswith(f"value not computed: {p}: positivity fails: the denominator of P(Y | Z, X) is zero")
    r = runner.invoke(root, ["causal", "identify", str(p), "P(Y | do(X))", "--json"])
    out = json.loads(r.output)
    assert r.exit_code == 0 and out["identifiable"] and "positivity fails" in out["value_error"] and "table" not in out
    # a model whose observed joint is over the cap: identifiable, and the size is the reason
    chain = {f"X{i}": list(range(20)) for i in range(5)}
    spec = {"variables": chain, "edges": [f"X{i} -> X{i + 1}" for i in range(4)],
            "cpts": {f"X{i}": {"given": [f"X{i - 1}"] if i else [], "table": (np.full((20, 20) if i else 20, 1 / 20)).tolist()}
                     for i in range(5)}}
    big = tmp_path / "chain.json"
    big.write_text(json.dumps(spec))
    r = runner.invoke(root, ["causal", "identify", str(big), "P(X4 | do(X0))", "--max-cells", "100"])
    assert r.exit_code == 0 and r.output.startswith("identifiable\n"), r.output
    assert f"value not computed: {big}: P(X" in r.output and "over the cap of 100 cells" in r.output
    r = runner.invoke(root, ["causal", "identify", str(big), "P(X4=0 | do(X0=1))"])
    assert r.exit_code == 0 and "value not computed" not in r.output and "= 0.05" in r.output
    r = runner.invoke(root, ["causal", "identify", "bow", "P(Y | do(X))"])
    assert r.exit_code == 1 and r.output.startswith("not identifiable")


def test_do_twice_is_an_error_and_graphs_is_not_an_example(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from causal.cli import do_terms
    from workbench.cli import app as root

    with pytest.raises(CausalError, match=r"--do S=0: 'S' is already intervened on \(--do S=1\)"):
        do_terms(["S=1", "S=0"])
    r = CliRunner().invoke(root, ["causal", "draw", "frontdoor", "--do", "S=1", "--do", "S=0", "-o", str(tmp_path / "x.png")])
    assert r.exit_code == 2 and "already intervened on" in r.output and not (tmp_path / "x.png").exists()
    with pytest.raises(CausalError) as info:
        load_model("graphs")
    assert "shipped examples: backdoor, bow, frontdoor, napkin, smoking)" in str(info.value)
