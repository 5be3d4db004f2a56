"""Where the real data sets are looked for (`workbench data`), and a demo that runs without them."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench import data
from workbench.app.cli import app
from workbench.data import DATASETS, MissingDataError, data_folders, shared_path
from workbench.errors import WorkbenchError

runner = CliRunner()


def _checkout(root: Path) -> Path:
    """A fake checkout of this project at ``root/co`` with ``root/shared/data`` beside it."""
    co = root / "co"
    (co / "sub").mkdir(parents=True)
    (co / "pyproject.toml").write_text('[project]\nname = "neurosym-workbench"\n')
    (root / "shared" / "data" / "logic" / "proofwriter").mkdir(parents=True)
    (root / "shared" / "data" / "logic" / "proofwriter" / "dev.json").write_text("[]")
    return co


def test_search_order_env_then_checkout_then_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    co = _checkout(tmp_path)
    monkeypatch.chdir(co / "sub")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    env = tmp_path / "env"
    (env / "logic" / "proofwriter").mkdir(parents=True)
    (env / "logic" / "proofwriter" / "dev.json").write_text("[1]")
    monkeypatch.setenv("WORKBENCH_DATA", str(env))
    folders = data_folders()
    assert folders[0] == ("$WORKBENCH_DATA", env)
    assert folders[1] == ("beside the checkout of the current folder", tmp_path / "shared" / "data")
    assert folders[-1] == ("the user data folder", tmp_path / "xdg" / "workbench" / "data")
    assert shared_path("logic/proofwriter/dev.json") == env / "logic" / "proofwriter" / "dev.json"
    monkeypatch.delenv("WORKBENCH_DATA")
    assert shared_path("logic/proofwriter/dev.json") == tmp_path / "shared/data/logic/proofwriter/dev.json"
    user = tmp_path / "xdg" / "workbench" / "data" / "ifc"
    user.mkdir(parents=True)
    (user / "only-here.ifc").write_text("ISO-10303-21;")
    assert shared_path("ifc/only-here.ifc") == user / "only-here.ifc"  # missing earlier: taken from a later folder
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert not any(f.resolve().is_relative_to(site) for _, f in data_folders())


def test_a_bad_workbench_data_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_DATA", str(tmp_path / "nonexistent"))
    with pytest.raises(WorkbenchError, match=r"^WORKBENCH_DATA=.*nonexistent: no such folder"):
        data_folders()
    r = runner.invoke(app, ["data"])
    assert r.exit_code == 2 and r.stderr.startswith("error: WORKBENCH_DATA=") and "Traceback" not in r.output
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("WORKBENCH_DATA", str(tmp_path / "file"))
    with pytest.raises(WorkbenchError, match="no such folder"):
        shared_path("ifc/duplex.ifc")


def _no_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As on a machine without the shared data: only an empty user data folder."""
    monkeypatch.setattr(data, "data_folders", lambda: [("the user data folder", tmp_path / "none")])


def test_a_missing_data_set_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_data(monkeypatch, tmp_path)
    with pytest.raises(MissingDataError) as err:
        shared_path("logic/proofwriter/dev.json")
    assert str(err.value) == ("data set 'proofwriter' (logic/proofwriter/dev.json) not found in any data folder; "
                              "`workbench data` says where to put it and where to get it")
    assert data.shared_data_dir() is None


def test_workbench_data_lists_every_data_set(shared_data: Path) -> None:
    r = runner.invoke(app, ["data"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    for ds in DATASETS:
        assert ds.name in r.output and ds.licence in r.output
    assert f"present: {shared_data / 'ifc/duplex.ifc'}" in r.output
    assert "the user data folder" in r.output


def test_workbench_data_says_what_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_data(monkeypatch, tmp_path)
    r = runner.invoke(app, ["data"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and r.output.count("missing") == len(DATASETS) + 1  # each, and the closing line
    assert f"{len(DATASETS)} missing." in r.output


@pytest.mark.slow
def test_demo_without_any_data_set_runs_every_part_on_embedded_data(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_data(monkeypatch, tmp_path)
    r = runner.invoke(app, ["demo"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    tail = r.output[r.output.rindex("part(s) shown"):]
    skipped = [line for line in tail.splitlines() if line.startswith("skipped ")]
    shown = tail.splitlines()[0].split(": ", 1)[1].split(", ") if ":" in tail.splitlines()[0] else []
    assert len(shown) + len(skipped) == 6, tail
    assert all(": " in line for line in skipped)  # each with its reason
    assert "shared/data" not in r.output and "Traceback" not in r.output
    # every part runs on the data embedded in the package
    assert shown == ["logic", "causal", "types", "rules", "prove", "models"], tail
    assert "ProofWriter-style samples, first 8 problems" in r.output and "sample_house.ifc" in r.output


@pytest.mark.parametrize("args", [["logic", "eval"], ["logic", "eval", "--dataset", "proofwriter", "--limit", "2"],
                                  ["logic", "eval", "logic/linc_outputs/gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot"]])
def test_logic_eval_without_its_data_set_names_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str]) -> None:
    _no_data(monkeypatch, tmp_path)
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("error: data set '") and "`workbench data`" in line, line


def test_logic_eval_finds_the_shared_data(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["logic", "eval", "--dataset", "proofwriter", "--limit", "3"], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["logic", "eval", "logic/linc_outputs/gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot",
                            "--limit", "2"], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
