"""Code property graph (CPG) of one TypeScript/JavaScript file, built from tree-sitter.

The graph is a `networkx.MultiDiGraph` whose node ids are integers in source (pre-)order.
Every named tree-sitter node becomes a graph node with attributes

* ``kind``  — the tree-sitter node type (``identifier``, ``call_expression``, ...);
* ``start``/``end`` — byte offsets into the UTF-8 encoded text (end exclusive);
* ``method`` — id of the enclosing method (``0`` is the file's ``:program`` pseudo-method);
* ``label`` — a Joern node label for the nodes the slicer cares about: ``METHOD``,
  ``METHOD_PARAMETER_IN``, ``LOCAL``, ``MEMBER``, ``IDENTIFIER``, ``RETURN``, ``TYPE_DECL``.

Edges carry ``kind``:

* ``AST`` — parent → child;
* ``CFG`` — statement → next statement inside one method (branches and loop back edges);
* ``REF`` — identifier use → its declaration (parameter, local, function, class);
* ``REACHING_DEF`` — definition (declaration or assignment) → the uses it reaches;
* ``CALL`` — call site → the method of this file it calls (resolved by name).

Invariants: tree-sitter's ``ERROR``/``MISSING`` nodes never become methods or declarations, but
their children are still walked, so a syntax error only costs the construct it breaks. Scopes are
function-level (as ``var``); a name not declared in any enclosing method is left unresolved.

>>> cpg = build_cpg("function f(a) { const b = a.trim(); return g(b); }\\nfunction g(x) { return x; }")
>>> [cpg.graph.nodes[m]["name"] for m in cpg.methods]
[':program', 'f', 'g']
>>> b = cpg.declarations(cpg.methods[1])["b"]
>>> [cpg.code(u) for u in cpg.uses(b)]
['b']
>>> sorted({k for _, _, k in cpg.graph.edges(data="kind")})
['AST', 'CALL', 'CFG', 'REACHING_DEF', 'REF']
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from typeinfer.errors import SliceError
from workbench.span import Span

METHOD_KINDS = frozenset({
    "function_declaration", "generator_function_declaration", "function_expression", "function",
    "arrow_function", "method_definition", "generator_function",
})
CLASS_KINDS = frozenset({"class_declaration", "class", "abstract_class_declaration"})
FIELD_KINDS = frozenset({"public_field_definition", "field_definition"})
PARAM_KINDS = frozenset({"required_parameter", "optional_parameter"})
#: A constructor parameter with one of these is also a field (TypeScript's parameter properties).
_PARAM_PROPERTY = frozenset({"accessibility_modifier", "readonly", "override_modifier"})
STATEMENT_SUFFIXES = ("_statement", "_declaration")
#: Subtrees that carry no data flow: types, literals' insides, comments.
_OPAQUE = frozenset({
    "comment", "string", "regex", "type_annotation", "type_arguments", "type_parameters",
    "predefined_type", "type_identifier", "generic_type", "union_type",
    "implements_clause", "import_statement", "number",
})
_LOOP_KINDS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


#: Kinds `_Builder.visit` does more for than record the node (all others: just the node).
_HANDLED = METHOD_KINDS | CLASS_KINDS | FIELD_KINDS | PARAM_KINDS | frozenset({
    "interface_declaration", "type_alias_declaration", "property_signature", "method_signature",
    "identifier", "assignment_pattern", "rest_pattern", "variable_declarator", "return_statement",
    "shorthand_property_identifier", "shorthand_property_identifier_pattern", "call_expression",
    "new_expression", "catch_clause", "import_specifier", "namespace_import", "import_clause",
})
#: What the walk does with a node kind, as bits (`_kind_bits`, decided once per kind).
_STATEMENT, _VISIT, _LEAF = 1, 2, 4
_KIND_BITS: dict[str, int] = {}


#: UTF-8 continuation bytes (``10xxxxxx``): every other byte starts a code point.
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _kind_bits(kind: str) -> int:
    """`_STATEMENT` (a CFG node), `_VISIT` (more than a plain node), `_LEAF` (not descended into).

    >>> _kind_bits("return_statement") == _STATEMENT | _VISIT, _kind_bits("comment") == _LEAF
    (True, True)
    """
    got = _KIND_BITS.get(kind)
    if got is None:
        got = _KIND_BITS[kind] = (_STATEMENT * kind.endswith(STATEMENT_SUFFIXES)
                                  | _VISIT * (kind in _HANDLED) | _LEAF * (kind in _OPAQUE))
    return got

#: File suffix → tree-sitter grammar name.
DIALECTS = {".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
            ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript"}


def accessor(node: Any) -> str | None:
    """``"get"`` or ``"set"`` when a method node (class member or interface signature) is a
    getter or setter, which reads and writes as a property; ``None`` for a plain method."""
    return next((c.type for c in node.children if c.type in ("get", "set")), None)


@functools.cache
def _parser(dialect: str) -> Any:
    from workbench.errors import require

    ts = require("tree_sitter", "types")
    if dialect == "javascript":
        lang = require("tree_sitter_javascript", "types").language()
    else:
        mod = require("tree_sitter_typescript", "types")
        lang = mod.language_tsx() if dialect == "tsx" else mod.language_typescript()
    return ts.Parser(ts.Language(lang))


def dialect_of(path: str | Path | None) -> str:
    """The grammar for a file name (TypeScript when unknown).

    >>> dialect_of("a/b.tsx"), dialect_of("x.mjs"), dialect_of(None)
    ('tsx', 'javascript', 'typescript')
    """
    return DIALECTS.get(Path(path).suffix.lower(), "typescript") if path else "typescript"


def decode(data: bytes, where: str = "<bytes>") -> str:
    """Source bytes as text: UTF-8 (with a BOM stripped), undecodable bytes replaced by U+FFFD.

    >>> decode(b"let s = '\\xff';")
    "let s = '\\ufffd';"
    """
    return data.decode("utf-8-sig", errors="replace")


def read_source(path: str | Path) -> str:
    """Read a source file as text, never failing on bad encodings.

    Raises
    ------
    SliceError
        If the file cannot be read at all.
    """
    try:
        return decode(Path(path).read_bytes(), str(path))
    except OSError as exc:
        raise SliceError(f"cannot read source file: {exc.strerror}", where=str(path)) from exc


@dataclass
class Cpg:
    """The graph plus what is needed to map it back to the text (a thin, mutable container)."""

    text: str
    path: str
    dialect: str
    #: Node attributes, indexed by node id.
    nodes: list[dict[str, Any]]
    #: Every edge as ``(source, target, kind)``.
    edges: list[tuple[int, int, str]]
    tree: Any
    #: ids of METHOD nodes in source order; ``methods[0]`` is ``:program``.
    methods: list[int] = field(default_factory=list)
    #: ids of TYPE_DECL nodes (classes, interfaces, object type aliases).
    types: list[int] = field(default_factory=list)
    #: The tree-sitter node behind each graph node, indexed by node id.
    _ts: list[Any] = field(default_factory=list, repr=False)
    _data: bytes = b""
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _refs: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)
    _chars: Any = field(default=None, repr=False)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The CPG as a networkx multigraph (built on first use; the slicer reads the lists)."""
        if self._graph is None:
            g = nx.MultiDiGraph()
            g.add_nodes_from(enumerate(self.nodes))
            g.add_edges_from((u, v, {"kind": k}) for u, v, k in self.edges)
            self._graph = g
        return self._graph

    # -- positions --------------------------------------------------------------------------
    def node(self, n: int) -> Any:
        """The tree-sitter node behind graph node ``n``."""
        return self._ts[n]

    def code(self, n: int, limit: int = 10_000) -> str:
        """Source text of node ``n`` (at most ``limit`` bytes)."""
        a = self.nodes[n]
        return self._data[a["start"]: min(a["end"], a["start"] + limit)].decode("utf-8", "replace")

    def span_of_bytes(self, start: int, end: int) -> Span:
        """A `Span` (1-based lines, code-point columns) for a byte range."""
        return Span(*self._point(start), *self._point(end), self._char(start), self._char(end))

    def span(self, n: int) -> Span:
        """The `Span` of graph node ``n``."""
        a = self.nodes[n]
        return self.span_of_bytes(a["start"], a["end"])

    def _point(self, byte: int) -> tuple[int, int]:
        """(1-based line, 0-based code-point column) of a byte offset."""
        starts = self._line_starts
        row = bisect.bisect_right(starts, byte) - 1
        start = starts[row]
        if len(self._data) == len(self.text):  # ASCII: bytes are code points
            return row + 1, byte - start
        # code points = bytes that do not continue a UTF-8 sequence (counted in C)
        return row + 1, len(self._data[start:byte].translate(None, _CONTINUATION_BYTES))

    def _char(self, byte: int) -> int:
        """Code-point offset of a byte offset (a prefix count of non-continuation bytes)."""
        chars = self._chars if self._chars is not None else self._char_table()
        return chars[min(byte, len(chars) - 1)] if chars else byte

    def _char_table(self) -> list[int]:
        """Code-point offset of every byte offset (``[]`` for ASCII text: the offsets are equal).

        A list, computed once: indexing it is much cheaper than a numpy scalar.
        """
        if len(self._data) == len(self.text):
            self._chars = []
        else:
            arr = np.frombuffer(self._data, dtype=np.uint8)
            self._chars = np.concatenate(([0], np.cumsum((arr & 0xC0) != 0x80))).tolist()
        return self._chars

    # -- queries ----------------------------------------------------------------------------
    def out(self, n: int, kind: str) -> list[int]:
        """Successors of ``n`` along edges of ``kind``."""
        return [v for _, v, k in self.graph.out_edges(n, data="kind") if k == kind]

    def into(self, n: int, kind: str) -> list[int]:
        """Predecessors of ``n`` along edges of ``kind``."""
        return [u for u, _, k in self.graph.in_edges(n, data="kind") if k == kind]

    def uses(self, decl: int) -> list[int]:
        """Identifier uses that refer to declaration ``decl`` (the REF edges), in source order."""
        return self._refs.get(decl, [])

    def declarations(self, method: int) -> dict[str, int]:
        """Name → declaration node for the parameters and locals of ``method``."""
        return dict(self.nodes[method]["scope"])


def build_cpg(text: str, path: str | Path = "<memory>.ts", dialect: str | None = None) -> Cpg:
    """Parse ``text`` and build its code property graph.

    Parameters
    ----------
    text:
        The source; syntax errors are tolerated.
    path:
        Only used to pick the grammar and to name the file in results.
    dialect:
        ``typescript``, ``tsx`` or ``javascript``; defaults to `dialect_of(path)`.
    """
    dialect = dialect or dialect_of(path)
    data = text.encode("utf-8", "surrogatepass")
    tree = _parser(dialect).parse(data)
    builder = _Builder(data)
    builder.walk(tree.root_node)
    builder.finish()
    starts = [0]
    pos = data.find(b"\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    return Cpg(text, str(path), dialect, builder.nodes, builder.edges, tree, builder.methods,
               builder.types, builder.ts, data, starts, builder.refs)


def imported_modules(text: str, path: str | Path = "<memory>.ts") -> frozenset[str]:
    """The module specifiers a file imports: ``import … from``, ``export … from``, ``import x =
    require()``, ``import()`` and ``require()`` with a string literal (what a checkout must have
    installed to type it).

    >>> sorted(imported_modules('import a from "x"; export * from "./y"; const z = require("z");'))
    ['./y', 'x', 'z']
    """
    data = text.encode("utf-8", "surrogatepass")
    out: set[str] = set()
    stack = [_parser(dialect_of(path)).parse(data).root_node]
    while stack:
        node = stack.pop()
        source = None
        if node.type in ("import_statement", "export_statement", "import_require_clause"):
            source = node.child_by_field_name("source")
        elif node.type == "call_expression":
            fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            if fn is not None and args is not None and (fn.type == "import" or data[fn.start_byte:fn.end_byte] == b"require"):
                source = next((a for a in args.named_children if a.type == "string"), None)
        if source is not None and source.type == "string":
            out.add(data[source.start_byte + 1:source.end_byte - 1].decode("utf-8", "replace"))
        stack.extend(node.children)
    return frozenset(out)


class _Builder:
    """One pre-order walk that adds nodes, AST/REF/REACHING_DEF edges; CFG and CALL at the end."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[tuple[int, int, str]] = []
        self.refs: dict[int, list[int]] = {}
        self.ts: list[Any] = []
        self.methods: list[int] = []
        self.types: list[int] = []
        self.next_id = 0
        self.uses: list[tuple[int, str, int]] = []   # (use id, name, method id)
        self.calls: list[tuple[int, str, int]] = []  # (call id, callee name, method id)
        self.defs: list[tuple[int, str, int]] = []   # (def id, name, method id): assignments
        self.names: dict[int, dict[str, int]] = {}   # per-method counter for anonymous names
        self.statements: dict[tuple[int, str], int] = {}  # (start byte, kind) → statement node

    def text(self, node: Any) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def add(self, node: Any, method: int, parent: int | None = None, fld: str | None = None,
            **attrs: Any) -> int:
        i = len(self.nodes)
        self.nodes.append({"kind": node.type, "start": node.start_byte, "end": node.end_byte,
                           "method": method, "parent": parent, "field": fld, **attrs})
        self.ts.append(node)
        return i

    # One tree cursor walks the tree in pre-order (node ids are pre-order numbers); the context
    # of each open level sits on an explicit stack, so a deeply nested minified bundle cannot
    # overflow, and field names come from the cursor (``field_name_for_child`` rescans siblings).
    # Most nodes are only recorded: that is done here, inline (the walk is the CPG's hot loop);
    # `visit` does the rest.
    def walk(self, root: Any) -> None:
        prog = self.add(root, 0, label="METHOD", name=":program", full_name=":program",
                        scope={}, params=[], returns=[], cls=None, parent_method=None)
        self.methods.append(prog)
        cursor = root.walk()
        if not cursor.goto_first_child():
            return
        nodes, ts, edges, statements = self.nodes, self.ts, self.edges, self.statements
        bits_of = _KIND_BITS
        levels: list[tuple[int, int, int | None]] = [(prog, prog, None)]
        while True:
            node = cursor.node
            # MISSING nodes (zero-width insertions of the error recovery) are skipped below the top
            if node.is_named and (len(levels) == 1 or not node.is_missing):
                parent, method, cls = levels[-1]
                kind = node.type
                bits = bits_of.get(kind)
                if bits is None:
                    bits = _kind_bits(kind)
                nid = len(nodes)
                start = node.start_byte
                nodes.append({"kind": kind, "start": start, "end": node.end_byte,
                              "method": method, "parent": parent, "field": cursor.field_name})
                ts.append(node)
                edges.append((parent, nid, "AST"))
                if bits & _STATEMENT:
                    statements[(start, kind)] = nid
                if bits & _VISIT:
                    method, cls = self.visit(node, kind, nid, parent, method, cls)
                if not bits & _LEAF and cursor.goto_first_child():
                    levels.append((nid, method, cls))
                    continue
            while not cursor.goto_next_sibling():
                cursor.goto_parent()
                levels.pop()
                if not levels:
                    return

    def visit(self, node: Any, kind: str, nid: int, parent: int, method: int,
              cls: int | None) -> tuple[int, int | None]:
        """Labels, scopes and uses for a recorded node of a `_HANDLED` kind: (method, class) inside it."""
        attrs = self.nodes[nid]
        fld = attrs["field"]
        if kind in METHOD_KINDS:
            self._method(node, nid, parent, method, cls, attrs)
            return nid, cls
        if kind in CLASS_KINDS or kind in ("interface_declaration",):
            name = node.child_by_field_name("name")
            attrs.update(label="TYPE_DECL", name=self.text(name) if name else f"<class>{nid}",
                         fields=[], procedures=[])
            self.types.append(nid)
            if name is not None and kind != "interface_declaration":
                self._declare(method, attrs["name"], nid)
            return method, nid
        if kind == "type_alias_declaration":
            value = node.child_by_field_name("value")
            if value is not None and value.type == "object_type":
                name = node.child_by_field_name("name")
                attrs.update(label="TYPE_DECL", name=self.text(name) if name else "",
                             fields=[], procedures=[])
                self.types.append(nid)
                return method, nid
        if kind in FIELD_KINDS or kind in ("property_signature", "method_signature"):
            self._member(node, nid, cls, attrs)
        elif kind in PARAM_KINDS or (kind in ("identifier", "assignment_pattern", "rest_pattern")
                                     and self.nodes[parent]["kind"] == "formal_parameters"):
            self._param(node, nid, method, cls, attrs)
        elif kind == "variable_declarator":
            name = node.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                attrs.update(label="LOCAL", name=self.text(name))
                self._declare(method, attrs["name"], nid)
            elif name is not None:
                attrs.update(label="PATTERN")
        elif kind == "return_statement":
            attrs.update(label="RETURN")
            self.nodes[method]["returns"].append(nid)
        elif kind in ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"):
            self._identifier(node, fld, nid, parent, method, attrs)
        elif kind in ("call_expression", "new_expression"):
            fn = node.child_by_field_name("function" if kind == "call_expression" else "constructor")
            if fn is not None:
                callee = fn.child_by_field_name("property") if fn.type == "member_expression" else fn
                if callee is not None:
                    attrs.update(label="CALL", name=self.text(callee))
                    self.calls.append((nid, attrs["name"], method))
        elif kind in ("catch_clause",):
            p = node.child_by_field_name("parameter")
            if p is not None and p.type == "identifier":
                self._declare(method, self.text(p), nid)
        elif kind in ("import_specifier", "namespace_import", "import_clause"):
            for c in node.named_children:
                if c.type == "identifier":
                    self._declare(0, self.text(c), nid)
        return method, cls

    def _declare(self, method: int, name: str, nid: int) -> None:
        self.nodes[method]["scope"].setdefault(name, nid)

    def _method(self, node: Any, nid: int, parent: int, outer: int, cls: int | None,
                attrs: dict[str, Any]) -> None:
        name_node = node.child_by_field_name("name")
        pkind = self.nodes[parent]["kind"]
        if name_node is not None:
            name = self.text(name_node)
        elif pkind == "variable_declarator":
            name = self.nodes[parent].get("name", "")
        elif pkind == "pair":
            key = self.ts[parent].child_by_field_name("key")
            name = self.text(key) if key is not None else ""
        elif pkind in FIELD_KINDS:
            name = self.nodes[parent].get("name", "")
        else:
            name = ""
        if not name:
            counter = self.names.setdefault(outer, {})
            counter["<lambda>"] = counter.get("<lambda>", -1) + 1
            name = f"<lambda>{counter['<lambda>']}"
        prefix = self.nodes[outer]["full_name"]
        if node.type == "method_definition" and cls is not None:
            prefix = self.nodes[cls]["name"]
            self.nodes[cls]["procedures"].append(nid)
        full = name if prefix == ":program" else f"{prefix}.{name}"
        counter = self.names.setdefault(-1, {})
        counter[full] = counter.get(full, 0) + 1
        if counter[full] > 1:
            full = f"{full}#{counter[full]}"
        head = self.data[node.start_byte:min(node.end_byte, node.start_byte + 40)]
        attrs.update(label="METHOD", name=name, full_name=full, scope={}, params=[], returns=[],
                     cls=cls if node.type == "method_definition" else None, parent_method=outer,
                     is_async=head.lstrip().startswith(b"async") or b" async " in head[:12],
                     is_generator=b"*" in head[: head.find(b"(") if b"(" in head else len(head)])
        self.methods.append(nid)
        if node.type in ("function_declaration", "generator_function_declaration") and name_node:
            self._declare(outer, name, nid)

    def _member(self, node: Any, nid: int, cls: int | None, attrs: dict[str, Any]) -> None:
        name = node.child_by_field_name("name") or node.child_by_field_name("property")
        if name is None:
            return
        attrs.update(label="MEMBER", name=self.text(name))
        if cls is not None:
            key = "procedures" if node.type == "method_signature" else "fields"
            self.nodes[cls][key].append(nid)

    def _param(self, node: Any, nid: int, method: int, cls: int | None,
               attrs: dict[str, Any]) -> None:
        pattern = node
        if node.type in PARAM_KINDS:
            pattern = node.child_by_field_name("pattern") or node
        if pattern.type == "assignment_pattern":
            pattern = pattern.child_by_field_name("left") or pattern
        if pattern.type == "rest_pattern" and pattern.named_child_count:
            pattern = pattern.named_children[0]
        attrs.update(label="METHOD_PARAMETER_IN", index=len(self.nodes[method]["params"]))
        self.nodes[method]["params"].append(nid)
        if pattern.type == "identifier":
            attrs["name"] = self.text(pattern)
            self._declare(method, attrs["name"], nid)
            if cls is not None and any(c.type in _PARAM_PROPERTY for c in node.children):
                self.nodes[cls]["fields"].append(nid)
        else:
            attrs["name"] = self.text(pattern)
            attrs["pattern"] = True

    def _identifier(self, node: Any, fld: str | None, nid: int, parent: int, method: int,
                    attrs: dict[str, Any]) -> None:
        pattrs = self.nodes[parent]
        pkind = pattrs["kind"]
        name = self.text(node)
        # declaration names are not uses
        if fld == "name" and pkind in ("variable_declarator", "function_declaration",
                                       "class_declaration", "generator_function_declaration",
                                       "function_expression", "class"):
            return
        if pattrs.get("label") == "METHOD_PARAMETER_IN" or pkind in ("formal_parameters", "rest_pattern",
                                                                     "required_parameter", "optional_parameter"):
            return
        if node.type == "shorthand_property_identifier_pattern" or pkind in (
                "object_pattern", "array_pattern", "pair_pattern", "import_specifier",
                "namespace_import", "import_clause", "export_specifier", "labeled_statement",
                "break_statement", "continue_statement", "catch_clause"):
            if pattrs.get("label") != "METHOD_PARAMETER_IN" and pkind in ("object_pattern", "array_pattern",
                                                                           "pair_pattern"):
                self._declare(method, name, nid)  # destructured local: declared, not sliced
            return
        if pkind == "assignment_pattern" and fld == "left":
            return
        if pkind == "arrow_function" and fld == "parameter":
            attrs.update(label="METHOD_PARAMETER_IN", name=name, index=0)
            self.nodes[method]["params"].append(nid)
            self._declare(method, name, nid)
            return
        if pkind == "for_in_statement" and fld == "left":
            attrs.update(label="LOCAL", name=name)
            self._declare(method, name, nid)
            return
        attrs.update(label="IDENTIFIER", name=name)
        self.uses.append((nid, name, method))
        if pkind == "assignment_expression" and fld == "left":
            self.defs.append((nid, name, method))

    # -- after the walk ---------------------------------------------------------------------
    def resolve(self, name: str, method: int | None) -> int | None:
        while method is not None:
            decl = self.nodes[method]["scope"].get(name)
            if decl is not None:
                return decl
            method = self.nodes[method]["parent_method"]
        return None

    def finish(self) -> None:
        by_decl: dict[int, list[int]] = {}
        assigned = {d for d, _, _ in self.defs}
        for use, name, method in self.uses:
            decl = self.resolve(name, method)
            if decl is None:
                continue
            self.edges.append((use, decl, "REF"))
            by_decl.setdefault(decl, []).append(use)
        for decl, uses in by_decl.items():
            current = decl
            for use in sorted(uses):
                if use in assigned:
                    current = use
                else:
                    self.edges.append((current, use, "REACHING_DEF"))
        for call, name, method in self.calls:
            target = self.resolve(name, method)
            if target is not None and self.nodes[target].get("label") == "METHOD":
                self.edges.append((call, target, "CALL"))
        self.refs = by_decl
        for m in self.methods:
            self._cfg(m)

    def _cfg(self, method: int) -> None:
        """Statement-level control flow of one method: sequence, branches, loop back edges."""
        node = self.ts[method]
        body = node if method == 0 else node.child_by_field_name("body")
        if body is None:
            return
        self._seq(body, method, self.statements, [method])

    def _seq(self, block: Any, method: int, index: dict[tuple[int, str], int],
             preds: list[int]) -> list[int]:
        for s in _statements(block):
            sid = index.get((s.start_byte, s.type))
            if sid is None or self.nodes[sid]["method"] != method:
                continue
            for p in preds:
                self.edges.append((p, sid, "CFG"))
            preds = [sid]
            if s.type == "if_statement":
                branches = [s.child_by_field_name("consequence"), s.child_by_field_name("alternative")]
                outs: list[int] = []
                for b in branches:
                    outs += self._seq(b, method, index, [sid]) if b is not None else [sid]
                preds = outs
            elif s.type in _LOOP_KINDS:
                b = s.child_by_field_name("body")
                if b is not None:
                    for last in self._seq(b, method, index, [sid]):
                        self.edges.append((last, sid, "CFG"))
            elif s.type in ("return_statement", "throw_statement"):
                preds = []
        return preds


def _statements(block: Any) -> list[Any]:
    """The statements a block, a clause or a single statement stands for."""
    if block.type == "else_clause":
        return [s for c in block.named_children for s in _statements(c)]
    if block.type.endswith(STATEMENT_SUFFIXES) and block.type not in ("statement_block",):
        return [block]
    return [c for c in block.named_children if c.type.endswith(STATEMENT_SUFFIXES)]
