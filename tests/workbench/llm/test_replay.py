"""Replay: LINC's published generations reproduced exactly, and our own JSONL recordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.llm import Completion, LLMError, SamplingParams, load_generator
from workbench.llm.replay import ReplayGenerator, write_recording

FOLIO_RAW = "logic/linc_outputs/gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot_generations_raw.json"
PW_RAW = "logic/linc_outputs/gpt-4-0613_proofwriter-neurosymbolic-8shot_generations_raw.json"


def linc_prompt(premises: list[str], conclusion: str) -> str:
    """The tail of a LINC prompt: the problem block after the few-shot examples."""
    shot = "<PREMISES>\nAll dogs bark.\n</PREMISES>\n<CONCLUSION>\nRex barks.\n</CONCLUSION>\n<EVALUATE>\nTEXT:\tAll dogs bark.\n</EVALUATE>\n\n"
    body = "\n".join(p.strip() for p in premises)
    return f"{shot}<PREMISES>\n{body}\n</PREMISES>\n<CONCLUSION>\n{conclusion.strip()}\n</CONCLUSION>\n<EVALUATE>\n"


def test_linc_folio_generations_replay_exactly_from_folio_prompts(shared_data: Path) -> None:
    raw = json.loads((shared_data / FOLIO_RAW).read_text())
    order = json.loads((shared_data / "logic/linc_outputs/linc_folio_order_to_validation_row.json").read_text())
    rows = [json.loads(line) for line in (shared_data / "logic/folio/folio-validation.jsonl").open()]
    gen = load_generator(f"replay:{shared_data / FOLIO_RAW}")
    prompts = [linc_prompt(rows[order[i]]["premises"], rows[order[i]]["conclusion"]) for i in range(len(raw))]
    out = gen.generate(prompts, SamplingParams(n=10, stop=("</EVALUATE>",)))
    assert len(out) == 182
    assert [[c.text for c in cs] for cs in out] == raw


def test_linc_proofwriter_generations_by_index_and_by_prompt(shared_data: Path) -> None:
    raw = json.loads((shared_data / PW_RAW).read_text())
    gen = ReplayGenerator.from_file(shared_data / PW_RAW)
    assert len(gen) == 360
    assert [c.text for c in gen[17].completions] == raw[17]
    # a prompt built from the sentences of problem i finds problem i
    for i in range(0, 360, 9):
        sentences = [line[5:].strip() for line in raw[i][0].splitlines() if line.startswith("TEXT:")]
        [samples] = gen.generate([linc_prompt(sentences[:-1], sentences[-1])], SamplingParams(n=5))
        assert [c.text for c in samples] == raw[i]


def test_jsonl_recording_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    comps = [[Completion("FOL: P(a)", "stop", (-0.1, -0.2), 2)], [Completion("x", "length", (), 5)]]
    write_recording(path, ["p1", "p2"], comps)
    gen = load_generator(f"replay:{path}")
    assert gen.generate(["p2", "p1"], SamplingParams()) == [comps[1], comps[0]]
    assert gen.name == "replay:rec.jsonl"


def test_replay_refuses_what_was_not_recorded(tmp_path: Path) -> None:
    gen = ReplayGenerator({"p": ["a", "b"]})
    with pytest.raises(LLMError, match="3 samples asked, 2 recorded"):
        gen.generate(["p"], SamplingParams(n=3))
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a recording"}')
    with pytest.raises(LLMError, match="bad.json"):
        load_generator(f"replay:{bad}")
    with pytest.raises(LLMError, match="no such recording"):
        load_generator(f"replay:{tmp_path / 'missing.jsonl'}")
