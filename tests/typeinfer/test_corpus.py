"""The named package sets of `benchmarks/types_eval.py --packages`: a user's own held-out packages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from typeinfer.corpus import DEV, HELDOUT30, TRAIN_ALL, package_set
from typeinfer.errors import SliceError


def test_named_packages_keep_their_versions_and_say_which_split_holds_them() -> None:
    got, warnings = package_set("css-what@8.0.0, @noble/ciphers@2.4.0,left-pad@1.3.0",
                                {"dev": DEV, "heldout30": HELDOUT30})
    assert got == {"css-what": "8.0.0", "@noble/ciphers": "2.4.0", "left-pad": "1.3.0"}
    assert warnings == ["@noble/ciphers is in the dev split (its numbers are not on unseen code)"]


@pytest.mark.parametrize("spec, problem", [("a@1.0.0,,b@2.0.0", "empty package name"),
                                           (f"{next(iter(TRAIN_ALL))}@1.0.0", "training corpus")])
def test_bad_package_lists_are_refused_with_the_reason(spec: str, problem: str) -> None:
    with pytest.raises(SliceError, match=problem):
        package_set(spec, {})


def test_the_installed_dependencies_are_the_checkouts_for_what_the_sources_import() -> None:
    """The author's checkout has its dev dependencies: one its sources import is installed (at its
    dev spec, as is a peer dependency the dev dependencies pin); test runners nobody imports are not."""
    from typeinfer.corpus import dependency_manifest, imported_packages

    text = ('import * as ts from "typescript";\nimport type { Rule } from "tslint/lib/rules";\n'
            'export { x } from "@scope/pkg/sub";\nconst fs = require("node:fs");\n'
            'const m = await import("lodash");\nimport "./local";\nimport y from "../up";\n'
            'import fse = require("fs-extra");\n')
    used = imported_packages([(text, "a.ts")])
    assert used == {"typescript", "tslint", "@scope/pkg", "lodash", "fs-extra"}
    meta = {"dependencies": {"lodash": "^4"}, "peerDependencies": {"tslint": "*"},
            "devDependencies": {"tslint": "~5.8.0", "typescript": "~2.5.3", "mocha": "^10",
                                "@scope/pkg": "1.2.3", "@types/node": "^18"}}
    assert dependency_manifest(meta, used) == {"tslint": "~5.8.0", "lodash": "^4", "@types/node": "^18",
                                               "typescript": "~2.5.3", "@scope/pkg": "1.2.3"}
    assert dependency_manifest(meta) == {"tslint": "~5.8.0", "lodash": "^4", "@types/node": "^18"}
    # where npm no longer has the dev spec, the install falls back to the peer's own
    assert dependency_manifest(meta, used, pinned=False)["tslint"] == "*"


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm (and the npm registry)")
def test_a_checkout_manifest_npm_cannot_install_falls_back_to_the_peers_own_specs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dev spec no longer published (react-native-reanimated's ``react-native@0.89.0-rc.2``) must not leave the
    package with no dependencies at all: the peers at their own specs are installed, and the failed manifest keeps
    npm's reason."""
    import json

    from typeinfer.corpus import install_dependencies, package_dir

    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path))
    root = package_dir("demo-checkout", "1.0.0")
    root.mkdir(parents=True)
    (root / "package.json").write_text(json.dumps({
        "name": "demo-checkout", "version": "1.0.0", "peerDependencies": {"is-number": "*"},
        "devDependencies": {"is-number": "99.0.0-never-published", "is-odd": "^3.0.1", "mocha": "^10"}}))
    (root / "index.ts").write_text('import isNumber from "is-number";\nimport isOdd = require("is-odd");\n'
                                   'export const odd = (n: number): boolean => isNumber(n) && isOdd(n);\n')
    modules = install_dependencies("demo-checkout", "1.0.0")
    assert modules is not None
    assert (modules / "is-number" / "package.json").is_file() and (modules / "is-odd" / "package.json").is_file()
    assert not (modules / "mocha").exists()  # a test runner no source imports
    failed = list(root.parent.glob("demo-checkout-1.0.0-deps-*/.failed"))
    assert len(failed) == 1 and "99.0.0-never-published" in failed[0].read_text()
