"""CPG → slices → predictors → combiner → annotations, on real code and real tools."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from typeinfer.annotate import annotate, edits_for, strip_annotations
from typeinfer.checker import available as checker_available
from typeinfer.cli import DEMO_SOURCE, app
from typeinfer.combine import combine, violation
from typeinfer.cpg import build_cpg, decode
from typeinfer.errors import SliceFormatError
from typeinfer.infer import analyse
from typeinfer.judge import Fill, Judged, judged_inferences
from typeinfer.predict.learned import DEFAULT_MODEL, LearnedPredictor, features, train
from typeinfer.predict.symbolic import SymbolicPredictor
from typeinfer.signatures import Signatures, find_typescript_lib, standard_library
from typeinfer.slices import ProgramUsageSlice, slice_program
from workbench.llm import Generator

SYMBOLIC = [SymbolicPredictor()]


def types_of(src: str, path: str = "a.ts") -> dict[str, str | None]:
    a = analyse(src, path, SYMBOLIC)
    return {k: i.type for k, i in a.inferences.items()}


def test_cpg_has_ast_cfg_dataflow_and_call_edges() -> None:
    cpg = build_cpg("function f(a) { let b = a; if (b) { b = 2; } return g(b); }\nfunction g(x) { return x; }")
    kinds = {}
    for u, v, k in cpg.edges:
        kinds.setdefault(k, []).append((u, v))
    assert set(kinds) == {"AST", "CFG", "REF", "REACHING_DEF", "CALL"}
    (call, target), = kinds["CALL"]
    assert cpg.nodes[target]["name"] == "g" and cpg.code(call) == "g(b)"
    b = cpg.declarations(cpg.methods[1])["b"]
    # the declaration and the assignment `b = 2` both reach uses of b
    sources = {cpg.code(u) for u, v, k in cpg.edges if k == "REACHING_DEF" and cpg.code(v) == "b"}
    assert "b = a" in sources and "b" in sources
    assert len(cpg.uses(b)) == 3   # `if (b)`, `b = 2`, `g(b)`
    assert cpg.graph.number_of_edges() == len(cpg.edges)


def test_syntax_errors_cost_only_the_broken_construct() -> None:
    src = "function broken(a, b { let x = 1; return a.trim( }\nconst ok = 'y';\nfunction fine(n) { return n * 2; }\n"
    t = types_of(src)
    assert t[":program::LOCAL::ok"] == "string"
    assert t["fine::METHOD_RETURN::<return>"] == "number"


def test_positions_are_code_points_for_non_ascii_and_bad_bytes() -> None:
    text = decode(b"const \xc3\xa9 = '\xff'; let n = 1;")
    a = analyse(text, "a.ts", SYMBOLIC)
    n = a.inferences[":program::LOCAL::n"]
    assert n.type == "number"
    assert text[: n.target.columnNumber].endswith("let ") and n.target.insertAt == (1, text.index("n =") + 1)


def test_javascript_is_sliced_but_not_annotated() -> None:
    a = analyse("function f(s) { return s.toUpperCase(); }", "a.js", SYMBOLIC)
    inf = a.inferences["f::METHOD_PARAMETER_IN::s"]
    assert inf.type == "string" and not inf.target.annotatable


def test_slices_have_joern_shape_and_round_trip() -> None:
    p = slice_program(build_cpg(DEMO_SOURCE, "demo.ts"))
    doc = json.loads(json.dumps(p.to_json()))
    assert set(doc) == {"objectSlices", "userDefinedTypes"}
    m = next(m for m in doc["objectSlices"] if m["fullName"] == "describe")
    sl = next(s for s in m["slices"] if s["targetObj"]["name"] == "shape")
    assert set(sl) == {"targetObj", "definedBy", "invokedCalls", "argToCalls"}
    assert {c["callName"] for c in sl["invokedCalls"]} >= {"name", "area"}
    shape = next(t for t in doc["userDefinedTypes"] if t["name"] == "Shape")
    assert {f["name"] for f in shape["fields"]} >= {"name", "corners"}
    assert {p["callName"] for p in shape["procedures"]} == {"constructor", "area"}
    assert ProgramUsageSlice.from_json(doc) == p
    with pytest.raises(SliceFormatError):
        ProgramUsageSlice.from_json({"objectSlices": [{"code": "no fullName"}]})


def test_symbolic_rules_literals_constructors_flow_library_and_callers() -> None:
    t = types_of(
        "class Box { size = 0; grow(by) { this.size = by; return this; } }\n"
        "function use(flag, label) {\n"
        "  const b = new Box(); const n = Math.floor(2.5); const s = label.padStart(3);\n"
        "  const copy = s; const parts = s.split(','); if (flag) { n; } return parts.length > n;\n"
        "}\n"
        "use(true, 'x'); new Box().grow(3);\n")
    assert t["use::LOCAL::b"] == "Box"
    assert t["use::LOCAL::copy"] == "string"
    assert t["use::METHOD_PARAMETER_IN::flag"] == "boolean"   # a caller passes `true`
    assert t["use::METHOD_PARAMETER_IN::label"] == "string"
    assert t["Box.grow::METHOD_PARAMETER_IN::by"] == "number"  # assigned to a number field
    if find_typescript_lib() is not None:                       # needs lib.es5.d.ts
        assert t["use::LOCAL::n"] == "number"
        assert t["use::LOCAL::parts"] == "string[]"
        assert t["use::METHOD_RETURN::<return>"] == "boolean"


def test_combiner_rejects_types_without_the_invoked_members() -> None:
    sig = standard_library()
    if not sig.interfaces:
        pytest.skip("typescript lib.d.ts not installed (run scripts/setup.sh)")
    p = slice_program(build_cpg("function f(xs) { xs.push(1); return xs.length; }"))
    (m, sl), = [(m, s) for m, s in p.targets() if s.targetObj.name == "xs"]
    assert violation("string", sl, sig, {}) == "string has no member 'push'"
    assert violation("number[]", sl, sig, {}) is None
    from typeinfer.predict import Candidate

    preds = {"f::METHOD_PARAMETER_IN::xs": (Candidate("string", 0.9, "learned"),)}
    inf = combine(p, [preds], sig)["f::METHOD_PARAMETER_IN::xs"]
    assert inf.type is None and inf.rejected == (("string", "string has no member 'push'"),)


def test_strip_then_annotate_restores_what_was_inferred() -> None:
    src = "function area(w: number, h: number = 2): number { const k: string = 'cm'; return w * h; }\narea(3);\n"
    stripped = strip_annotations(src)
    assert stripped == "function area(w, h = 2) { const k = 'cm'; return w * h; }\narea(3);\n"
    a = analyse(stripped, "a.ts", SYMBOLIC)
    assert annotate(stripped, a.inferences.values()) == src


@pytest.mark.skipif(find_typescript_lib() is None or shutil.which("node") is None,
                    reason="node + typescript@5.9.3 not installed (scripts/setup.sh installs them)")
def test_annotated_demo_type_checks_no_worse_with_real_tsc(tmp_path: Path) -> None:
    from typeinfer.tsc import tsc_error_count

    plain, annotated = tmp_path / "plain.ts", tmp_path / "annotated.ts"
    plain.write_text(DEMO_SOURCE)
    annotated.write_text(annotate(DEMO_SOURCE, analyse(DEMO_SOURCE, "demo.ts").inferences.values()))
    before, after = tsc_error_count([plain]), tsc_error_count([annotated])
    assert before > 0 and after < before


def test_shipped_learned_model_is_small_and_useful() -> None:
    model = LearnedPredictor.load_default()
    if model is None:
        pytest.skip("no trained model shipped (run `workbench types train`)")
    assert DEFAULT_MODEL.stat().st_size < 5_000_000
    p = slice_program(build_cpg("function f(isOpen, count) { if (isOpen) { return count + 1; } }"))
    preds = model.predict(p, Signatures())
    assert preds["f::METHOD_PARAMETER_IN::isOpen"][0].type == "boolean"
    assert preds["f::METHOD_PARAMETER_IN::count"][0].type == "number"


def test_training_learns_from_slices() -> None:
    p = slice_program(build_cpg("function f(name, size) { name.trim(); return size * 2; }"))
    rows = []
    for m, s in p.targets():
        gold = {"name": "string", "size": "number"}.get(s.targetObj.name)
        if gold:
            rows += [(features(m, s), gold)] * 5
    model = train(rows, min_count=1)
    got = model.predict(p, Signatures())
    assert got["f::METHOD_PARAMETER_IN::name"][0].type == "string"


def test_cli_infer_json_annotate_and_bad_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.ts").write_text("export function twice(n = 1) { return n * 2; }\n")
    (tmp_path / "bad.ts").write_bytes(b"let s = '\xff\xfe'; const k = 3;\n")
    (tmp_path / "empty.ts").write_text("")
    runner = CliRunner()
    r = runner.invoke(app, ["infer", str(tmp_path / "a.ts"), "--format", "json", "--no-learned"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    got = {(i["name"], i["label"]): i["type"] for i in doc["inferences"]}
    assert got[("n", "METHOD_PARAMETER_IN")] == "number" and got[("<return>", "METHOD_RETURN")] == "number"
    r = runner.invoke(app, ["infer", str(tmp_path), "--format", "annotate", "-o", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "a.ts").read_text() == \
        "export function twice(n: number = 1): number { return n * 2; }\n"
    assert "const k: number = 3" in (tmp_path / "out" / "bad.ts").read_text()
    assert (tmp_path / "out" / "empty.ts").read_text() == ""


@pytest.mark.llm
def test_llm_infill_with_a_real_small_model(smollm: Generator) -> None:
    from typeinfer.predict.llm import LLMPredictor

    llm = LLMPredictor(smollm, fim=False)  # as from_spec picks for a non-coder model
    src = "function greet(name, times = 2) {\n  return name.trim().repeat(times);\n}\n"
    bound = llm.bind(src)
    preds = bound.predict(slice_program(build_cpg(src)), Signatures())
    for cands in preds.values():   # whatever the tiny model says, what survives parses as a type
        for c in cands:
            assert c.source == "llm" and 0 < c.confidence <= 0.95
    assert len(preds) + len(bound.rejected) >= 1


@pytest.mark.skipif(find_typescript_lib() is None or shutil.which("node") is None,
                    reason="node + typescript@5.9.3 not installed (scripts/setup.sh installs them)")
def test_tsc_checked_annotations_never_add_errors(tmp_path: Path) -> None:
    from typeinfer.tsc import checked_annotations, tsc_diagnostics

    src = "function twice(s) { return s * 2; } twice('x');\nconst n = 4;\n"  # the call on the annotation's line
    a = analyse(src, "s.ts", SYMBOLIC)
    assert a.inferences["twice::METHOD_PARAMETER_IN::s"].type == "number"   # an operand of *, not what the caller passes
    naive = annotate(src, a.inferences.values())
    checked = checked_annotations({Path("s.ts"): src}, {Path("s.ts"): list(a.inferences.values())})
    codes = {}
    for name, text in (("plain", src), ("naive", naive), ("checked", checked[Path("s.ts")])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "s.ts").write_text(text)
        codes[name] = sorted(c for _, _, c in tsc_diagnostics([tmp_path / name / "s.ts"]))
    assert "TS2345" in codes["naive"]                 # twice('x') with s: number: the annotation made an error there
    assert codes["checked"] == codes["plain"]         # tsc as the judge removed it again
    assert "(s)" in checked[Path("s.ts")] and "const n: number" in checked[Path("s.ts")]


@pytest.mark.skipif(find_typescript_lib() is None or shutil.which("node") is None,
                    reason="node + typescript@5.9.3 not installed (scripts/setup.sh installs them)")
def test_tsc_check_reads_javascript_files_jsdoc(tmp_path: Path) -> None:
    # the check of `--format annotate` over .js files: tsc reports nothing of a JavaScript file unless asked to check
    # it, so a JSDoc type that breaks a call would pass; with --checkJs (as the judge reads JSDoc) it is an error
    from typeinfer.tsc import tsc_diagnostics

    (tmp_path / "t.js").write_text('/** @param {number} s */\nexport function twice(s) { return s * 2; }\ntwice("x");\n')
    assert [(line, code) for _f, line, code in tsc_diagnostics([tmp_path / "t.js"])] == [(3, "TS2345")]


@pytest.mark.skipif(find_typescript_lib() is None or shutil.which("node") is None,
                    reason="node + typescript@5.9.3 not installed (scripts/setup.sh installs them)")
def test_tsc_check_sees_the_projects_dependencies(tmp_path: Path) -> None:
    # `take` comes from an installed dependency that wants a number; the rules say `a` is a string (it is added to
    # one). Checked without the dependency, `take` is `any` and the annotation passes; the project's tsc then
    # fails. With the project's node_modules the check sees the conflict and leaves the parameter open.
    from typeinfer.tsc import checked_annotations, node_modules_of

    dep = tmp_path / "node_modules" / "dep"
    dep.mkdir(parents=True)
    (dep / "package.json").write_text('{"name": "dep", "version": "1.0.0", "types": "index.d.ts"}')
    (dep / "index.d.ts").write_text("export declare function take(x: number): void;\n")
    (tmp_path / "src").mkdir()
    src = 'import { take } from "dep";\nexport function shout(a) { take(a); return a + "!"; }\n'
    a = analyse(src, "s.ts", SYMBOLIC)
    assert a.inferences["shout::METHOD_PARAMETER_IN::a"].type == "string"
    plain, infs = {Path("s.ts"): src}, {Path("s.ts"): list(a.inferences.values())}
    assert node_modules_of(tmp_path / "src") == tmp_path / "node_modules"
    blind = checked_annotations(plain, infs)[Path("s.ts")]
    seeing = checked_annotations(plain, infs, modules=node_modules_of(tmp_path / "src"))[Path("s.ts")]
    assert "shout(a: string)" in blind
    assert "shout(a)" in seeing


@pytest.mark.skipif(find_typescript_lib() is None or shutil.which("node") is None,
                    reason="node + typescript@5.9.3 not installed (scripts/setup.sh installs them)")
def test_tsc_check_reverts_annotations_whose_errors_land_in_another_file(tmp_path: Path) -> None:
    from typeinfer.tsc import checked_annotations

    a_src = "export function label(x) { return x; }\nlabel('one');\n"
    b_src = "import { label } from './a';\nlabel(2);\nlabel(3);\n"
    a = analyse(a_src, "a.ts", SYMBOLIC)
    assert a.inferences["label::METHOD_PARAMETER_IN::x"].type == "string"   # from a.ts's own caller
    plain = {Path("a.ts"): a_src, Path("b.ts"): b_src}
    infs = {Path("a.ts"): list(a.inferences.values()), Path("b.ts"): []}
    out = checked_annotations(plain, infs)
    # `label(2)` in b.ts breaks once `x: string` is written, on a line without annotations: the
    # line rule keeps it (a.ts gets no new error, it even loses the implicit-any one), the file
    # guard sees b.ts worse and, as b.ts wrote nothing, puts every file back
    assert out == plain


def test_project_call_sites_type_parameters_of_functions_defined_elsewhere() -> None:
    from typeinfer.project import call_site_types

    lib = "export function pad(p, q) { return p; }\nexport function push(x) {}\n"
    use = ("import { pad, push } from './lib';\nconst label = 'ab';\nconst cols = 4;\n"
           "pad(label, cols);\npush(cols);\n")
    first = [analyse(lib, "lib.ts", SYMBOLIC), analyse(use, "use.ts", SYMBOLIC)]
    assert first[0].inferences["pad::METHOD_PARAMETER_IN::p"].type is None  # nothing in lib.ts says
    table = call_site_types(first)
    assert table[("pad", 0)][0] == "string" and table[("pad", 1)][0] == "number"
    assert ("push", 0) not in table   # Array.push: a library member name is too ambiguous to match
    again = analyse(lib, "lib.ts", [SymbolicPredictor(call_sites=table)])
    assert again.inferences["pad::METHOD_PARAMETER_IN::q"].type == "number"
    assert "use.ts" in again.inferences["pad::METHOD_PARAMETER_IN::p"].evidence[0]


def test_bare_generic_names_get_the_type_arguments_in_scope() -> None:
    src = ("interface Store<S, A> { get(): S; }\n"
           "function connect<S, A>(store) { return store.get(); }\n"
           "function tally(seen) { seen.add(1); return seen.size; }\n")
    a = analyse(src, "g.ts", SYMBOLIC)
    assert a.inferences["connect::METHOD_PARAMETER_IN::store"].type == "Store<S,A>"   # name rule + scope
    assert a.inferences["tally::METHOD_PARAMETER_IN::seen"].type in (None, "Set<any>")  # never a bare Set


def test_callers_of_one_constructor_do_not_type_another_class() -> None:
    src = ("class A { constructor(x) { this.x = x; } }\nclass B { constructor(y) { this.y = y; } }\n"
           "const n = 3; const s = 'a';\nnew A(n); new B(s);\n")
    a = analyse(src, "c.ts", SYMBOLIC)
    assert a.inferences["A.constructor::METHOD_PARAMETER_IN::x"].type == "number"
    assert a.inferences["B.constructor::METHOD_PARAMETER_IN::y"].type == "string"


def test_types_that_would_break_the_file_are_not_written() -> None:
    from typeinfer.annotate import writable

    assert writable("Map<string, number[]>") and writable("(a: number) => void")
    assert not writable("{ a: 1 // note\n }") and not writable("'open")


def test_parameter_properties_and_accessors_are_fields_and_methods_are_not() -> None:
    src = """class Point {
  constructor(readonly x: number, private y: number, z: string) {}
  get norm(): number { return Math.sqrt(this.x * this.x); }
  get half() { return this.x / 2; }
  set label(v: string) { }
  scale(k: number): Point { return new Point(this.x * k, 0, ""); }
}
function use(p: Point) { const n = p.norm; const h = p.half; const x = p.x; const f = p.scale; return n; }
"""
    (udt,) = slice_program(build_cpg(src)).userDefinedTypes
    fields = {f.name: f.typeFullName for f in udt.fields}
    assert fields == {"x": "number", "y": "number", "norm": "number", "half": "ANY", "label": "string"}
    assert [p.callName for p in udt.procedures] == ["constructor", "scale"]  # z is a plain parameter
    got = types_of(src)
    found = {k.rsplit("::", 1)[-1]: t for k, t in got.items() if "use" in k.split("::", 1)[0]}
    assert found["n"] == found["h"] == found["x"] == "number", found
    assert found.get("f") is None, found  # a method read without a call is a function, not what it returns


def test_an_empty_array_is_typed_by_what_is_pushed_when_all_of_it_is_known() -> None:
    got = types_of("""class Foo { a = 1 }
function f(n: number) {
  const foos = [];
  const e = new Foo();
  foos.push(e);
  foos.push(new Foo());
  const words = [];
  words.push("a", "b");
  const mixed = [];
  mixed.push(1, "b");
  const opaque = [];
  opaque.push(g(n));
  return foos;
}
declare function g(n: number): any;
""")
    assert got["f::LOCAL::foos"] == "Foo[]" and got["f::LOCAL::words"] == "string[]"
    assert got.get("f::LOCAL::mixed") is None and got.get("f::LOCAL::opaque") is None


def test_an_object_literal_is_the_one_interface_of_its_shape() -> None:
    got = types_of("""interface Err { message: string; rule?: string }
interface Coded { message: string; code: number }
function a(m: string) { const e = { message: m }; return e; }
function b(m: string) { return { message: m, rule: "r" }; }
function c(m: string) { const e = { message: m, code: 1, extra: true }; return e; }
function d(m: string) { const e = { ...{ message: m } }; return e; }
""")
    assert got["a::LOCAL::e"] == "Err" and got["b::METHOD_RETURN::<return>"] == "Err"
    assert got.get("c::LOCAL::e") is None  # an excess property: neither interface
    assert got.get("d::LOCAL::e") is None  # a spread hides the keys


def test_bigint_is_its_own_type_and_does_not_mix_with_number() -> None:
    from typeinfer.infer import analyse
    from typeinfer.predict.symbolic import SymbolicPredictor

    src = ("function f(a, b) { const c = a * 2n; const d = BigInt(b); return c; }\n"
           "function g(x) { const y = x * 2; return -y; }\n")
    got = {k: i.type for k, i in analyse(src, "b.ts", [SymbolicPredictor()]).inferences.items()}
    assert got["f::METHOD_PARAMETER_IN::a"] == "bigint"   # operand of * with a bigint literal
    assert got["f::LOCAL::c"] == "bigint" and got["f::LOCAL::d"] == "bigint"  # BigInt() returns bigint
    assert got["g::METHOD_PARAMETER_IN::x"] == "number" and got["g::LOCAL::y"] == "number"


def _judgement(tmp_path: Path, src: str, name: str = "a.ts", fill: Fill | None = None) -> Judged:
    """The compiler-judged pipeline (symbolic rules, and ``fill`` as the last source) on one file."""
    from typeinfer.checker import Checker
    from typeinfer.judge import judge

    f = tmp_path / name
    f.write_text(src, encoding="utf-8")
    checker = Checker(tmp_path)
    try:
        return judge(analyse(src, str(f), [SymbolicPredictor()]).inferences, src, f, checker, fill=fill)
    finally:
        checker.close()


def _project(root: Path, lib: str) -> Path:
    """A package folder holding one source besides the file under test (``lib.ts``): what the project's own
    style (its annotations, `judge.js` counts them) is read from."""
    root.mkdir()
    (root / "package.json").write_text('{"name": "p", "version": "1.0.0"}', encoding="utf-8")
    (root / "lib.ts").write_text(lib, encoding="utf-8")
    return root


def _judged(tmp_path: Path, src: str, name: str = "a.ts") -> tuple[dict[str, str], dict[str, str]]:
    """The hints and the hover-only candidates of the compiler-judged pipeline (symbolic rules)."""
    got = _judgement(tmp_path, src, name)
    return ({k: str(i.type) for k, i in got.hints.items()},
            {k: str(i.type) for k, i in got.candidates.items()})


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_javascript_variables_typed_by_their_operators(tmp_path: Path) -> None:
    # TypeScript compiled to JavaScript: `let a = s[0]` is `any` (s is an untyped parameter), but
    # an operand of `|`, `^`, `>>>` is a number (TypeScript's operand rule); the hint is inline
    # JSDoc before each name of a list of declarators, where the compiler reads it. A variable the
    # code tests with `typeof` holds a union it tells apart: no hint, though `k - 1` looks numeric
    src = ("export function mix(s, n) {\n"
           "  let a = s[0], b = s[1];\n"
           "  for (let i = 0; i < n; i++) { a = (a + b) | 0; b = (b ^ a) >>> 7; }\n"
           "  const k = s.shift();\n"
           "  if (typeof k === 'string') return k;\n"
           "  return a + b + (k - 1);\n"
           "}\n")
    got = _judgement(tmp_path, src, "a.js")
    a, b = got.hints["mix::LOCAL::a"], got.hints["mix::LOCAL::b"]
    assert (a.type, b.type) == ("number", "number")
    line = src.split("\n")[1]
    assert [(e.line, e.col, e.text) for e in (a.writes or ()) + (b.writes or ())] == [
        (2, line.index("a ="), "/** @type {number} */ "), (2, line.index("b ="), "/** @type {number} */ ")]
    assert "mix::LOCAL::k" not in got.hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_javascript_arrow_returns_are_checked_through_their_jsdoc(tmp_path: Path) -> None:
    # JR: a callback's return the compiler leaves `any` (it calls a recursive function the compiler cannot type, whose
    # own return the predictors give as `string`) gets its prediction checked through `/** @returns {T} */` before the
    # arrow, where the compiler reads it as the arrow's. A wrong one adds an error and is no hint.
    src = ("export function walk(n) {\n"
           "  if (!n) return '';\n"
           "  return walk(n.next) + n.s;\n"
           "}\n"
           "export function all(rows) {\n"
           "  const a = rows.map((r) => walk(r));\n"
           "  const b = rows.map(r => walk(r.child));\n"
           "  const c = rows.map((r) => { const w = walk(r); return w.length > 1 ? w : 0 });\n"
           "  return [a, b, c];\n"
           "}\n")
    got = _judgement(tmp_path, src, "a.js")
    returns = {k.split("::")[0]: i for k, i in got.hints.items() if k.endswith("METHOD_RETURN::<return>")}
    lines = src.split("\n")
    assert returns["all.<lambda>0"].type == "string"
    assert [(e.line, e.col, e.text) for e in returns["all.<lambda>0"].writes] == [
        (6, lines[5].index("(r) =>"), "/** @returns {string} */ ")]
    assert [(e.line, e.col, e.text) for e in returns["all.<lambda>1"].writes] == [
        (7, lines[6].index("r =>"), "/** @returns {string} */ ")]
    assert returns.get("all.<lambda>2") is None or returns["all.<lambda>2"].type != "string"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_javascript_copies_and_returns_inherit_an_operand_type(tmp_path: Path) -> None:
    # An operand of `|` or `^` is a number as surely as a literal is: the answer enters the
    # environment, so `y` copied into `x` and `return x` are numbers too; a comparison (`r < 4`:
    # strings compare) is no such evidence
    src = ("export function core(s, cnt) {\n"
           "  let y = s[0], c = cnt;\n"
           "  let x = y, z = c;\n"
           "  for (let r = 0; r < 4; r++) { x = (x + z) | 0; z = z ^ x; }\n"
           "  return x;\n"
           "}\n")
    got = _judgement(tmp_path, src, "a.js")
    assert got.hints["core::LOCAL::y"].type == "number"
    assert "assigned to x" in got.hints["core::LOCAL::y"].evidence[0]
    assert got.hints["core::METHOD_RETURN::<return>"].type == "number"
    ts = analyse(src, tmp_path / "a.ts", [SymbolicPredictor()])
    assert ts.inferences["core::LOCAL::y"].type == "number"
    weak = analyse("export function f(s) { let y = s[0]; let x = y; return x < 4; }\n", tmp_path / "b.js",
                   [SymbolicPredictor()])
    assert weak.inferences["f::LOCAL::y"].type is None


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_javascript_parameter_hint_that_would_make_calls_too_short_is_shown_not_written(tmp_path: Path) -> None:
    # In JavaScript every untyped parameter is optional; one JSDoc type makes them all required,
    # so `pad(3)` stops compiling once `width` is typed (TS2554). The type itself is right:
    # `width` is a hint, with no edit; `spaces`, whose function is always called in full, is written
    src = ("function pad(width, fill) { return (fill || ' ').repeat(width - 1); }\n"
           "function indent(spaces, text) { return ' '.repeat(spaces - 1) + text; }\n"
           "export const a = pad(3) + pad(4, '-') + indent(2, 'x');\n")
    got = _judgement(tmp_path, src, "a.js")
    width, spaces = got.hints["pad::METHOD_PARAMETER_IN::width"], got.hints["indent::METHOD_PARAMETER_IN::spaces"]
    assert (width.type, spaces.type) == ("number", "number")
    assert width.writes == ()
    assert [e.text for e in spaces.writes or ()] == ["/** @type {number} */ "]


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_loop_variables_get_the_compiler_type_and_no_edit(tmp_path: Path) -> None:
    # `for (const k in o)`: k is a string (the compiler says so, in JS too); `for (const n of
    # xs)`: the element type. Shown as hints like any variable, but no annotation or JSDoc can be
    # written on a loop variable: no edit
    for name, src in (("a.js", "export function f(o) {\n  for (const k in o) console.log(k);\n"
                               "  for (const n of [1, 2]) console.log(n);\n}\n"),
                      ("a.ts", "export function f(o: object) {\n  for (const k in o) console.log(k);\n"
                               "  for (const n of [1, 2]) console.log(n);\n}\n")):
        got = _judgement(tmp_path, src, name)
        k, n = got.hints["f::LOCAL::k"], got.hints["f::LOCAL::n"]
        assert (k.type, n.type) == ("string", "number"), name
        assert (k.writes, n.writes) == ((), ()), name

@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_parameter_gets_what_its_uses_expect(tmp_path: Path) -> None:
    # `who` is passed where a string is expected and `evt` where a StreamEvent is: the compiler's
    # type at the use (`Decl.uses`); uses that expect different types, or a wide type
    # (`string | number | boolean`), give nothing
    src = ("export interface StreamEvent { data: Uint8Array }\n"
           "function takesName(name: string): number { return name.length; }\n"
           "declare function send(e: StreamEvent): void;\n"
           "declare function show(x: number): void;\n"
           "export function greet(who) { return takesName(who); }\n"
           "export function relay(evt) { send(evt); }\n"
           "export function print(v) { show(v); takesName(v); }\n"
           "declare function log(x: string | number | boolean): void;\n"
           "export function trace(w) { log(w); }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["greet::METHOD_PARAMETER_IN::who"] == "string"
    assert hints["relay::METHOD_PARAMETER_IN::evt"] == "StreamEvent"
    assert "print::METHOD_PARAMETER_IN::v" not in hints
    assert "trace::METHOD_PARAMETER_IN::w" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_right_parameter_is_not_lost_with_a_wrong_one_of_the_same_function(tmp_path: Path) -> None:
    # `value < 0` suggests number, but the caller passes a bigint: the call stops compiling with
    # both annotations written; `name: string` alone adds no error and stays a hint, and `value`
    # gets what the one caller passes (one source alone, but a primitive: `ALONE_PRIMITIVE`)
    src = ("export function check(name, value) {\n"
           '  if (value < 0) throw new Error(name + " is negative");\n'
           "  return value;\n}\n"
           "const big = [1n, 2n][0];\n"
           'check("a", big);\n')
    hints, _ = _judged(tmp_path, src)
    assert hints["check::METHOD_PARAMETER_IN::name"] == "string"
    assert hints["check::METHOD_PARAMETER_IN::value"] == "bigint"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_bound_alone_is_a_hover_candidate_even_where_the_project_annotates_as_bounds_guess(tmp_path: Path) -> None:
    # ten annotated parameters passed on to takesName are all annotated as its parameter; until C23
    # that made a bound alone (the duck-typed Hasher of `hasher.update`) a hint. Over the held-out
    # sets 9 to 23 such hints were right 62% of the time: now a hover candidate, as anywhere
    wrappers = "".join(f"export function f{i}(a{i}: string) {{ return takesName(a{i}); }}\n" for i in range(10))
    src = ("function takesName(name: string): number { return name.length; }\n" + wrappers
           + "export interface Hasher { update(b: string): Hasher; digest(): string }\n"
           + 'export function run(hasher) { return hasher.update("x"); }\n')
    k = "run::METHOD_PARAMETER_IN::hasher"
    hints, cands = _judged(tmp_path, src)
    assert k not in hints
    assert cands[k] == "Hasher"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_one_source_alone_is_a_hover_candidate_and_two_make_a_hint(tmp_path: Path) -> None:
    # the name rule alone says Hasher: one source, a named type (ALONE_MIN): no hint
    src = ("export interface Hasher { update(b: string): Hasher; }\n"
           'export function run(hasher) { return hasher.update("x"); }\n')
    hints, cands = _judged(tmp_path, src)
    k = "run::METHOD_PARAMETER_IN::hasher"
    assert k not in hints and cands[k] == "Hasher"
    # a caller passing a Hasher agrees: two sources, a hint
    hints, _ = _judged(tmp_path, src + "declare const h: Hasher;\nrun(h);\n")
    assert hints[k] == "Hasher"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_one_source_alone_is_a_hint_when_a_primitive(tmp_path: Path) -> None:
    # `n / 2`: the operator rule alone says number, a primitive whose misuse the check catches
    src = "export function half(n) { return n / 2; }\n"
    hints, _ = _judged(tmp_path, src)
    assert hints["half::METHOD_PARAMETER_IN::n"] == "number"
    # a caller passing a string makes `n: number` add an error: no hint
    hints, _ = _judged(tmp_path, src + 'half("4" as string);\n')
    assert "half::METHOD_PARAMETER_IN::n" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_parameter_named_after_a_type_parameter_in_scope_gets_it(tmp_path: Path) -> None:
    # generic code names its type parameters after the values they type: `fn` → TFn (the
    # function's), `kind` → Kind (the class's); one source, but a type parameter in scope
    src = ("export function debounce<TFn extends (...a: number[]) => void>(fn, wait: number) { return () => fn(wait); }\n"
           "export class Box<Kind> { set(kind) { return kind; } }\n"
           "export function wrap<T>(value) { return [value]; }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["debounce::METHOD_PARAMETER_IN::fn"] == "TFn"
    assert hints["Box.set::METHOD_PARAMETER_IN::kind"] == "Kind"
    # `value` does not name T: nothing ties it to T
    assert "wrap::METHOD_PARAMETER_IN::value" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_parameter_gets_the_type_named_after_its_function_and_itself(tmp_path: Path) -> None:
    # `touch(cid, options)` → TouchOptions, `new Block(header, opts)` → BlockOptions: the type the
    # project named after the function (or class) and the parameter, when it needs no type arguments
    src = ("export interface TouchOptions { mtime?: number }\n"
           "export interface BlockOptions { common?: string }\n"
           "export interface GenericOptions<T> { x: T }\n"
           "export function touch(cid: string, options) { return options; }\n"
           "export class Block { constructor(header: string, opts) { } }\n"
           "export function generic(options) { return options; }\n"
           "export function other(options) { return options; }\n")
    # with the name rule's guess (a bound) agreeing, two sources: a hint; alone (`opts` is no name
    # the predictors read) it is held back (C23: such lone hints were right 11 times in 21 on the
    # held-out sets 9 to 23), until a caller passing one agrees
    hints, cands = _judged(tmp_path, src)
    assert hints["touch::METHOD_PARAMETER_IN::options"] == "TouchOptions"
    assert "Block.constructor::METHOD_PARAMETER_IN::opts" not in hints
    hints, cands = _judged(tmp_path, src + "declare const b: BlockOptions;\nnew Block('h', b);\n")
    assert hints["Block.constructor::METHOD_PARAMETER_IN::opts"] == "BlockOptions"
    # GenericOptions needs a type argument; no OtherOptions exists
    assert "generic::METHOD_PARAMETER_IN::options" not in hints
    assert "other::METHOD_PARAMETER_IN::options" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_function_used_as_a_callback_gets_the_callbacks_parameter_types(tmp_path: Path) -> None:
    # `on("message", handle)`, `xs.map(toKey)`: the types the compiler would give the parameters
    # were the function written in place; two uses that disagree give nothing
    src = ("export interface Ev { data: Uint8Array }\n"
           "export interface Close { code: number }\n"
           "declare function on(name: string, cb: (e: Ev, n: number) => void): void;\n"
           "declare function onClose(cb: (e: Close) => void): void;\n"
           "function handle(evt, count) { return evt.data.length + count; }\n"
           "on('message', handle);\n"
           "const toKey = (x, i) => `${x}:${i}`;\n"
           "export const keys = ['a', 'b'].map(toKey);\n"
           "function either(evt) { return evt; }\n"
           "on('m', either);\n"
           "onClose(either);\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["handle::METHOD_PARAMETER_IN::evt"] == "Ev"
    assert hints["handle::METHOD_PARAMETER_IN::count"] == "number"
    assert hints["toKey::METHOD_PARAMETER_IN::x"] == "string"
    assert "either::METHOD_PARAMETER_IN::evt" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_method_gets_the_parameter_types_of_the_member_it_implements_or_overrides(tmp_path: Path) -> None:
    # TypeScript leaves `get(key, options)` implicitly any in a class implementing `Router<Uint8Array>`;
    # the interface's types (instantiated, an optional one without its `| undefined`) are the hints.
    # A base with overloads that disagree at a position, a static method and a method of no base
    # member give nothing.
    src = ("export interface AbortOptions { signal?: AbortSignal }\n"
           "export interface Router<K> {\n"
           "  get(key: K, options?: AbortOptions): Promise<K>\n"
           "  on(cb: (err: Error) => void): void\n"
           "  pick(x: string): void\n"
           "  pick(x: number): void\n"
           "}\n"
           "abstract class Base { abstract run(sql: string): number }\n"
           "export class R extends Base implements Router<Uint8Array> {\n"
           "  async get(key, options) { return key }\n"
           "  on(cb) { cb(new Error('x')) }\n"
           "  pick(x) { }\n"
           "  run(sql) { return sql.length }\n"
           "  other(y) { return y }\n"
           "  static get(key) { return key }\n"
           "}\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["R.get::METHOD_PARAMETER_IN::key"] == "Uint8Array"
    assert hints["R.get::METHOD_PARAMETER_IN::options"] == "AbortOptions"
    assert hints["R.on::METHOD_PARAMETER_IN::cb"] == "(err: Error) => void"
    assert hints["R.run::METHOD_PARAMETER_IN::sql"] == "string"
    assert "R.pick::METHOD_PARAMETER_IN::x" not in hints
    assert "R.other::METHOD_PARAMETER_IN::y" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_field_assigned_from_a_hinted_parameter_gets_the_compilers_type(tmp_path: Path) -> None:
    # `this.registrar = components.registrar` is `any` while `components` is open; once the call
    # site's type is verified as its hint, the compiler types both fields from the constructor
    src = ("export interface Registrar { handle(p: string): void }\n"
           "export interface Components { registrar: Registrar; maxStreams: number }\n"
           "export class Svc {\n"
           "  private registrar\n"
           "  private max\n"
           "  constructor(components) {\n"
           "    this.registrar = components.registrar\n"
           "    this.max = components.maxStreams\n"
           "  }\n"
           "  run() { this.registrar.handle('x'); return this.max + 1 }\n"
           "}\n"
           "declare const c: Components;\n"
           "export const svc = new Svc(c);\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["Svc.constructor::METHOD_PARAMETER_IN::components"] == "Components"
    assert hints["Svc.<fields>::MEMBER::registrar"] == "Registrar"
    assert hints["Svc.<fields>::MEMBER::max"] == "number"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_this_passed_at_a_call_site_is_the_class_instance(tmp_path: Path) -> None:
    # CT: `Int.lte(this, other)` and `Int.lte(other, this)` pass an Int to both parameters; `this` is the
    # polymorphic this type, which no author writes, so the sites agreed on nothing before
    src = ("export class Int {\n"
           "  value: number = 0;\n"
           "  static lte(lhs, rhs) {\n"
           "    return lhs.value <= rhs.value;\n"
           "  }\n"
           "  lte(other: Int) { return Int.lte(this, other); }\n"
           "  gte(other: Int) { return Int.lte(other, this); }\n"
           "}\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["Int.lte::METHOD_PARAMETER_IN::lhs"] == "Int"
    assert hints["Int.lte::METHOD_PARAMETER_IN::rhs"] == "Int"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
@pytest.mark.parametrize("name", ["a.ts", "a.js"])
def test_a_variable_is_held_back_by_its_own_misfits_not_by_another_of_its_name(tmp_path: Path, name: str) -> None:
    # V1s: `b`'s array is given a string its type does not hold, so its compiler type is no hint (V1); `a`'s loop
    # variable of the same name is another variable, and keeps its hint
    src = ("export function a() {\n"
           "  let t = 0;\n"
           "  for (let i = 0; i < 3; i++) t += i;\n"
           "  return t;\n"
           "}\n"
           "export function b() {\n"
           "  const i = [1];\n"
           "  i.push('x');\n"
           "  return i.length;\n"
           "}\n")
    got = _judgement(tmp_path, src, name)
    assert got.hints["a::LOCAL::i"].type == "number"
    assert "b::LOCAL::i" not in got.hints and got.candidates["b::LOCAL::i"].type == "number[]"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
@pytest.mark.parametrize("name", ["a.ts", "a.js"])
def test_private_fields_get_the_compilers_type_like_named_ones(tmp_path: Path, name: str) -> None:
    # P1: an ECMAScript private field (`#count`) is a field like `count`: the compiler's type of its
    # initialiser, or of what its constructor assigns, is its hint, written before its name
    src = ("export class Counter {\n"
           "  #count = 0;\n"
           "  #label;\n"
           "  constructor(label) {\n"
           "    this.#label = String(label);\n"
           "  }\n"
           "  bump() { this.#count += 1; return this.#label + this.#count; }\n"
           "}\n")
    got = _judgement(tmp_path, src, name)
    count, label = got.hints["Counter.<fields>::MEMBER::#count"], got.hints["Counter.<fields>::MEMBER::#label"]
    assert (count.type, label.type) == ("number", "string")
    if name.endswith(".js"):
        assert [(e.line, e.text) for e in label.writes or ()] == [(3, "/** @type {string} */ ")]
    else:
        assert [(e.line, e.text) for e in label.writes or ()] == [(3, ": string")]


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_return_the_compiler_typed_is_retyped_given_the_verified_parameters(tmp_path: Path) -> None:
    # C31: `rel`'s switch is exhaustive only once `platform` is a Platform (the project's convention,
    # verified); the compiler's type of the file as it stands adds `| undefined`. The hint is the type
    # given the verified parameter hints, and that is what is written beside them (its string literals
    # as authors write them, C32: `string`, not `string | undefined`).
    src = ("export type Platform = 'linux' | 'mac' | 'win'\n"
           "export function a(platform: Platform): void {}\n"
           "export function b(platform: Platform): void {}\n"
           "export function rel(platform) {\n"
           "  switch (platform) {\n"
           "    case 'linux': return 'a'\n"
           "    case 'mac': return 'b'\n"
           "    case 'win': return 'c'\n"
           "  }\n"
           "}\n"
           "export function other(n) { switch (n) { case 1: return 'x' } }\n")
    got = _judgement(tmp_path, src)
    assert str(got.hints["rel::METHOD_PARAMETER_IN::platform"].type) == "Platform"
    ret = got.hints["rel::METHOD_RETURN::<return>"]
    assert ret.type == "string" and ret.source == "tsc" and ret.writes
    assert "given the verified hints" in ret.evidence[0]
    assert got.hints["other::METHOD_RETURN::<return>"].type == '"x" | undefined'


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_return_of_literals_is_hinted_as_its_author_writes_it(tmp_path: Path) -> None:
    # C32: the compiler infers `"unchanged" | "frozen" | "deleted"`; the project's smallest alias holding
    # them all is the hint; string literals no alias holds are `string` (nullish members kept); members
    # of one enum are the enum; a comparator's numbers and a single literal stay. Where writing the wider
    # type adds an error (a caller needs the literals), the hint is the compiler's print.
    src = ("export type Status = 'unchanged' | 'frozen' | 'deleted'\n"
           "export type Wide = 'unchanged' | 'frozen' | 'deleted' | 'other'\n"
           "export enum R { A, B, C }\n"
           "export function status(n: number) { if (n === 0) return 'unchanged'; if (n === 1) return 'frozen'; return 'deleted' }\n"
           "export function kind(x: number) { if (x > 1) return 'a'; if (x > 0) return 'b'; return undefined }\n"
           "export function cmp(a: number, b: number) { return a < b ? -1 : a > b ? 1 : 0 }\n"
           "export function r(x: number) { return x > 0 ? R.A : R.B }\n"
           "export function one() { return 'x' as const }\n"
           "export function pm(yarn: boolean) { return yarn ? 'pnpm' : 'npm' }\n"
           "export const use: 'pnpm' | 'npm' = pm(true)\n"
           "export function comp(c: RTCIceCandidate) { return c.component }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["comp::METHOD_RETURN::<return>"] == "RTCIceComponent | null"  # printed by its alias already
    assert hints["status::METHOD_RETURN::<return>"] == "Status"
    assert hints["kind::METHOD_RETURN::<return>"] == "string | undefined"
    assert hints["r::METHOD_RETURN::<return>"] == "R"
    assert hints["cmp::METHOD_RETURN::<return>"] == "0 | 1 | -1"
    assert hints["one::METHOD_RETURN::<return>"] == '"x"'
    assert hints["pm::METHOD_RETURN::<return>"] == '"pnpm" | "npm"'


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_returned_object_literal_is_hinted_by_the_name_the_code_gives_it(tmp_path: Path) -> None:
    # C34b: the compiler infers `{ db: string; writable: boolean; }`, a structure without a name (a hole
    # before); the one interface in scope assignable to it both ways is the hint, also inside a Promise.
    # Two such names, none, an `any` inside, or a function type (an alias of a signature is a looser
    # name): still a hole.
    src = ("export interface Init { db: string; writable: boolean }\n"
           "export interface Pair { a: number; b: number }\n"
           "export interface Twin { a: number; b: number }\n"
           "export type Cb = (n: number) => void\n"
           "export function init(db: string) { return { db, writable: true } }\n"
           "export async function later(db: string) { return { db, writable: false } }\n"
           "export function pair(n: number) { return { a: n, b: n } }\n"
           "export function other() { return { x: 1 } }\n"
           "export function loose(x: any) { return { db: x as any, writable: true } }\n"
           "export function cb() { return (n: number) => { console.log(n) } }\n")
    got = _judgement(tmp_path, src)
    ret = got.hints["init::METHOD_RETURN::<return>"]
    assert ret.type == "Init" and ret.source == "tsc" and ret.writes
    assert got.hints["later::METHOD_RETURN::<return>"].type == "Promise<Init>"
    for f in ("pair", "other", "loose", "cb"):  # (the predictors may still propose a verified shape)
        hint = got.hints.get(f"{f}::METHOD_RETURN::<return>")
        assert hint is None or hint.source != "tsc", (f, hint)


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_default_type_arguments_are_left_out_as_authors_write_them(tmp_path: Path) -> None:
    # C35c: trailing type arguments equal to their parameter's default are left out of a return's hint
    # (the printer spells them all), at top level and in each member of a union; an argument that is not
    # the default stays. C36: a `never` that only fills a defaulted parameter is left out too; any other
    # `never` (`Promise<never>`, a non-default position) still makes the compiler's type a hole.
    src = ("export interface Digest<C extends number = number, S = string> { code: C; s?: S }\n"
           "declare function dig<C extends number = number>(c: C): Digest<C>\n"
           "export function d1(n: number) { return dig(n) }\n"
           "export function d2() { return dig(7 as const) }\n"
           "export function d3(n: number) { return n ? dig(n) : undefined }\n"
           "export interface Eff<A, E = never> { a: A; e?: E }\n"
           "declare function mk<A, E = never>(a: A): Eff<A, E>\n"
           "export function e1() { return mk(1) }\n"
           "export function e2() { return mk(mk(1) as never) }\n"
           "export function rej() { return Promise.reject(new Error('x')) }\n"
           "export function fail(msg: string) { throw new Error(msg) }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["d1::METHOD_RETURN::<return>"] == "Digest"
    assert hints["d2::METHOD_RETURN::<return>"] == "Digest<7>"
    assert hints["d3::METHOD_RETURN::<return>"] == "Digest | undefined"
    assert hints["e1::METHOD_RETURN::<return>"] == "Eff<number>"
    assert "e2::METHOD_RETURN::<return>" not in hints and "rej::METHOD_RETURN::<return>" not in hints
    assert "fail::METHOD_RETURN::<return>" not in hints  # TH: a stub that always throws


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_uses_that_expect_a_type_parameter_in_scope_give_it(tmp_path: Path) -> None:
    # `this.m.set(k, v)` in `Cache<K, V>` expects K and V, the class's own type parameters; a
    # generic callee's own T (not yet inferred) says nothing
    src = ("export class Cache<K, V> {\n"
           "  m = new Map<K, V>();\n"
           "  set(k, v) { this.m.set(k, v); }\n"
           "}\n"
           "declare function box<T>(x: T): T[];\n"
           "export function wrap<U>(value) { return box(value); }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["Cache.set::METHOD_PARAMETER_IN::k"] == "K"
    assert hints["Cache.set::METHOD_PARAMETER_IN::v"] == "V"
    assert "wrap::METHOD_PARAMETER_IN::value" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_evidence_types_are_written_as_authors_write_them(tmp_path: Path) -> None:
    # the printer spells out a default `ArrayBufferLike` argument (`List<ArrayBufferLike>`) and an
    # optional callback parameter's `| undefined`; an author writes `List` and `dst?: Uint8Array`.
    # A mapped type over an uninferred type parameter (`Partial<unknown>`) and an array of unknown
    # (what `[]`-like values pass) are no candidates.
    src = ("export class List<T extends ArrayBufferLike = ArrayBufferLike> { b?: T }\n"
           "declare function take(x: Uint8Array | List): void;\n"
           "export function pass(buf) { take(buf); }\n"
           "declare function cipher(enc: (data: Uint8Array, dst?: Uint8Array) => void): void;\n"
           "function encrypt(data, dst?) { return [data, dst]; }\n"
           "cipher(encrypt);\n"
           "declare function encode<T>(obj: Partial<T>): Uint8Array;\n"
           "export function wrapEncode(obj) { return encode(obj); }\n"
           "declare function none(): unknown[];\n"
           "function count(xs) { return [xs]; }\n"
           "export const c = count(none());\n")
    hints, _ = _judged(tmp_path, src)
    assert "count::METHOD_PARAMETER_IN::xs" not in hints  # unknown[]: elements nothing pinned down
    assert hints["pass::METHOD_PARAMETER_IN::buf"] == "Uint8Array | List"
    assert hints["encrypt::METHOD_PARAMETER_IN::dst"] == "Uint8Array"
    assert "wrapEncode::METHOD_PARAMETER_IN::obj" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_what_every_call_site_passes_is_a_hint_alone(tmp_path: Path) -> None:
    # one source, a named type: the compiler's type of what the callers pass (C13; the usage
    # slice cannot see through `make()[0].p`); callers that disagree give nothing
    src = ("export interface Point { x: number; y: number }\n"
           "export interface Size { w: number }\n"
           "function keep(q) { return [q]; }\n"
           "function either(v) { return v; }\n"
           "declare const a: Point;\ndeclare const s: Size;\n"
           "declare function make(): { p: Point }[];\n"
           "export const kept = keep(make()[0].p);\n"
           "either(a); either(s);\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["keep::METHOD_PARAMETER_IN::q"] == "Point"
    assert "either::METHOD_PARAMETER_IN::v" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_compiler_hints_are_written_as_authors_write_them(tmp_path: Path) -> None:
    # an optional member's type holds the `| undefined` its `?` adds, and a typed array the default
    # `ArrayBufferLike` argument; the author of `slot?: bigint` writes neither (C16a). A `| undefined`
    # of a member without `?` is its own and stays.
    src = ("export class Header {\n"
           "  slot?;\n"
           "  root?;\n"
           "  parent;\n"
           "  constructor(n: bigint, b: Uint8Array, p: Header | undefined) { this.slot = n; this.root = b; this.parent = p; }\n"
           "}\n")
    hints, _ = _judged(tmp_path, src)
    members = {k.split("::")[-1]: t for k, t in hints.items() if "::MEMBER::" in k}
    assert members == {"slot": "bigint", "root": "Uint8Array", "parent": "Header | undefined"}


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_typed_arrays_are_shown_as_authors_write_them_where_the_code_holds_it(tmp_path: Path) -> None:
    # TypeScript >= 5.7 prints `new Uint8Array(32)` as `Uint8Array<ArrayBuffer>`; authors write
    # `Uint8Array` (C21), in a project whose sources never write a buffer argument (T1; a declaration
    # file's does not count). Where the wider type would add an error (`raw` goes where only an
    # ArrayBuffer-backed array may), the hint is the compiler's print, and that is what is written.
    (tmp_path / "buf.d.ts").write_text("export declare function takesBuffer(b: Uint8Array<ArrayBuffer>): void;\n",
                                       encoding="utf-8")
    src = ("import { takesBuffer } from './buf';\n"
           "export class Block {\n"
           "  hash = new Uint8Array(32);\n"
           "  raw = new Uint8Array(8);\n"
           "  keep() { takesBuffer(this.raw); }\n"
           "}\n"
           "export function make(n: number) { return new Uint8Array(n); }\n"
           "export function local() { const z = new Uint8Array(4); return z.length; }\n")
    judged = _judgement(tmp_path, src, "a.ts")
    hints = {k: str(i.type) for k, i in judged.hints.items()}
    members = {k.split("::")[-1]: t for k, t in hints.items() if "::MEMBER::" in k}
    assert members == {"hash": "Uint8Array", "raw": "Uint8Array<ArrayBuffer>"}
    assert {t for k, t in hints.items() if k.startswith("make::METHOD_RETURN")} == {"Uint8Array"}
    assert hints["local::LOCAL::z"] == "Uint8Array"  # a variable too, in such a project (T1; C21b showed the print)
    written = {k.split("::")[-1]: "".join(e.text for e in i.writes) for k, i in judged.hints.items() if i.writes}
    assert written["hash"].strip(": ") == "Uint8Array"
    assert "raw" not in written or "ArrayBuffer>" in written["raw"]


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_defaulted_parameter_is_a_hole_not_its_defaults_type(tmp_path: Path) -> None:
    # `prng = defaultSource` is SystemRandomSource to the compiler (the default's class); the
    # project annotates `prng` as RandomSource (C24: a defaulted parameter is a hole, and the
    # convention is its candidate, judged like any). A literal default still gets its primitive
    # from the predictors (`width = 8`: number), judged too: never the compiler's hint
    src = ("export interface RandomSource { bytes(n: number): Uint8Array }\n"
           "export class SystemRandomSource implements RandomSource { bytes(n: number) { return new Uint8Array(n); } extra = 1; }\n"
           "export const defaultSource = new SystemRandomSource();\n"
           "export function a(n: number, prng: RandomSource) { return prng.bytes(n); }\n"
           "export function b(n: number, prng: RandomSource) { return prng.bytes(n + 1); }\n"
           "export function randomBytes(n: number, prng = defaultSource) { return prng.bytes(n); }\n"
           "export function pad(s: string, width = 8) { return s.padStart(width); }\n")
    got = _judgement(tmp_path, src, "a.ts")
    prng, width = got.hints["randomBytes::METHOD_PARAMETER_IN::prng"], got.hints["pad::METHOD_PARAMETER_IN::width"]
    assert (prng.type, prng.source) == ("RandomSource", "convention")
    assert width.type == "number" and width.source != "tsc"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_the_one_type_with_every_property_read_is_a_candidate(tmp_path: Path) -> None:
    # `to.dial()`, `to.addrs`, `to.id`: of the file's types only `Peer` has all three (C17);
    # one property read (`y.id`) is too little to tell `Peer` from `Other`
    src = ("export interface Peer { id: string; addrs: string[]; dial(): void }\n"
           "export interface Other { id: string; name: string }\n"
           "export function connect(to) { to.dial(); return to.addrs.length + to.id.length; }\n"
           "export function one(y) { return y.id; }\n")
    hints, candidates = _judged(tmp_path, src)
    assert hints["connect::METHOD_PARAMETER_IN::to"] == "Peer"
    assert "one::METHOD_PARAMETER_IN::y" not in hints and "one::METHOD_PARAMETER_IN::y" not in candidates


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_fill_is_asked_only_where_no_source_reaches_and_judged_like_the_rest(tmp_path: Path) -> None:
    # `fill` (an LLM's infill in use) is the last source: asked once, for the parameters without any
    # candidate; its answer is a hint only if writing it adds no compiler error
    from typeinfer.checker import Checker
    from typeinfer.judge import judge
    from typeinfer.predict import Candidate

    src = ("export function echo(a) { return a; }\n"
           "export function deep(c) { return c.foo.bar; }\n"
           "export function twice(n) { return n * 2; }\n")
    f = tmp_path / "a.ts"
    f.write_text(src, encoding="utf-8")
    asked: list[set[str]] = []

    def fill(holes):  # type: ignore[no-untyped-def]
        asked.append(set(holes))
        return {k: (Candidate("[]", 0.99, "llm", "infill"), Candidate("number", 0.9, "llm", "infill"),
                    Candidate("string", 0.4, "llm", "infill")) for k in holes}

    checker = Checker(tmp_path)
    try:
        got = judge(analyse(src, str(f), [SymbolicPredictor()]).inferences, src, f, checker, fill=fill)
        cut = judge(analyse(src, str(f), [SymbolicPredictor()]).inferences, src, f, checker, fill=fill,
                    fill_confidence=0.95)
    finally:
        checker.close()
    assert asked[0] == {"echo::METHOD_PARAMETER_IN::a", "deep::METHOD_PARAMETER_IN::c"}  # not n: `n * 2`
    assert got.hints["echo::METHOD_PARAMETER_IN::a"].type == "number"  # the best answer that says something ([] does not)
    assert got.hints["echo::METHOD_PARAMETER_IN::a"].source == "llm"
    assert "deep::METHOD_PARAMETER_IN::c" not in got.hints                       # `c.foo` on a number: an error
    assert got.candidates["deep::METHOD_PARAMETER_IN::c"].type == "number"       # hover shows it, unverified
    assert got.hints["twice::METHOD_PARAMETER_IN::n"].source != "llm"
    assert "echo::METHOD_PARAMETER_IN::a" not in cut.hints                       # below the least confidence


@pytest.mark.llm
@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_real_small_model_fills_holes_through_the_judge(tmp_path: Path, smollm: Generator) -> None:
    from typeinfer.checker import Checker
    from typeinfer.judge import judge
    from typeinfer.predict.llm import LLMPredictor
    from typeinfer.tsc import tsc_diagnostics

    src = "export function echo(a) { return a; }\nexport function deep(c) { return c.foo.bar; }\n"
    f = tmp_path / "a.ts"
    f.write_text(src, encoding="utf-8")
    llm = LLMPredictor(smollm, fim=False)
    checker = Checker(tmp_path)
    try:
        got = judge(analyse(src, str(f), [SymbolicPredictor()]).inferences, src, f, checker, fill=llm.fill(src))
    finally:
        checker.close()
    from typeinfer.annotate import annotate

    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "a.ts"
    out.write_text(annotate(src, [i for i in got.hints.values() if i.writes]), encoding="utf-8")
    before = tsc_diagnostics([f])
    assert len(tsc_diagnostics([out])) <= len(before)   # whatever the tiny model says, no hint adds an error


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_an_assemblyscript_file_gets_no_hints(tmp_path: Path) -> None:
    # C38: AssemblyScript is written in `.ts` files with types TypeScript does not have (`i32`,
    # `usize`); the compiler cannot judge it, and its `number` is not the author's `i32`: no hints at
    # all, and the judge says why. The same function in TypeScript is judged as usual.
    src = ("export function fill(ptr: usize, value: u8, len: i32): void {\n"
           "  for (let i = 0; i < len; i++) store<u8>(ptr + <usize>i, value);\n"
           "}\n"
           "export function sum(a, b) { return a + <i32>b; }\n"
           "export function twice(x: i32) { return x * 2; }\n")
    got = _judgement(tmp_path, src)
    assert got.hints == {} and got.candidates == {}
    assert "AssemblyScript" in got.abstained and "usize" in got.abstained
    # what `types infer` prints and `--format annotate` writes: nothing either (the predictors' answers,
    # `number` for `let i = 0`, are dropped, not shown as answers)
    from typeinfer.judge import judged_inferences

    infs = analyse(src, str(tmp_path / "a.ts"), [SymbolicPredictor()]).inferences
    assert any(i.type for i in infs.values())
    shown = judged_inferences(infs, got)
    assert all(i.type is None and not edits_for(i) for i in shown.values())
    plain = _judgement(tmp_path, "export function twice(x: number) { return x * 2; }\n", "b.ts")
    assert plain.hints["twice::METHOD_RETURN::<return>"].type == "number" and not plain.abstained
    # its standard library silences the compiler line by line (`// @ts-ignore: decorator`): the types it writes
    # still tell the language
    ignored = ("// @ts-ignore: decorator\n@inline export const AL_BITS = 4;\n"
               "// @ts-ignore: decorator\n@inline export const AL_SIZE = 1 << <usize>AL_BITS;\n")
    got = _judgement(tmp_path, ignored, "c.ts")
    assert got.hints == {} and "usize" in got.abstained


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_parameter_passed_on_takes_the_type_its_callee_was_verified_with(tmp_path: Path) -> None:
    # C39 (C39b): `consumerMarkDirty` reads one property of `node` and passes it on to a function of the same
    # file, whose own parameter is stripped like every other (`any`): no evidence at first. Once the
    # callee's `node` is verified as `ReactiveNode` (every property it reads), the caller's uses expect
    # that type, and, with the predictors' guess from the call agreeing, the hint follows; a caller
    # passing it to an untyped function gets nothing.
    src = ("export interface ReactiveNode { dirty: boolean; version: number; producers: ReactiveNode[] }\n"
           "\n"
           "function producerNotifyConsumers(node) {\n"
           "  node.version++;\n"
           "  node.dirty = node.producers.length > 0;\n"
           "}\n"
           "\n"
           "export function consumerMarkDirty(node) {\n"
           "  node.dirty = true;\n"
           "  producerNotifyConsumers(node);\n"
           "}\n"
           "\n"
           "function log(x) { console.log(x); }\n"
           "\n"
           "export function touch(node) {\n"
           "  node.dirty = true;\n"
           "  log(node);\n"
           "}\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["producerNotifyConsumers::METHOD_PARAMETER_IN::node"] == "ReactiveNode"
    assert hints["consumerMarkDirty::METHOD_PARAMETER_IN::node"] == "ReactiveNode"
    assert "touch::METHOD_PARAMETER_IN::node" not in hints


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_compiler_types_no_author_writes_are_candidates_not_hints(tmp_path: Path) -> None:
    # R1: TypeScript unions what each `return` yields (`Branch | Leaf`), where an author names the common
    # supertype (`Shape`): hover candidate only. V1: `nodes` is given a `Branch` after its initializer made it
    # `Leaf[]` (an error the stripped code has): its author's type is wider, so no hint either. A variable
    # the code never outgrows, and a return of one class, keep the compiler's type.
    src = ("export interface Shape { name: string }\n"
           "export class Leaf implements Shape { name = 'leaf'; size = 1 }\n"
           "export class Branch implements Shape { name = 'branch'; kids: Shape[] = [] }\n"
           "\n"
           "export function make(big) {\n"
           "  if (big) return new Branch();\n"
           "  return new Leaf();\n"
           "}\n"
           "\n"
           "export function grow() {\n"
           "  let nodes = [new Leaf()];\n"
           "  nodes.push(new Branch());\n"
           "  return nodes.length;\n"
           "}\n"
           "\n"
           "export function leaf() {\n"
           "  let n = new Leaf();\n"
           "  return n;\n"
           "}\n")
    hints, hover = _judged(tmp_path, src)
    assert "make::METHOD_RETURN::<return>" not in hints
    assert hover["make::METHOD_RETURN::<return>"] in ("Branch | Leaf", "Leaf | Branch")
    assert "grow::LOCAL::nodes" not in hints and hover["grow::LOCAL::nodes"] == "Leaf[]"
    assert hints["leaf::LOCAL::n"] == "Leaf" and hints["leaf::METHOD_RETURN::<return>"] == "Leaf"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_project_that_never_writes_null_returns_gets_returns_without_it(tmp_path: Path) -> None:
    # N: with no tsconfig.json the judge checks with the strict defaults, so `find` returns `string | null`;
    # a project whose own return annotations (ten here) never write null compiles without strictNullChecks
    # (or writes non-null returns): the hint is `string`, shown but not written (it would add an error under
    # the defaults). The same file in a project that writes `| null` keeps the compiler's type.
    src = ("export function find(xs: string[], k: string) {\n"
           "  for (const x of xs) if (x === k) return x;\n"
           "  return null;\n"
           "}\n")
    lib = "".join(f"export function f{i}(x: number): number {{ return x + {i}; }}\n" for i in range(10))
    got = {}
    for style, extra in (("never", ""), ("writes", "export function g(x: string): string | null { return x || null; }\n")):
        judged = _judgement(_project(tmp_path / style, lib + extra), src)
        got[style] = judged.hints["find::METHOD_RETURN::<return>"]
    assert got["never"].type == "string" and not got["never"].writes
    assert got["writes"].type == "string | null"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_projects_typed_array_style_decides_the_buffer_argument(tmp_path: Path) -> None:
    # T1: since TypeScript 5.7 the compiler prints `new Uint8Array(n)` as `Uint8Array<ArrayBuffer>`. A project
    # whose own sources write that form gets it (returns and variables); one that never writes a buffer argument
    # gets the bare `Uint8Array` its authors write (variables too).
    src = ("export function bytes(n: number) { return new Uint8Array(n); }\n"
           "export function pad(): number {\n"
           "  const out = new Uint8Array(4);\n"
           "  return out.length;\n"
           "}\n")
    got = {}
    for style, lib in (("writes", "export const zero: Uint8Array<ArrayBuffer> = new Uint8Array(0);\n"),
                       ("never", "export const zero: Uint8Array = new Uint8Array(0);\n")):
        hints, _ = _judged(_project(tmp_path / style, lib), src)
        got[style] = (hints["bytes::METHOD_RETURN::<return>"], hints["pad::LOCAL::out"])
    assert got["writes"] == ("Uint8Array<ArrayBuffer>", "Uint8Array<ArrayBuffer>")
    assert got["never"] == ("Uint8Array", "Uint8Array")


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_stub_that_always_throws_gets_no_return_hint(tmp_path: Path) -> None:
    # TH: the compiler infers `void` for a function declaration whose body always ends in a throw; its author writes
    # the type the stub stands for (`open(): DB`) or `never`, so that `void` is no hint. A function that throws on
    # one path and returns on another keeps its hint.
    src = ("export interface DB { name: string }\n"
           "export function open(name: string) { throw new Error(`no ${name} on the web`) }\n"
           "export async function openAsync(name: string) { throw new Error(name) }\n"
           "export function check(n: number) { if (n < 0) throw new Error('negative'); return n }\n"
           "export function later(n: number) { const f = () => { return n }; throw new Error(String(f())) }\n")
    hints, _ = _judged(tmp_path, src)
    assert "open::METHOD_RETURN::<return>" not in hints
    assert "openAsync::METHOD_RETURN::<return>" not in hints
    assert "later::METHOD_RETURN::<return>" not in hints  # a nested function's return is not the stub's
    assert hints["check::METHOD_RETURN::<return>"] == "number"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_frozen_value_is_hinted_as_the_type_it_freezes(tmp_path: Path) -> None:
    # RO: `Object.freeze(x as Ins<A>)` is `Readonly<Ins<A, []>>` to the compiler; its author writes `Ins<A>` (the
    # freeze is a runtime guard), without the default type argument.
    src = ("export interface Ins<A, R extends unknown[] = []> { a: A; r: R }\n"
           "export interface Plain { x: number }\n"
           "export function make<A>(a: A) { return Object.freeze({ a, r: [] } as Ins<A>) }\n"
           "export function plain() { return Object.freeze({ x: 1 } as Plain) }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["make::METHOD_RETURN::<return>"] == "Ins<A>"
    assert hints["plain::METHOD_RETURN::<return>"] == "Plain"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_platform_functions_union_is_a_bound_not_a_hint(tmp_path: Path) -> None:
    # U1: `new URL(u)` takes `string | URL`: every form of a URL, not the one the author passes; such a use alone is a
    # hover candidate, not a hint. The same union from the project's own function is what its callers must pass.
    src = ("declare function fetchFrom(src: string | URL): void\n"
           "export function parse(u) { return new URL(u).host }\n"
           "export function load(s) { fetchFrom(s) }\n")
    hints, candidates = _judged(tmp_path, src)
    assert "parse::METHOD_PARAMETER_IN::u" not in hints
    assert candidates.get("parse::METHOD_PARAMETER_IN::u") is None or "URL" in candidates["parse::METHOD_PARAMETER_IN::u"]
    assert hints["load::METHOD_PARAMETER_IN::s"] == "string | URL"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_number_and_template_literal_types_are_hinted_as_authors_write_them(tmp_path: Path) -> None:
    # NL: `80 | 443` is a port, `number` to its author; a comparator's `-1 | 0 | 1` is what its authors write.
    # TL: `0x${string}` is the print of an alias the compiler lost: the alias in scope declared so, else `string`.
    src = ("export type Hex = `0x${string}`\n"
           "export function hex(n: number) { return `0x${n.toString(16)}` as const }\n"
           "export function port(secure: boolean) { return secure ? 443 : 80 }\n"
           "export async function code(ok: boolean) { return ok ? 0 : -1 }\n"
           "export function compare(a: number, b: number) { return a < b ? -1 : a > b ? 1 : 0 }\n"
           "export function sign(east: boolean) { const s = east ? 1 : -1; return s * 2 }\n"
           "export type Kind = 0 | 1 | 2\n"
           "export class Leaf { kind: Kind = 1 as Kind; size = this.kind }\n"
           "export enum State { Open, Closed }\n"
           "export class Stream { state = State.Open; close() { this.state = State.Closed } }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["port::METHOD_RETURN::<return>"] == "number"
    assert hints["code::METHOD_RETURN::<return>"] == "Promise<number>"
    assert set(hints["compare::METHOD_RETURN::<return>"].split(" | ")) == {"-1", "0", "1"}
    assert hints["sign::LOCAL::s"] == "number"
    assert hints["hex::METHOD_RETURN::<return>"] == "Hex"
    assert hints["Stream.<fields>::MEMBER::state"] == "State"  # an enum's members are not number literals
    assert hints["Leaf.<fields>::MEMBER::size"] == "Kind"  # nor is a union the code names


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_default_type_arguments_are_left_out_of_every_hint(tmp_path: Path) -> None:
    # DA: `Box<{}>` (the default filled in) is written `Box` by its author: a member's, a local's and a parameter's
    # type from its uses alike, not only a return's (C35c).
    src = ("export interface Box<T = {}> { v: T }\n"
           "declare function box(): Box\n"
           "declare function open(b: Box): void\n"
           "export class Holder { slot = box() }\n"
           "export function use(b) { open(b) }\n"
           "export function local() { const b = box(); return b.v }\n"
           "export interface Failing<E = never> { error?: E }\n"
           "declare function send(m: Failing): void\n"
           "export function post(m) { send(m) }\n")
    hints, _ = _judged(tmp_path, src)
    # a default `never` argument stays in the print, which makes it a hole (C35b), not `Failing`
    assert hints.get("post::METHOD_PARAMETER_IN::m") != "Failing"
    assert hints["Holder.<fields>::MEMBER::slot"] == "Box"
    assert hints["local::LOCAL::b"] == "Box"
    assert hints["use::METHOD_PARAMETER_IN::b"] == "Box"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_factory_is_hinted_as_the_interface_its_class_implements(tmp_path: Path) -> None:
    # IF: a function that only returns `new TcpListener(…)`, outside that class, promises the interface the class
    # implements; a class's own static constructor, or a class implementing two interfaces, keeps the class.
    src = ("export interface Listener { close(): void }\n"
           "export interface Named { name: string }\n"
           "class TcpListener implements Listener { close() {} static make() { return new TcpListener() } }\n"
           "class Both implements Listener, Named { name = 'b'; close() {} }\n"
           "export function createListener(fast: boolean) { if (fast) return new TcpListener(); "
           "return new TcpListener() }\n"
           "export function both() { return new Both() }\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["createListener::METHOD_RETURN::<return>"] == "Listener"
    assert hints["TcpListener.make::METHOD_RETURN::<return>"] == "TcpListener"
    assert hints["both::METHOD_RETURN::<return>"] == "Both"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_string_literals_passed_by_every_caller_are_the_alias_that_holds_them(tmp_path: Path) -> None:
    # CL: callers passing `'managed'` and `'generic'` (or a value typed by such a union) to a parameter with no type
    # say more than `string` where an alias in scope holds exactly those values and more: its author names the alias.
    # Literals no alias holds, or a caller passing a plain string, keep `string`.
    src = ("export type Workflow = 'managed' | 'generic'\n"
           "export type Level = 'info' | 'warn' | 'error'\n"
           "export type Severity = 'info' | 'warn' | 'error' | 'fatal'\n"
           "export function run(workflow, label) { return workflow.length + label.length }\n"
           "run('managed', 'x'); run('generic', 'y')\n"
           "export function log(level, text) { return level.toUpperCase() + text.trim() }\n"
           "const lv: Level = Math.random() > 0.5 ? 'warn' : 'info'\n"
           "log('info', 'a'); log(lv, 'b')\n"
           "export function mode(m) { return m.trim() }\n"
           "mode('managed'); mode('other')\n"
           "export function tag(t) { return t.trim() }\n"
           "tag('info'); tag(String(Math.random()))\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["run::METHOD_PARAMETER_IN::workflow"] == "Workflow"
    assert hints["run::METHOD_PARAMETER_IN::label"] == "string"
    assert hints["log::METHOD_PARAMETER_IN::level"] == "Level"  # the smallest alias holding them
    assert hints["mode::METHOD_PARAMETER_IN::m"] == "string"  # 'other' is in no alias
    assert hints["tag::METHOD_PARAMETER_IN::t"] == "string"  # a caller passes any string


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_what_every_caller_passes_is_tried_before_a_primitive_guess(tmp_path: Path) -> None:
    # CS: the predictors read `string` off a parameter's default or its comparisons; callers that all pass one other
    # type (an alias of literals, `string | undefined`) say what its author declared. That type is tried first, the
    # guess after it; callers passing plain strings change nothing.
    src = ("export type Mode = 'short' | 'long'\n"
           "export function fmt(mode = 'short') { return mode.length }\n"
           "declare const m: Mode\n"
           "fmt(m); fmt('long')\n"
           "declare const first: string | undefined\n"
           "declare const second: string | undefined\n"
           "export function strip(path) { return path === '' ? '' : String(path) }\n"
           "strip(first); strip(second)\n"
           "export function shout(text) { return text === '' ? '' : String(text) }\n"
           "shout(String(m)); shout(String(first))\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["fmt::METHOD_PARAMETER_IN::mode"] == "Mode"
    assert hints["strip::METHOD_PARAMETER_IN::path"] == "string | undefined"
    assert hints["shout::METHOD_PARAMETER_IN::text"] == "string"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_variable_given_only_string_literals_is_hinted_as_the_alias_that_holds_them(tmp_path: Path) -> None:
    # LA: an annotated variable or field whose initializer is a string literal holds a member of a closed set its author
    # names (`let packMethod: PackMethod = 'npm'`); the literals the code gives it (initializer and later assignments)
    # are hinted by the one smallest alias in scope holding them all. Other values assigned, or no alias: `string`.
    src = ("export type PackMethod = 'npm' | 'pnpm' | 'yarn'\n"
           "export type Status = 'starting' | 'started' | 'stopping' | 'stopped'\n"
           "export const RELEASE = 'npm'\n"
           "export function run(flag: boolean, name: string) {\n"
           "  let method = 'npm'\n"
           "  if (flag) method = 'yarn'\n"
           "  let label = 'npm'\n"
           "  if (flag) label = name\n"
           "  let other = 'bun'\n"
           "  return method + label + other\n"
           "}\n"
           "export class Node { status = 'stopped'; title = ''; start() { this.status = 'starting' } }\n")
    hints, _ = _judged(tmp_path, src)
    got = {k.split("::")[-1]: v for k, v in hints.items()}
    assert got["method"] == "PackMethod"
    assert got["RELEASE"] == "PackMethod"
    assert got["status"] == "Status"
    assert got["label"] == "string"  # a string that is not a literal is assigned
    assert got["other"] == "string"  # no alias holds 'bun'
    assert got["title"] == "string"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
@pytest.mark.parametrize("name", ["a.js", "a.ts"])
def test_an_empty_container_is_hinted_by_what_the_code_puts_in_it(tmp_path: Path, name: str) -> None:
    # EL: `const seen = new Set()` is `Set<any>` to the compiler in JavaScript (`Set<unknown>` in TypeScript), `[]` an
    # `any[]`; its author writes the container of what the code adds. The compiler's types of every `.add` / `.set` /
    # `.push` argument, widened, make the hint; a value of unknown type added, the container assigned again, or two
    # object types in one place (R1's reasoning: their author names a common supertype): none.
    src = ("export function index(words, first) {\n"
           "  const seen = new Set();\n"
           "  const lengths = [];\n"
           "  const byWord = new Map();\n"
           "  const mixed = [];\n"
           "  let later = [];\n"
           "  for (const w of ['a', 'bb']) { seen.add(w); lengths.push(w.length, 1); byWord.set(w, w.length > 1) }\n"
           "  mixed.push(first);\n"
           "  const found = []; found.push(new Date()); found.push(/x/);\n"
           "  const pairs = []; pairs.push([1, 2]);\n"
           "  const flags = []; flags.push(words.length > 1 ? 'x' : false); flags.push('y');\n"
           "  const maps = []; maps.push(new Map([['a', 1]]));\n"
           "  const holes = []; holes.push(undefined);\n"
           "  later.push(1); later = [2];\n"
           "  return [seen, lengths, byWord, mixed, later];\n"
           "}\n"
           "export class Pool { handles = []; open() { this.handles.push(new Date()) } }\n")
    from typeinfer.judge import CONTENTS

    hints = {k.split("::")[-1]: i for k, i in _judgement(tmp_path, src, name).hints.items()}
    got = {k: i.type for k, i in hints.items()}
    assert got["seen"] == "Set<string>"
    assert got["lengths"] == "number[]"
    assert got["byWord"] == "Map<string, boolean>"
    assert got["handles"] == "Date[]"
    assert "any" in (got.get("mixed") or "any")  # `first` is any: nothing known is added
    assert "later" not in hints or hints["later"].source != CONTENTS  # assigned again: not EL's to say
    assert "found" not in hints or hints["found"].source != CONTENTS  # two classes: their author names what they share
    assert "pairs" not in hints or hints["pairs"].source != CONTENTS  # `[1, 2]`: a tuple or an array?
    assert got["flags"] in ("(string | boolean)[]", "(boolean | string)[]")  # each member once
    assert got["maps"] == "Map<string, number>[]"
    assert "holes" not in hints or hints["holes"].source != CONTENTS  # only undefined: nothing said


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_string_literal_default_is_hinted_as_the_projects_alias_that_holds_it(tmp_path: Path) -> None:
    # DL: `rounding = 'strict'` says `string` to the compiler, but an author who gives a parameter a literal default
    # usually names the closed set it belongs to. The one smallest alias of the project (or imported) holding the
    # default is tried before `string`; a caller passing any string rejects it; no such alias: `string`.
    src = ("export type Rounding = 'ceil' | 'floor' | 'strict'\n"
           "export function div(a: number, b: number, rounding = 'strict') {\n"
           "  return rounding === 'floor' ? Math.floor(a / b) : a / b\n"
           "}\n"
           "div(1, 2); div(3, 4)\n"
           "export function greet(name = 'world') { return 'hi ' + name }\n"
           "greet(); greet('you')\n"
           "export function tag(t = 'ceil') { return t.trim() }\n"
           "tag(String(Date.now()))\n")
    hints, _ = _judged(tmp_path, src)
    assert hints["div::METHOD_PARAMETER_IN::rounding"] == "Rounding"
    assert hints["greet::METHOD_PARAMETER_IN::name"] == "string"
    assert hints.get("tag::METHOD_PARAMETER_IN::t", "string") == "string"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_null_the_code_writes_is_in_the_variables_hint(tmp_path: Path) -> None:
    # NA: `x ?? null` where `x` is declared non-null is `string` to the compiler, `string | null` to its author, who
    # does not trust the declaration; so is a `let` (or a field) that is later set to null. Without such code: as printed.
    src = ("declare const native: { channel: string; size: number }\n"
           "export const channel = native.channel ?? null\n"
           "export const size = native.size ?? undefined\n"
           "export const plain = native.channel\n"
           "export function open(path: string) {\n"
           "  let handle = path.length\n"
           "  if (path === '') handle = null\n"
           "  return String(handle)\n"
           "}\n"
           "export class Conn { timer = 0; stop() { this.timer = null } }\n")
    hints, _ = _judged(tmp_path, src)
    got = {k.split("::")[-1]: v for k, v in hints.items()}
    assert got["channel"] == "string | null"
    assert got["size"] == "number | undefined"
    assert got["plain"] == "string"
    assert got["handle"] == "number | null"
    assert got["timer"] == "number | null"


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_a_candidate_that_fails_its_check_says_which_error_it_adds(tmp_path: Path) -> None:
    # F1: a candidate the compiler refuses is a hover candidate that says why: the errors writing it adds (line,
    # code, the compiler's message), so a user sees what is wrong with it, or with the code around it
    from typeinfer.lsp import _hover_text
    from typeinfer.predict import Candidate

    src = ("export function deep(c) {\n"
           "  return c.foo.bar;\n"
           "}\n"
           "export function echo(a) { return a; }\n")

    def fill(holes):  # type: ignore[no-untyped-def]
        return {k: (Candidate("number", 0.9, "llm", "infill"),) for k in holes}

    got = _judgement(tmp_path, src, fill=fill)
    key = "deep::METHOD_PARAMETER_IN::c"
    assert key not in got.hints and got.candidates[key].type == "number"
    # `types infer` (table, JSON) shows the candidate hover shows, and why, never written
    shown = judged_inferences(analyse(src, str(tmp_path / "a.ts"), [SymbolicPredictor()]).inferences, got)[key]
    assert (shown.type, shown.source, shown.writes) == ("number", "llm (unverified)", ())
    assert any(e.startswith("writing it adds an error: line 2, TS2339") for e in shown.evidence)
    (failure,) = got.failed[key]
    assert (failure.type, failure.line, failure.code) == ("number", 2, 2339)
    assert "Property 'foo' does not exist on type 'number'" in failure.message
    hover = _hover_text(got.candidates[key], candidate=True)
    assert "writing it adds an error" in hover and "line 2" in hover and "TS2339" in hover
    assert "echo::METHOD_PARAMETER_IN::a" not in got.failed  # verified: nothing to say


@pytest.mark.skipif(not checker_available(), reason="needs node + typescript")
def test_errors_about_the_compilers_placeholder_types_do_not_reject_a_candidate(tmp_path: Path) -> None:
    # P2b: a new error about a type the compiler made up where the code says nothing (`never[]` from a default `[]`,
    # an unannotated destructuring pattern's `{ name: any; ... }`, an `unknown` value passed on) is no evidence
    # against the candidate; any other new error still rejects it, a circular inference too (`size`'s `Tree`: naming
    # a type whose members the function's own inference needs)
    from typeinfer.predict import Candidate

    src = ("export interface Opts { list: string[] }\n"
           "export function run({ ids = [] } = {}) { return ids.length; }\n"
           "export function go(opts) { return run({ ids: opts.list }); }\n"
           "export interface Test { name: string; suite?: string }\n"
           "export function show({ name, suite }) { return name + suite; }\n"
           "export function each(t) { return show(t); }\n"
           "export function put(target, params: Record<string, unknown>) {\n"
           "  for (const [k, v] of Object.entries(params)) target.set(k, v);\n"
           "}\n"
           "export class Tree { kids: Tree[] = []; }\n"
           "export function size(tree) { const n = tree.kids.reduce((a, k) => a + size(k), 0); return n + 1; }\n"
           "export function wrong(w) { return run({ ids: w.list }); }\n")
    proposed = {"opts": "Opts", "t": "Test", "target": "URLSearchParams", "tree": "Tree", "w": "number"}

    def fill(holes):  # type: ignore[no-untyped-def]
        return {k: (Candidate(proposed[k.split("::")[-1]], 0.9, "llm", "infill"),) for k in holes
                if k.split("::")[-1] in proposed}

    got = _judgement(tmp_path, src, fill=fill)
    hinted = {k.split("::")[-1]: i.type for k, i in got.hints.items() if "::METHOD_PARAMETER_IN::" in k}
    assert {n: hinted.get(n) for n in ("opts", "t", "target", "tree")} == {
        "opts": "Opts", "t": "Test", "target": "URLSearchParams", "tree": None}
    assert {f.code for f in got.failed["size::METHOD_PARAMETER_IN::tree"]} == {7022, 7023, 7024}
    assert "w" not in hinted  # `w.list` on a number: an error about the candidate itself
    assert [f.code for f in got.failed["wrong::METHOD_PARAMETER_IN::w"]] == [2339]
