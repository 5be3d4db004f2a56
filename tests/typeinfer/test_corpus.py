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
