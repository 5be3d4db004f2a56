"""The named package sets of `benchmarks/types_eval.py --packages`: a user's own held-out packages."""

from __future__ import annotations

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
