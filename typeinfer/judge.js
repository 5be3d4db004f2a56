// The type checker as a long-lived process: TypeScript's LanguageService over JSON lines.
//
// Usage: node judge.js <typescript module dir> <project root> [--project]
// With --project the project's own sources (tsconfig's files, else the .ts/.tsx files under the
// root, at most WORKBENCH_TS_PROJECT_FILES = 2000) are in the program too, so that a request with
// "evidence": true can answer, for each parameter the compiler leaves `any`, the types of the
// arguments at its function's call sites in the project ("cs") and how the project annotates
// parameters of the same name elsewhere ("conv": [[annotation as written, count], ...], "convN").
// One request per stdin line, one answer per stdout line, in order:
//   {"id", "op": "analyse", "file", "text", "edits": [[offset, insert], ...], "keep": bool}
//     → {"id", "decls": [...], "diags": [[orig offset, code, fn start, fn end, callee start, callee end, message], ...], "ms"}
//     (fn: the innermost function around the error; callee: the function a call whose argument has
//     the error calls, when it is in this file; -1 if none; "unres": the names it cannot find, if any); "diags": false skips the
//     diagnostics (types only, cheap: the checker is lazy), "range": [lo, hi] only declarations there;
//     "uses": true adds the "uses" of each parameter still `any`, also with edits (the rest of the evidence
//     is only asked of the text as it is: "evidence": true)
//     The file's text becomes `text` with `edits` inserted (offsets in UTF-16 units of `text`,
//     ascending); positions in the answer are offsets in `text` (inserted characters map to the
//     offset they were inserted at). With "keep": false the file's previous text is put back
//     afterwards (a trial: does this annotation add an error?).
//   {"id", "op": "close", "file"} / {"id", "op": "ping"}
// Each decl: {"k": label, "n": name, "p": offset of the name (returns: where `: T` goes),
//   "f": its type, printed as the editor prints it but untruncated, "any": whether it holds `any`,
//   "j": where an inline JSDoc comment can go (-1: nowhere), "lit": a literal type,
//   "q": an optional (`?`) parameter or member, "dflt": a parameter with a default value,
//   "thr": a return whose function always ends in a `throw` (no `return` in it)}
// The program is updated incrementally (unchanged files, lib.d.ts included, are not re-parsed).
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const ts = require(process.argv[2]);
const root = path.resolve(process.argv[3] || ".");

let configFiles = null;
function options() {
  const defaults = {
    noEmit: true, allowJs: true, checkJs: true, strict: true, skipLibCheck: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], lib: (process.env.WORKBENCH_TS_LIB || "lib.es2023.d.ts,lib.dom.d.ts").split(","),
  };
  const cfg = ts.findConfigFile(root, ts.sys.fileExists);
  if (!cfg || path.dirname(cfg) !== root) return defaults;
  const read = ts.readConfigFile(cfg, ts.sys.readFile);
  if (read.error) return defaults;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  configFiles = parsed.fileNames;
  return Object.assign({}, parsed.options, {noEmit: true, allowJs: true, checkJs: true});
}

const files = new Map(); // file → {version, text, snap}
const opts = options();
const withProject = process.argv.includes("--project");
let projectFiles = null;
function project() {  // the project's own sources, found once
  if (projectFiles) return projectFiles;
  const cap = Number(process.env.WORKBENCH_TS_PROJECT_FILES || 2000);
  let names = configFiles;
  if (!names) {
    names = ts.sys.readDirectory(root, [".ts", ".tsx", ".mts", ".cts"],
      ["**/node_modules/**", "**/.*/**", "**/dist/**", "**/build/**"], ["**/*"], 16);
  }
  projectFiles = names.filter((f) => !/\.d\.[mc]?ts$/.test(f)).slice(0, cap).map((f) => path.resolve(f));
  return projectFiles;
}
const host = {
  getScriptFileNames: () => (withProject ? [...new Set([...project(), ...files.keys()])] : [...files.keys()]),
  getScriptVersion: (f) => (files.has(f) ? String(files.get(f).version) : "0"),
  getScriptSnapshot: (f) => {
    const e = files.get(f);
    if (e) return e.snap;
    if (!fs.existsSync(f)) return undefined;
    return ts.ScriptSnapshot.fromString(fs.readFileSync(f, "utf8"));
  },
  getCurrentDirectory: () => root,
  getCompilationSettings: () => opts,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

// A snapshot that tells the language service what changed since the previous one, so that an
// edit re-parses incrementally (TypeScript's own `updateSourceFile`) instead of from scratch.
class Snapshot {
  constructor(text, prev) { this.text = text; this.prev = prev; }
  getText(start, end) { return this.text.substring(start, end); }
  getLength() { return this.text.length; }
  getChangeRange(old) {
    if (!old || old !== this.prev) return undefined;
    const a = old.text, b = this.text, n = Math.min(a.length, b.length);
    let p = 0;
    while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
    let q = 0;
    while (q < n - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
    return ts.createTextChangeRange(ts.createTextSpan(p, a.length - p - q), b.length - p - q);
  }
}

function setText(file, text) {
  const e = files.get(file);
  if (e && e.text === text) return;
  files.set(file, {version: e ? e.version + 1 : 1, text, snap: new Snapshot(text, e ? e.snap : undefined)});
}

// How the editor prints types (tsserver's inlay hints use these flags), and the same untruncated: a hint
// carries the whole type (the editor's label is cut by the Python side, `lsp._cut`).
const SHOW = ts.TypeFormatFlags.IgnoreErrors | ts.TypeFormatFlags.AllowUniqueESSymbolType |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
const FULL = SHOW | ts.TypeFormatFlags.NoTruncation;

function holdsAny(checker, type, depth) {
  if (depth > 4) return false;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  if (type.isUnionOrIntersection && type.isUnionOrIntersection()) return type.types.some((t) => holdsAny(checker, t, depth + 1));
  if (type.flags & ts.TypeFlags.Object) {
    const args = checker.getTypeArguments && (type.objectFlags & ts.ObjectFlags.Reference) ? checker.getTypeArguments(type) : [];
    if (args.some((t) => holdsAny(checker, t, depth + 1))) return true;
    if (type.objectFlags & ts.ObjectFlags.Anonymous) {
      for (const prop of type.getProperties().slice(0, 30)) {
        if (prop.valueDeclaration && holdsAny(checker, checker.getTypeOfSymbolAtLocation(prop, prop.valueDeclaration), depth + 1)) return true;
      }
    }
    for (const sig of type.getCallSignatures()) {
      if (holdsAny(checker, sig.getReturnType(), depth + 1)) return true;
      for (const p of sig.getParameters()) {
        if (p.valueDeclaration && holdsAny(checker, checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration), depth + 1)) return true;
      }
    }
  }
  return false;
}

// How the project annotates parameters, by name: sf → [[name, annotation text], ...] (cached per
// parsed file: an unchanged file keeps its SourceFile object across program updates).
const annotated = new WeakMap();
function parameterAnnotations(sf) {
  let out = annotated.get(sf);
  if (out) return out;
  out = [];
  const visit = (node) => {
    if (ts.isParameter(node) && node.type && ts.isIdentifier(node.name) && node.name.text !== "this") {
      const t = node.type.getText(sf).replace(/\s+/g, " ");
      if (t.length <= 120 && t !== "any" && t !== "unknown") out.push([node.name.text, t]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  annotated.set(sf, out);
  return out;
}

// The project's own source files: not declarations, dependencies or the default library.
function ownSources(program) {
  return program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/")
    && !program.isSourceFileDefaultLibrary(sf));
}

function conventions(program) {  // name → Map(annotation → count), over the project's own files
  const byName = new Map();
  for (const sf of ownSources(program)) {
    for (const [name, t] of parameterAnnotations(sf)) {
      let m = byName.get(name);
      if (!m) byName.set(name, (m = new Map()));
      m.set(t, (m.get(t) || 0) + 1);
    }
  }
  return byName;
}

// The name a function is called by (a constructor: its class, called with `new`).
function calledName(fn) {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name;
  if (ts.isConstructorDeclaration(fn)) return fn.parent && fn.parent.name;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const p = fn.parent;
    if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return p.name;
  }
  return undefined;
}

// Types the function's (or its class's) name and the parameter's name spell together and that
// resolve in scope needing no type arguments: `touch(cid, options)` → TouchOptions, `new Block(h,
// opts)` → BlockOptions. [name, ...]
function namedTypes(checker, fn, param) {
  if (!ts.isIdentifier(param.name)) return [];
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const p = param.name.text.replace(/^_+/, "");
  const owners = [];
  const called = calledName(fn);
  if (called && ts.isIdentifier(called)) owners.push(called.text);
  if ((ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn)) && fn.parent && ts.isClassLike(fn.parent) &&
      fn.parent.name) owners.push(fn.parent.name.text);
  const names = [];
  for (const o of owners) {
    names.push(cap(o) + cap(p));
    if (p === "options" || p === "opts") names.push(cap(o) + "Options", cap(o) + "Opts");
  }
  const out = [];
  for (const n of new Set(names)) {
    let sym = checker.resolveName(n, param, ts.SymbolFlags.Type, false);
    if (!sym) continue;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = (sym.declarations || [])[0];
    if (!decl || (decl.typeParameters && decl.typeParameters.some((tp) => !tp.default))) continue;
    out.push(n);
  }
  return out;
}

// The one named type that has every property a parameter's own function reads or calls on it
// (`p.x`, `p.m()`; at least 2 names), among `typesInScope` (a thunk: the function's types, computed
// once per function however many of its parameters ask): [name], or [] when none or several fit.
function memberTypes(checker, fn, param, typesInScope) {
  if (!ts.isIdentifier(param.name) || !fn.body) return [];
  const sym = checker.getSymbolAtLocation(param.name);
  const names = new Set();
  const visit = (n) => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === param.name.text &&
        checker.getSymbolAtLocation(n.expression) === sym) names.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  if (names.size < 2) return [];
  const fits = typesInScope().filter(([, t]) => [...names].every((m) => checker.getPropertyOfType(t, m)));
  return fits.length === 1 ? [fits[0][0]] : [];
}

// The type symbols in scope at a node, resolved through exports and imports: [[name in scope, symbol,
// imported], ...].
function typeSymbolsInScope(checker, node) {
  const out = [];
  for (let s of checker.getSymbolsInScope(node, ts.SymbolFlags.Type | ts.SymbolFlags.Alias)) {
    const name = s.name;
    s = checker.getExportSymbolOfSymbol(s);  // an exported declaration's local symbol has no flags of its own
    const imported = !!(s.flags & ts.SymbolFlags.Alias);
    if (imported) {
      try { s = checker.getAliasedSymbol(s); } catch (e) { continue; }
    }
    out.push([name, s, imported]);
  }
  return out;
}

// The non-generic type aliases in scope at a function, declared outside the default library: [[name, declared type], ...]
// (the names a literal type can be written by: C32, TL). `own`: only those declared in the project's files or imported
// into the function's file, not an installed package's ambient ones (`@types/node`'s global `BufferEncoding`; DL).
function aliasesInScope(program, checker, fn, own = false) {
  const out = [];
  for (const [local, s, imported] of typeSymbolsInScope(checker, fn)) {
    if (!(s.flags & ts.SymbolFlags.TypeAlias)) continue;
    const decl = (s.declarations || [])[0];
    if (!decl || decl.typeParameters || program.isSourceFileDefaultLibrary(decl.getSourceFile())) continue;
    if (own && !imported && /[\\/]node_modules[\\/]/.test(decl.getSourceFile().fileName)) continue;
    const t = checker.getDeclaredTypeOfSymbol(s);
    if (t) out.push([local, t]);
  }
  return out;
}

// The non-generic named types (interfaces, classes, aliases) in scope at a function that are declared
// in the project's files or imported into its file (no default-library type): [[name, type], ...].
function typesInScope(program, checker, fn) {
  const out = [];
  for (const [name, s, imported] of typeSymbolsInScope(checker, fn)) {
    if (!(s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias))) continue;
    const decl = (s.declarations || [])[0];
    if (!decl || decl.typeParameters) continue;
    const from = decl.getSourceFile();
    if (program.isSourceFileDefaultLibrary(from) || (!imported && /[\\/]node_modules[\\/]/.test(from.fileName))) continue;
    const t = checker.getDeclaredTypeOfSymbol(s);
    if (t && !(t.flags & ts.TypeFlags.Any)) out.push([name, t]);
  }
  return out;
}

// Whether a function's block body ends in a `throw` and holds no `return` (nested functions aside): a stub that
// always throws (`open(): DB { throw new Error("not on the web") }`), whose inferred `void` says what it does, not the
// type it stands for (TH).
function alwaysThrows(fn) {
  const body = fn.body;
  if (!body || !ts.isBlock(body) || !body.statements.length ||
      !ts.isThrowStatement(body.statements[body.statements.length - 1])) return false;
  return !returnedExpressions(fn).length;
}

// What a function returns, in its own body (not in a nested function or class): each `return`'s expression
// (undefined for a bare `return;`), or an arrow's expression body. [] for no body.
function returnedExpressions(fn) {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out = [];
  const visit = (n) => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

// Whether a type is `null` or `undefined` (a union member kept as printed where a literal is widened: C32, NL).
const isNullish = (t) => !!(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null));

// A return the compiler infers as a union of literals (`return "npm"` in one branch, `return "pnpm"` in
// another) as its author writes it (C32): members of one enum -> the enum; string literals -> the one
// smallest alias of a union of string literals, declared outside the default library and in scope at the
// function, that holds them all (`AccountStatusChange`), else `string`; nullish members kept. Number
// literals stay (a comparator's `-1 | 0 | 1` is what its authors write). undefined when none applies.
function literalReturn(program, checker, fn, type) {
  if (!(type.flags & ts.TypeFlags.Union)) return undefined;
  const rest = type.types.filter((t) => !isNullish(t));
  if (rest.length < 2 || !rest.every((t) => t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.EnumLiteral))) return undefined;
  const bases = new Set(rest.map((t) => checker.typeToString(checker.getBaseTypeOfLiteralType(t), fn, FULL)));
  if (bases.size !== 1) return undefined;
  let name = [...bases][0];
  if (name === "string") {
    if (!checker.typeToString(type, fn, FULL).includes('"')) return undefined;  // printed as its alias already
    name = literalAlias(program, checker, fn, new Set(rest.map((t) => t.value))) ?? name;
  } else if (name === "number" || !rest.every((t) => t.flags & ts.TypeFlags.EnumLiteral)) {
    return undefined;
  }
  const tail = type.types.filter(isNullish).map((t) => checker.typeToString(t, fn, FULL));
  return [name, ...tail].join(" | ");
}

// The one smallest alias in scope at `fn` whose declared type is a union of string literals holding all of `values`
// (`AccountStatusChange` for "open" | "closed"), or undefined (none, or two of the same size): the name authors give
// such values (C32 for returns, CL for what callers pass).
function literalAlias(program, checker, fn, values, own = false) {
  let best = null, tie = false;
  for (const [local, t] of aliasesInScope(program, checker, fn, own)) {
    if (!(t.flags & ts.TypeFlags.Union) || !t.types.every((m) => m.flags & ts.TypeFlags.StringLiteral)) continue;
    const held = new Set(t.types.map((m) => m.value));
    if (![...values].every((v) => held.has(v))) continue;
    if (!best || held.size < best[1]) { best = [local, held.size]; tie = false; }
    else if (held.size === best[1] && local !== best[0]) tie = true;
  }
  return best && !tie ? best[0] : undefined;
}

// The project's own style, counted once per process in one walk over its own sources: its written return types and how
// many hold a union with null or undefined (N; asked only where no tsconfig.json gives the options: the strict
// defaults then stand in for the author's, who may compile without strictNullChecks), and how many type references
// give a typed array (or a type named for one, `Uint8ArrayList`, or Node's `Buffer`: B1) a buffer argument
// (`Uint8Array<ArrayBuffer>`, written for TypeScript 5.7's generic typed arrays; T1).
let style = null;
function projectStyle(program) {
  if (style) return style;
  let returns = 0, nulls = 0, buffers = 0;
  const nullish = (t) => t.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword);
  const holdsNull = (t) => {  // a union with null or undefined in it (a lone `null` return says nothing of the style)
    if (ts.isUnionTypeNode(t) && t.types.some(nullish)) return true;
    return !!ts.forEachChild(t, (c) => holdsNull(c) || undefined);
  };
  const buffer = (a) => ts.isTypeReferenceNode(a) && ts.isIdentifier(a.typeName) &&
    ["ArrayBuffer", "ArrayBufferLike", "SharedArrayBuffer"].includes(a.typeName.text);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.type) {
      returns++;
      if (holdsNull(node.type)) nulls++;
    }
    if (ts.isTypeReferenceNode(node) && node.typeArguments && node.typeArguments.length === 1 &&
        /(Array|ArrayList|DataView|ArrayBufferView|^Buffer)$/.test(ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text) && buffer(node.typeArguments[0])) buffers++;
    ts.forEachChild(node, visit);
  };
  for (const sf of ownSources(program)) visit(sf);
  return (style = {nulls: [returns, nulls], buffers});
}

// A return the compiler infers as an object literal's type, or a Promise of one, by the name the code
// gives that type (C34b): the one non-generic interface, class or alias in scope at the function
// (`typesInScope`) that is assignable to it both ways (`{ db, writable }` -> `Init`). undefined when none
// or several, or when it holds `any` (anything is assignable to and from it). A function type stays a hole:
// an alias of a signature is a looser name than an interface whose properties all match (on dev the one
// wrong such name was a function's, `XorStream` where its author wrote `TRet<XorStream>`).
function namedObject(program, checker, fn, type, printed, inScope) {
  let inner = type, wrap = "";
  const p = promised(program, checker, type);
  if (p) [inner, wrap] = [p, "Promise"];
  if (!(inner.flags & ts.TypeFlags.Object) || !(inner.objectFlags & ts.ObjectFlags.Anonymous) ||
      inner.getCallSignatures().length) return undefined;
  if (/\bany\b/.test(printed)) return undefined;  // (the print of `Promise<S>` holds S's)
  const names = inScope().filter(([, t]) => checker.isTypeAssignableTo(inner, t) && checker.isTypeAssignableTo(t, inner));
  if (names.length !== 1) return undefined;
  return wrap ? `${wrap}<${names[0][0]}>` : names[0][0];
}

// The type a `Promise<T>` of the default library holds (T), else undefined.
function promised(program, checker, type) {
  if (!(type.flags & ts.TypeFlags.Object) || !(type.objectFlags & ts.ObjectFlags.Reference) || !type.symbol ||
      type.symbol.name !== "Promise" ||
      !(type.symbol.declarations || []).some((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()))) return undefined;
  const args = checker.getTypeArguments(type);
  return args.length === 1 ? args[0] : undefined;
}

// A literal type the compiler infers as its author writes it (NL, TL), at top level or in a `Promise<…>`, nullish
// members kept: number literals are `number` (`80 | 443`, `0`), except a comparator's `-1 | 0 | 1`, which its authors
// write; one boolean literal is `boolean`; a template literal (`0x${string}`, or a union of them: the print of an
// alias the compiler lost) is the one non-generic alias in scope declared as the same type (`PrefixedHexString`), else
// `string`. undefined when none applies (a union of string literals is C32's, `literalReturn`; an enum's members are
// its own).
function widenedLiteral(program, checker, fn, type) {
  const p = promised(program, checker, type);
  if (p) {
    const inner = widenedLiteral(program, checker, fn, p);
    return inner === undefined ? undefined : `Promise<${inner}>`;
  }
  if (type.aliasSymbol) return undefined;  // printed by the name the code gives it (`type NodeType = 0 | 1 | 2`)
  const members = type.flags & ts.TypeFlags.Union ? type.types : [type];
  const rest = members.filter((t) => !isNullish(t));
  if (!rest.length) return undefined;
  let name;
  if (rest.every((t) => (t.flags & ts.TypeFlags.NumberLiteral) && !(t.flags & ts.TypeFlags.EnumLiteral))) {  // (an enum's are its own)
    const values = new Set(rest.map((t) => t.value));
    if (values.size === 3 && [-1, 0, 1].every((v) => values.has(v))) return undefined;
    name = "number";
  } else if (rest.length === 1 && (rest[0].flags & ts.TypeFlags.BooleanLiteral)) {
    name = "boolean";
  } else if (rest.every((t) => t.flags & ts.TypeFlags.TemplateLiteral)) {
    const same = (t) => rest.every((m) => checker.isTypeAssignableTo(m, t)) &&
      (t.flags & ts.TypeFlags.Union ? t.types : [t]).every((m) => rest.some((r) => checker.isTypeAssignableTo(m, r)));
    const names = new Set(aliasesInScope(program, checker, fn).filter(([, t]) => !(t.flags & ts.TypeFlags.Any) && same(t))
      .map(([local]) => local));
    name = names.size === 1 ? [...names][0] : "string";
  } else {
    return undefined;
  }
  const tail = members.filter(isNullish).map((t) => checker.typeToString(t, fn, FULL));
  return [name, ...tail].join(" | ");
}

// A function whose every return is `new C(…)` of a non-generic class C declared in the project (outside C) that
// `implements` exactly one interface: a factory, whose author writes the interface it promises (IF:
// `createListener(): Listener { return new TCPListener(…) }`). The interface as the compiler prints it at the
// function, without default type arguments; undefined when none applies.
function factoryInterface(program, checker, fn, type) {
  const sym = type.getSymbol && type.getSymbol();
  const cls = sym && (sym.flags & ts.SymbolFlags.Class) ? (sym.declarations || []).find(ts.isClassDeclaration) : undefined;
  if (!cls || cls.typeParameters || !fn.body || !ts.isBlock(fn.body) && !ts.isNewExpression(fn.body)) return undefined;
  const from = cls.getSourceFile();
  if (program.isSourceFileDefaultLibrary(from) || /[\\/]node_modules[\\/]/.test(from.fileName)) return undefined;
  for (let n = fn.parent; n; n = n.parent) if (n === cls) return undefined;
  const impl = (cls.heritageClauses || []).filter((c) => c.token === ts.SyntaxKind.ImplementsKeyword);
  if (impl.length !== 1 || impl[0].types.length !== 1) return undefined;
  const returns = returnedExpressions(fn);
  const made = (e) => {
    while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e))) e = e.expression;
    return !!e && ts.isNewExpression(e) && checker.getTypeAtLocation(e) === type;
  };
  if (!returns.length || !returns.every(made)) return undefined;
  const iface = checker.getTypeAtLocation(impl[0].types[0]);
  if (!iface || holdsAny(checker, iface, 0)) return undefined;
  const printed = checker.typeToString(iface, fn, FULL);
  return withoutDefaults(checker, fn, iface, printed) ?? printed;
}

// A compiler type as its author writes it, printed at `node`: without trailing default type arguments (C35c; DA for
// every printed type, not only returns). A default `any` left out is the same type (`MessageEvent<any>` is
// `MessageEvent`); a type holding `never` is printed whole (a hole for parameters and variables, C35b).
function asWritten(checker, node, type) {
  const printed = checker.typeToString(type, node, FULL);
  return NEVER.test(printed) ? printed : withoutDefaults(checker, node, type, printed) ?? printed;
}

// Errors that say a value does not fit the type it is given: assigned (TS2322), passed (TS2345), missing properties
// (TS2739–TS2741, TS2559), no overload taking it (TS2769); a variable's own use on such a line (V1, V1s:
// `Decl.misfit_lines`). And a word of code (`judge._WORD`).
// Longest error message sent back (its first line): read whole where it can be (`judge.placeholder`).
const MESSAGE_CHARS = 2000;
const MISFIT = new Set([2322, 2345, 2739, 2740, 2741, 2559, 2769]);
const WORD = /[A-Za-z_$][\w$]*/g;

// Whether a declaration has a name its uses can be found by: an identifier, or a class field's `#name` (P1).
const named = (node) => ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name);

// A parenthesised expression's inside.
const bare = (e) => { while (e && ts.isParenthesizedExpression(e)) e = e.expression; return e; };

// The uses of a variable's or field's name in its scope (its block, or its class), in order: each identifier naming
// it, or for a field each property access naming it (`this.x`: the whole access). [] where it has no name to find.
function references(checker, node) {
  if (!named(node)) return [];
  const sym = checker.getSymbolAtLocation(node.name);
  const scope = ts.isPropertyDeclaration(node) ? node.parent
    : ts.findAncestor(node, (n) => ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n));
  const out = [];
  const visit = (n) => {
    if ((ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) && n !== node.name && n.text === node.name.text &&
        checker.getSymbolAtLocation(n) === sym) {
      out.push(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n ? n.parent : n);
    }
    ts.forEachChild(n, visit);
  };
  if (sym && scope) ts.forEachChild(scope, visit);
  return out;
}

// What the code later assigns to a `let` or a non-readonly field (`x = …`, `this.x = …` in its block or class): the
// right-hand sides, in order. [] for any other declaration (NA, LA).
function assignedLater(checker, node) {
  const field = ts.isPropertyDeclaration(node) && !(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Readonly);
  const mutable = field || (ts.isVariableDeclaration(node) && !!(ts.getCombinedNodeFlags(node) & ts.NodeFlags.Let));
  if (!mutable) return [];
  const out = [];
  for (const ref of references(checker, node)) {
    let p = ref.parent;
    while (p && ts.isParenthesizedExpression(p)) p = p.parent;
    if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && bare(p.left) === ref) {
      out.push(p.right);
    }
  }
  return out;
}

// The nullish values the code gives a variable, a field or a return beyond what the compiler's type holds (NA): a
// fallback `e ?? null` / `e ?? undefined` (dropped by the compiler where `e` is declared non-nullable, which its author
// does not trust), and for a `let` or a field, `x = null` / `this.x = undefined` later. [] when none.
function nullsWritten(checker, node) {
  const found = new Set();
  const nullish = (e) => {
    e = bare(e);
    if (e && e.kind === ts.SyntaxKind.NullKeyword) found.add("null");
    else if (e && ts.isIdentifier(e) && e.text === "undefined") found.add("undefined");
  };
  const fallback = (e) => {
    e = bare(e);
    if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) nullish(e.right);
  };
  if (ts.isFunctionLike(node)) {
    for (const e of returnedExpressions(node)) fallback(e);
    return [...found];
  }
  if (node.initializer) fallback(node.initializer);
  for (const e of assignedLater(checker, node)) nullish(e);
  return [...found];
}

// A variable or field initialised with a string literal, given only string literals later (nulls aside), as the one
// smallest alias in scope holding them all (LA: `let packMethod: PackMethod = "npm"`, `status = 'stopped'` then
// `this.status = 'starting'`): a declaration its author annotates while its initializer already says `string` holds a
// member of a closed set. undefined when a value is not such a literal or no alias holds them (`string`, as printed).
function literalsWritten(program, checker, node) {
  const values = new Set();
  const literal = (e) => {
    e = bare(e);
    if (e && ts.isStringLiteralLike(e)) { values.add(e.text); return true; }
    return !!e && (e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === "undefined"));
  };
  const init = bare(node.initializer);
  if (!init || !ts.isStringLiteralLike(init)) return undefined;
  if (![init, ...assignedLater(checker, node)].every(literal)) return undefined;
  return literalAlias(program, checker, node, values);
}

// What the code puts in the empty container a variable or field starts as (EL): `new Set()`, `new Map()`, `[]` or
// `new Array()` without type arguments or arguments, its only value (a `let` or field given nothing else later; a field
// may get it in its constructor, `this.f = new Map()`), whose compiler type holds `any` or `unknown`. The container of
// the widened compiler types of every `.add(x)` / `.set(k, v)` / `.push(…)` / `.unshift(…)` argument on it in its scope
// (`const seen = new Set(); … seen.add(id)` → `Set<string>`): what its author writes where the compiler only sees
// `Set<any>` (JavaScript) or `Set<unknown>`. undefined where it has no such call, or one argument's type is not known
// (`any`), not nameable (an object literal's structure, a function type) or spread, or where one slot holds several
// object types.
function contents(checker, node, printed) {
  if (!/\b(any|unknown|never)\b/.test(printed) || !named(node)) return undefined;
  const kindOf = (e) => {  // "array", "Set", "Map" for an empty container without type arguments, else undefined
    if (ts.isArrayLiteralExpression(e) && !e.elements.length) return "array";
    if (ts.isNewExpression(e) && !e.typeArguments && !(e.arguments || []).length && ts.isIdentifier(e.expression) &&
        ["Set", "Map", "Array"].includes(e.expression.text)) return e.expression.text === "Array" ? "array" : e.expression.text;
    return undefined;
  };
  if (node.initializer && !kindOf(bare(node.initializer))) return undefined;  // (before any walk: the usual case)
  const values = [node.initializer, ...assignedLater(checker, node)].filter((e) => e !== undefined).map(bare);
  if (values.length !== 1) return undefined;
  const kind = kindOf(values[0]);
  if (!kind) return undefined;
  const field = ts.isPropertyDeclaration(node);
  const methods = kind === "Set" ? ["add"] : kind === "Map" ? ["set"] : ["push", "unshift"];
  const slots = kind === "Map" ? [new Set(), new Set()] : [new Set()];
  const objects = slots.map(() => new Set());  // per slot, the object types added (printed)
  const typeOf = (arg, slot) => {  // the members of the argument's widened type, printed; undefined: not known
    // (an array literal's type is widened to an array where its author may mean a tuple: `push([i, w])`)
    if (ts.isSpreadElement(arg) || ts.isArrayLiteralExpression(bare(arg))) return undefined;
    const t = checker.getTypeAtLocation(arg);
    if (holdsAny(checker, t, 0) || (t.flags & ts.TypeFlags.Never)) return undefined;
    const out = [];
    for (const m of t.flags & ts.TypeFlags.Union ? t.types : [t]) {
      const s = checker.typeToString(checker.getBaseTypeOfLiteralType(m), node, FULL);
      if (_UNNAMED.test(s)) return undefined;
      if (m.flags & ts.TypeFlags.Object) objects[slot].add(s);
      out.push(s);
    }
    return out;
  };
  let calls = 0;
  for (const ref of references(checker, node)) {  // (a field: through `this` only)
    if (field && !(ts.isPropertyAccessExpression(ref) && ref.expression.kind === ts.SyntaxKind.ThisKeyword)) continue;
    const access = ref.parent;
    if (!(access && ts.isPropertyAccessExpression(access) && access.expression === ref && methods.includes(access.name.text) &&
          access.parent && ts.isCallExpression(access.parent) && access.parent.expression === access)) continue;
    const args = access.parent.arguments;
    if (kind === "Map" && args.length !== 2) return undefined;
    calls++;
    for (const [i, arg] of args.entries()) {
      const t = typeOf(arg, kind === "Map" ? i : 0);
      if (t === undefined) return undefined;
      for (const m of t) slots[kind === "Map" ? i : 0].add(m);
    }
  }
  const nullish = (s) => [...s].every((m) => m === "null" || m === "undefined");
  // (only null or undefined added: nothing said of what it holds; several object types in one slot: what each call
  // adds, whose common supertype its author names, as R1 says of returns: `ModifierToken<Export> | …` for `Modifier`)
  if (!calls || slots.some((s) => !s.size || nullish(s)) || objects.some((o) => o.size > 1)) return undefined;
  const union = (s) => [...s].join(" | ");
  if (kind === "Set") return `Set<${union(slots[0])}>`;
  if (kind === "Map") return `Map<${union(slots[0])}, ${union(slots[1])}>`;
  return slots[0].size === 1 ? `${union(slots[0])}[]` : `(${union(slots[0])})[]`;
}
// A printed type an author cannot write as such: an object literal's or a function's structure (`{}` too), an
// intersection, a type the printer could only reach through `import(…)`.
const _UNNAMED = /\{ |\{\}|=>| & |\bimport\(|\bunknown\b/;

// `printed` with the nullish values the code writes (`nullsWritten`) that it does not hold yet; undefined if none.
function withNulls(checker, node, printed) {
  const add = nullsWritten(checker, node).filter((v) => !new RegExp(`(^|\\| )${v}( \\||$)`).test(printed));
  if (!add.length) return undefined;
  const paren = /=>/.test(printed) && !/^\(/.test(printed) ? `(${printed})` : printed;
  return [paren, ...add].join(" | ");
}

// A `never` anywhere in a printed type: a hole for parameters and variables (C35b), so never left out of their hints.
const NEVER = /\bnever\b/;

// A return's generic type as authors write it (C35c): the trailing type arguments of its top-level reference
// (an interface or class reference, or an alias instantiation), or of each member of its top-level union, that
// are their parameters' defaults left out (`MultihashDigest<number>` -> `MultihashDigest`, `Blockstore<{}, ...>`
// -> `Blockstore`). undefined when none is. (A `never` argument still makes the type a hole: `judge._LOST`.)
function withoutDefaults(checker, fn, type, printed) {
  if ((type.flags & ts.TypeFlags.Union) && !type.aliasSymbol) {
    // the members as printed, in the printed order (the printer puts `undefined` and `null` last)
    const byPrint = new Map(type.types.map((t) => [checker.typeToString(t, fn, FULL), t]));
    const parts = [];
    let depth = 0, start = 0;
    for (let i = 0; i < printed.length; i++) {
      const c = printed[i];
      if ("<([{".includes(c)) depth++;
      else if (">)]}".includes(c) && printed[i - 1] !== "=") depth--;
      else if (c === "|" && depth === 0) { parts.push(printed.slice(start, i).trim()); start = i + 1; }
    }
    parts.push(printed.slice(start).trim());
    if (parts.length !== type.types.length || !parts.every((p) => byPrint.has(p))) return undefined;
    const short = parts.map((p) => withoutDefaults(checker, fn, byPrint.get(p), p));
    return short.some((t) => t !== undefined) ? short.map((t, i) => t ?? parts[i]).join(" | ") : undefined;
  }
  let params, args;
  if (type.aliasSymbol && type.aliasTypeArguments && type.aliasTypeArguments.length) {
    const decl = (type.aliasSymbol.declarations || [])[0];
    if (!decl || !decl.typeParameters) return undefined;
    params = decl.typeParameters.map((p) => checker.getTypeAtLocation(p));
    args = type.aliasTypeArguments;
  } else if ((type.flags & ts.TypeFlags.Object) && (type.objectFlags & ts.ObjectFlags.Reference) && type.target &&
             type.target.typeParameters) {
    params = type.target.typeParameters;
    args = checker.getTypeArguments(type).slice(0, params.length);  // (a class's `this` argument comes last)
  } else {
    return undefined;
  }
  let n = args.length;
  while (n > 0 && params[n - 1] && checker.getDefaultFromTypeParameter(params[n - 1]) === args[n - 1]) n--;
  const lt = printed.indexOf("<");
  if (n === args.length || lt <= 0) return undefined;
  const head = printed.slice(0, lt), each = args.map((a) => checker.typeToString(a, fn, FULL));
  if (printed !== `${head}<${each.join(", ")}>`) return undefined;  // printed otherwise: left as it is
  return n ? `${head}<${each.slice(0, n).join(", ")}>` : head;
}

// A return the compiler types `Readonly<N<…>>` with N a named interface, class or alias (`Object.freeze(x)` of a
// typed value), as its author writes it: `N<…>`, without trailing default type arguments (RO; the freeze is a
// runtime guard, no one writes its wrapper). undefined when none applies.
function unfrozen(program, checker, fn, type) {
  const alias = type.aliasSymbol;
  if (!alias || alias.name !== "Readonly" || !type.aliasTypeArguments || type.aliasTypeArguments.length !== 1) return undefined;
  const from = (alias.declarations || [])[0];
  if (!from || !program.isSourceFileDefaultLibrary(from.getSourceFile())) return undefined;
  const inner = type.aliasTypeArguments[0];
  const sym = inner.aliasSymbol || inner.getSymbol();
  if (!sym || !(sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias))) return undefined;
  const printed = checker.typeToString(inner, fn, FULL);
  return withoutDefaults(checker, fn, inner, printed) ?? printed;
}

// A Map of counts as [[key, count], ...], the `n` most common first.
function mostCommon(counts, n) {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

// The types of the arguments at a function's call sites in the program: [[type, count], ...].
function callSiteTypes(program, checker, file, fn, enclosing, deadline) {
  const name = calledName(fn);
  if (!name || !ts.isIdentifier(name) || Date.now() > deadline) return null;
  const refs = service.getReferencesAtPosition(file, name.getStart(fn.getSourceFile())) || [];
  const perParam = fn.parameters.map(() => new Map());
  const perCtx = fn.parameters.map(() => new Map());
  // per parameter, the string literal values passed while every argument is a string literal or a union of them (CL)
  const literals = fn.parameters.map(() => new Set());
  let calls = 0;
  for (const ref of refs.slice(0, 60)) {
    if (Date.now() > deadline) break;
    const rsf = program.getSourceFile(ref.fileName);
    if (!rsf) continue;
    let e = ts.getTokenAtPosition(rsf, ref.textSpan.start);
    if (e.parent && ts.isPropertyAccessExpression(e.parent) && e.parent.name === e) e = e.parent;
    const call = e.parent;
    if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call)) || call.expression !== e || !call.arguments) {
      const declared = e.parent && ts.isDeclaration(e.parent) && e.parent.name === e;
      if (!declared) contextTypes(checker, fn, e, enclosing, perCtx);
      continue;
    }
    const args = call.arguments;
    calls++;
    for (let i = 0; i < fn.parameters.length; i++) {
      if (fn.parameters[i].dotDotDotToken || args.slice(0, i + 1).some(ts.isSpreadElement)) break;
      if (i >= args.length) continue;
      let t = checker.getTypeAtLocation(args[i]);
      if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) continue;
      if (t.isThisType) t = checker.getBaseConstraintOfType(t) || t;  // `this`: its class's instance type (CT)
      const members = t.flags & ts.TypeFlags.Union ? t.types : [t];
      if (literals[i] && members.every((m) => m.flags & ts.TypeFlags.StringLiteral)) for (const m of members) literals[i].add(m.value);
      else literals[i] = null;
      t = checker.getBaseTypeOfLiteralType(t);
      const s = asWritten(checker, enclosing, t);
      perParam[i].set(s, (perParam[i].get(s) || 0) + 1);
    }
  }
  for (let i = 0; i < fn.parameters.length; i++) {  // CL: the literals every caller passes, by the alias that holds them
    const alias = literals[i] && literals[i].size ? literalAlias(program, checker, fn, literals[i]) : undefined;
    if (alias !== undefined) perParam[i] = new Map([[alias, [...perParam[i].values()].reduce((a, b) => a + b, 0)]]);
  }
  return {calls, perParam: perParam.map((m) => mostCommon(m, 4)), perCtx: perCtx.map((m) => mostCommon(m, 4))};
}

// Whether a type says nothing about the value: it holds `any`, is `never`, or is a type parameter
// that is not the one of that name in scope at `where` (a callee's own, not yet inferred).
function uninformative(checker, t, where) {
  if (holdsAny(checker, t, 0) || (t.flags & ts.TypeFlags.Never)) return true;
  if (!(t.flags & ts.TypeFlags.TypeParameter)) return false;
  const sym = t.getSymbol && t.getSymbol();
  return !sym || checker.resolveName(sym.name, where, ts.SymbolFlags.Type, false) !== sym;
}

// Whether a call's callee is the platform's (TypeScript's default library or @types/node): its parameters take every
// form of a value (`fs.readFile(path: PathOrFileDescriptor)`, `new URL(url: string | URL)`), so a union there bounds
// what is passed without saying which form it is (U1).
function platformCallee(program, checker, call) {
  const sig = checker.getResolvedSignature(call);
  const decl = sig && sig.declaration;
  if (!decl) return false;
  const sf = decl.getSourceFile();
  return program.isSourceFileDefaultLibrary(sf) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(sf.fileName);
}

// The types a parameter's own uses expect: where it is passed as an argument, assigned, returned
// or put in an object literal, the compiler's contextual type there (`send(evt)` with `send(e:
// StreamEvent)` → StreamEvent). Upper bounds: [[type, count], ...], most common first. `platform` (a Set, when
// given) receives those that are unions passed to the platform's functions (U1: bounds, not answers).
function useTypes(checker, fn, param, program, platform) {
  if (!fn.body || !ts.isIdentifier(param.name)) return [];
  const sym = checker.getSymbolAtLocation(param.name);
  const found = new Map();
  const visit = (node) => {
    if (ts.isIdentifier(node) && node.text === param.name.text && node !== param.name &&
        checker.getSymbolAtLocation(node) === sym) {
      const up = node.parent;
      let t;
      if (up && ts.isShorthandPropertyAssignment(up)) {
        const ot = checker.getContextualType(up.parent);
        const prop = ot && checker.getPropertyOfType(checker.getNonNullableType(ot), node.text);
        t = prop ? checker.getTypeOfSymbolAtLocation(prop, node) : undefined;
      } else if (up && (((ts.isCallExpression(up) || ts.isNewExpression(up)) && up.expression !== node) ||
                        (ts.isPropertyAssignment(up) && up.initializer === node) ||
                        (ts.isBinaryExpression(up) && up.right === node && up.operatorToken.kind === ts.SyntaxKind.EqualsToken) ||
                        (ts.isVariableDeclaration(up) && up.initializer === node && up.type) ||
                        ts.isReturnStatement(up))) {
        t = checker.getContextualType(node);
      }
      if (t) {
        if (t.isUnion()) t = checker.getNonNullableType(t);
        if (!uninformative(checker, t, param)) {
          const s = asWritten(checker, param, t);
          found.set(s, (found.get(s) || 0) + 1);
          if (platform && t.isUnion() && (ts.isCallExpression(up) || ts.isNewExpression(up)) &&
              platformCallee(program, checker, up)) platform.add(s);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return mostCommon(found, 4);
}

// A method's parameter where its class extends or implements a type with a member of the same name
// (`class R implements Router { get(key) {…} }`): that member's parameter type at the same position,
// as the heritage clause instantiates it — the type "Implement interface" writes (TypeScript leaves
// such a parameter implicitly `any`). Every signature with that position must agree; a base
// parameter that is optional is printed without the `| undefined` its `?` adds. [[type, count], ...]
function inheritedTypes(checker, fn, param) {
  const cls = fn.parent;
  if (!(ts.isMethodDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) || !cls || !ts.isClassLike(cls) ||
      !cls.heritageClauses || !fn.name || !(ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name)) ||
      (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Static) || param.dotDotDotToken) return [];
  const i = fn.parameters.indexOf(param);
  const found = new Map();
  for (const clause of cls.heritageClauses) {
    for (const node of clause.types) {
      const base = checker.getTypeAtLocation(node);
      const prop = base && checker.getPropertyOfType(base, fn.name.text);
      if (!prop) continue;
      const pt = checker.getTypeOfSymbolAtLocation(prop, node);
      const seen = new Set();
      if (ts.isSetAccessorDeclaration(fn)) {
        if (!uninformative(checker, pt, param)) seen.add(checker.typeToString(pt, param, FULL));
      } else {
        for (const sig of checker.getNonNullableType(pt).getCallSignatures()) {
          if (i >= sig.parameters.length) continue;
          const sym = sig.parameters[i];
          const decl = sym.valueDeclaration;
          if (decl && ts.isParameter(decl) && decl.dotDotDotToken) { seen.add(null); continue; }
          const t = checker.getTypeOfSymbolAtLocation(sym, node);
          if (uninformative(checker, t, param)) { seen.add(null); continue; }
          let s = checker.typeToString(t, param, FULL);
          if (decl && ts.isParameter(decl) && (decl.questionToken || decl.initializer)) s = s.replace(/( \| undefined)+$/, "");
          seen.add(s);
        }
      }
      if (seen.size === 1 && !seen.has(null)) {
        const s = [...seen][0];
        found.set(s, (found.get(s) || 0) + 1);
      }
    }
  }
  return mostCommon(found, 3);
}

// A function used as a value where a function type is expected (`xs.map(toKey)`,
// `el.addEventListener("message", onMessage)`, `obj.onclose = onClose`): the parameter types of
// that function type, as the compiler would give them to the same function written in place.
function contextTypes(checker, fn, e, enclosing, perCtx) {
  if (!ts.isExpression(e)) return;
  let ctx = checker.getContextualType(e);
  if (!ctx) return;
  ctx = checker.getNonNullableType(ctx);
  const sigs = ctx.getCallSignatures();
  if (sigs.length !== 1) return;
  const sig = sigs[0];
  for (let i = 0; i < fn.parameters.length && i < sig.parameters.length; i++) {
    if (fn.parameters[i].dotDotDotToken) break;
    const decl = sig.parameters[i].valueDeclaration;
    if (decl && ts.isParameter(decl) && decl.dotDotDotToken) break;
    const t = checker.getTypeOfSymbolAtLocation(sig.parameters[i], e);
    if (uninformative(checker, t, fn.parameters[i])) continue;
    const s = checker.typeToString(t, enclosing, FULL);
    perCtx[i].set(s, (perCtx[i].get(s) || 0) + 1);
  }
}

function analyse(req) {
  const file = path.resolve(req.file);
  const original = req.text;
  const edits = req.edits || [];
  let text = original;
  // origOf[i]: offset in `original` of character i of `text` (inserted ones: where inserted, negated - 1)
  let origOf = null;
  if (edits.length) {
    const parts = [];
    origOf = [];
    let at = 0;
    for (const [off, ins] of edits) {
      parts.push(original.slice(at, off));
      for (let i = at; i < off; i++) origOf.push(i);
      parts.push(ins);
      for (let i = 0; i < ins.length; i++) origOf.push(-off - 1);
      at = off;
    }
    parts.push(original.slice(at));
    for (let i = at; i < original.length; i++) origOf.push(i);
    origOf.push(original.length);
    text = parts.join("");
  }
  const back = (i) => (origOf === null ? i : origOf[i]);
  const mapTo = (o) => {  // offset in `original` → offset in `text`
    if (origOf === null) return o;
    let a = 0, b = origOf.length - 1;
    while (a < b) { const m = (a + b) >> 1; if ((origOf[m] < 0 ? -origOf[m] - 1 : origOf[m]) < o) a = m + 1; else b = m; }
    return a;
  };
  const before = files.get(file);
  setText(file, text);
  const t0 = Date.now();
  let annots = null;
  let rnull = null;
  let bufs = null;
  const diags = [];
  const decls = [];
  const unresolved = new Set();  // names the compiler cannot find (TS2304, TS2552)
  const misfitLines = new Set();  // lines (0-based, in `text`) with a MISFIT error, and the words on them (V1s)
  const misfitWords = new Set();
  try {
    const program = service.getProgram();
    const sf = program.getSourceFile(file);
    const orig = (i) => { const o = back(i); return o < 0 ? -o - 1 : o; };
    const enclosing = (pos) => {  // the innermost function around a position: [start, end] in `original`
      let node = sf ? ts.getTokenAtPosition(sf, pos) : undefined;
      while (node && !(ts.isFunctionLike(node) && node.body)) node = node.parent;
      return node ? [orig(node.getStart(sf)), orig(node.end)] : [-1, -1];
    };
    const callee = (pos, checker) => {  // an error in a call's argument: the called function, if in this file
      let node = sf ? ts.getTokenAtPosition(sf, pos) : undefined;
      while (node && !ts.isCallLikeExpression(node) && !ts.isFunctionLike(node) && !ts.isSourceFile(node)) node = node.parent;
      if (!node || !ts.isCallLikeExpression(node)) return [-1, -1];
      const sig = checker.getResolvedSignature(node);
      const decl = sig && sig.declaration;
      if (!decl || decl.getSourceFile() !== sf) return [-1, -1];
      return [orig(decl.getStart(sf)), orig(decl.end)];
    };
    const message = (d) => {  // the compiler's message, its first line, cut: why a candidate is not a hint (F1)
      const m = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0];
      return m.length > MESSAGE_CHARS ? m.slice(0, MESSAGE_CHARS - 1) + "…" : m;
    };
    const checker = program.getTypeChecker();
    if (req.diags !== false) {
      for (const d of service.getSyntacticDiagnostics(file).concat(service.getSemanticDiagnostics(file))) {
        if (d.category !== ts.DiagnosticCategory.Error || d.start === undefined) continue;
        diags.push([orig(d.start), d.code, ...enclosing(d.start), ...callee(d.start, checker), message(d)]);
        if (MISFIT.has(d.code) && sf) {
          const line = sf.getLineAndCharacterOfPosition(d.start).line;
          misfitLines.add(line);
          const starts = sf.getLineStarts();
          for (const w of text.slice(starts[line], starts[line + 1] ?? text.length).match(WORD) || []) misfitWords.add(w);
        }
        if ((d.code === 2304 || d.code === 2552) && d.length) unresolved.add(text.substr(d.start, d.length));
      }
    }
    if (req.diags !== false && !edits.length && sf) {
      // names written as types that nothing declares, also where a `// @ts-ignore` hides their error (AssemblyScript's
      // standard library: `1 << <usize>AL_BITS`): what tells a file's language (`judge.other_language`)
      const typeNames = (n) => {
        if (unresolved.size >= 50) return;
        if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName)) {
          const s = checker.getSymbolAtLocation(n.typeName);  // (the checker's stand-in for an unknown name declares nothing)
          if (!s || !(s.declarations || []).length) unresolved.add(n.typeName.text);
        }
        ts.forEachChild(n, typeNames);
      };
      typeNames(sf);
    }
    const [lo, hi] = req.range ? req.range.map(mapTo) : [0, text.length];
    const js = /\.(c|m)?jsx?$/.test(file);
    const evidence = req.evidence === true && !edits.length;
    const conv = evidence ? conventions(program) : null;
    if (conv) {  // the project's parameter annotations, all names together: [[text, count], ...]
      const all = new Map();
      for (const m of conv.values()) for (const [t, n] of m) all.set(t, (all.get(t) || 0) + n);
      annots = mostCommon(all, 200);
    }
    if (evidence && !configFiles) rnull = projectStyle(program).nulls;
    if (!js && (evidence || style !== null)) bufs = projectStyle(program).buffers;  // (once counted, for every request)
    const deadline = Date.now() + Number(req.budget_ms || 4000);
    const sites = new Map();  // function node → call-site types
    const scopes = new Map();  // function node → the named types in scope (`typesInScope`)
    const inScope = (fn) => {
      if (!scopes.has(fn)) scopes.set(fn, typesInScope(program, checker, fn));
      return scopes.get(fn);
    };
    const emit = (label, name, pos, type, jsdoc, enclosing, loop = false) => {
      // `const big = 10n`: the declared type is the literal `10n`; what a reader (and an
      // annotation) wants is its base type (tsserver shows no hint at all there)
      if ((label === "LOCAL" || label === "MEMBER") && (type.flags & (ts.TypeFlags.Literal | ts.TypeFlags.BooleanLiteral))) {
        type = checker.getBaseTypeOfLiteralType(type);
      }
      const f = checker.typeToString(type, enclosing, FULL);
      const lit = !!(type.flags & ts.TypeFlags.Literal) || !!(type.flags & ts.TypeFlags.BooleanLiteral);
      // a structural type the printer could not name (an intersection, an object literal's type)
      const anon = !!(type.flags & ts.TypeFlags.Intersection) || (!!(type.flags & ts.TypeFlags.Object) &&
        !!(type.objectFlags & ts.ObjectFlags.Anonymous) && type.getCallSignatures().length === 0);
      const d = {k: label, n: name, p: pos, f, any: holdsAny(checker, type, 0), j: jsdoc, lit, anon};
      if ((label === "METHOD_PARAMETER_IN" || label === "MEMBER") && enclosing.questionToken) d.q = true;
      // a parameter with a default value: its type is the default's, which is not the one meant when
      // its author annotates it (a hole, like `any`, for the evidence below)
      if (label === "METHOD_PARAMETER_IN" && enclosing.initializer) d.dflt = true;
      if (loop) d.loop = true;
      if ((label === "LOCAL" || label === "MEMBER") && !d.any && !NEVER.test(f)) {  // as its author writes it (NL, TL, DA)
        let lw = (f === "string" ? literalsWritten(program, checker, enclosing) : undefined) ??
          widenedLiteral(program, checker, enclosing, type) ?? withoutDefaults(checker, enclosing, type, f);
        if (!d.loop) lw = withNulls(checker, enclosing, lw ?? f) ?? lw;
        if (lw !== undefined && lw !== f) d.lw = lw;
      }
      if (label === "LOCAL" && !d.loop && misfitWords.has(name)) {  // its own uses on a line with a MISFIT error (V1s)
        const ml = references(checker, enclosing).map((r) => r.getStart(sf))
          .filter((o) => misfitLines.has(sf.getLineAndCharacterOfPosition(o).line)).map(back);
        if (ml.length) d.ml = ml;
      }
      if ((label === "LOCAL" || label === "MEMBER") && !d.loop) {  // an empty container by what the code puts in it (EL)
        const el = contents(checker, enclosing, f);
        if (el !== undefined && d.any) d.el = el;
        else if (el !== undefined) d.lw = el;
      }
      const hole = label === "METHOD_PARAMETER_IN" && (d.any || d.dflt);
      // what its own uses expect: with the rest of the evidence, or alone once hints are written ("uses": a
      // callee of this file typed by them, C39b)
      if (hole && (evidence || req.uses === true)) {
        const platform = new Set();
        const uses = useTypes(checker, enclosing.parent, enclosing, program, platform);
        if (uses.length) d.uses = uses;
        if (platform.size) d.upl = [...platform];
      }
      if (evidence && hole) {
        d.opt = !!(enclosing.questionToken || enclosing.initializer);
        const init = bare(enclosing.initializer);  // a string literal default, by the project's alias holding it (DL)
        if (init && ts.isStringLiteralLike(init)) {
          const alias = literalAlias(program, checker, enclosing, new Set([init.text]), true);
          if (alias !== undefined) d.dla = alias;
        }
        const m = conv.get(name);
        if (m) {
          d.conv = mostCommon(m, 3);
          d.convN = [...m.values()].reduce((a, b) => a + b, 0);
        }
        const fn = enclosing.parent;
        const tps = [];  // the type parameters in scope: its function's, then the enclosing ones'
        for (let n = fn; n; n = n.parent) {
          if ((ts.isFunctionLike(n) || ts.isClassLike(n)) && n.typeParameters) for (const tp of n.typeParameters) tps.push(tp.name.text);
        }
        if (tps.length) d.tps = tps;
        const named = namedTypes(checker, fn, enclosing);
        if (named.length) d.named = named;
        const inh = inheritedTypes(checker, fn, enclosing);
        if (inh.length) d.inh = inh;
        const members = memberTypes(checker, fn, enclosing, () => inScope(fn));
        if (members.length) d.members = members;
        if (!sites.has(fn)) sites.set(fn, callSiteTypes(program, checker, file, fn, enclosing, deadline));
        const cs = sites.get(fn);
        if (cs) {
          const i = fn.parameters.indexOf(enclosing);
          d.cs = cs.perParam[i] || [];
          if ((cs.perCtx[i] || []).length) d.ctx = cs.perCtx[i];
          d.calls = cs.calls;
        }
      }
      decls.push(d);
      return d;
    };
    const nameAt = (node) => back(node.getStart(sf));
    const statementOf = (decl) => {
      const list = decl.parent;
      const stmt = list && list.parent;
      if (!list || !ts.isVariableDeclarationList(list)) return -1;
      // one declarator: `/** @type {T} */ const x = ..` (the usual place); several, or a `for`
      // initialiser: `let a = 1, /** @type {T} */ b = ..` (the compiler reads it there too)
      if (list.declarations.length !== 1 || !stmt || !ts.isVariableStatement(stmt)) return nameAt(decl.name);
      return back(stmt.getStart(sf));
    };
    const visit = (node) => {
      if (node.end < lo || node.pos > hi) return;
      if (ts.isParameter(node) && !node.type && ts.isIdentifier(node.name) && node.name.text !== "this" &&
          !ts.isFunctionTypeNode(node.parent) && !ts.isMethodSignature(node.parent)) {
        const jsdoc = node.dotDotDotToken ? -1 : nameAt(node.name);
        emit("METHOD_PARAMETER_IN", node.name.text, nameAt(node.name), checker.getTypeAtLocation(node.name), jsdoc, node);
      } else if (ts.isVariableDeclaration(node) && !node.type && ts.isIdentifier(node.name)) {
        // a `for (const k in o)` / `for (const x of xs)` variable: shown, never written (no annotation goes there)
        const loop = !!(node.parent && node.parent.parent &&
                        (ts.isForOfStatement(node.parent.parent) || ts.isForInStatement(node.parent.parent)));
        emit("LOCAL", node.name.text, nameAt(node.name), checker.getTypeAtLocation(node.name),
             loop ? -1 : statementOf(node), node, loop);
      } else if (ts.isPropertyDeclaration(node) && !node.type && named(node)) {
        emit("MEMBER", node.name.text, nameAt(node.name), checker.getTypeAtLocation(node.name), back(node.getStart(sf)), node);
      }
      if (ts.isFunctionLike(node) && node.body && !node.type && !ts.isConstructorDeclaration(node) &&
          !ts.isSetAccessorDeclaration(node)) {
        const sig = checker.getSignatureFromDeclaration(node);
        const close = node.parameters.length === 1 && !ts.findChildOfKind(node, ts.SyntaxKind.OpenParenToken, sf)
          ? node.parameters[0].end - 1 : (ts.findChildOfKind(node, ts.SyntaxKind.CloseParenToken, sf) || {end: 0}).end - 1;
        if (sig && close >= 0) {
          const o = back(close);
          const anchor = o < 0 ? -o - 1 : o + 1;
          const jsdoc = js && (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) ? back(node.getStart(sf)) : -1;
          const ret = checker.getReturnTypeOfSignature(sig);
          const d = emit("METHOD_RETURN", "<return>", anchor, ret, jsdoc, node);
          // JR: also before an arrow or a function expression whose return the compiler leaves `any`, `/** @returns {T}
          // */ (x) => …`, where the compiler reads it as the function's, so that a prediction can be checked (a
          // parameter's inline `@type` at the same place, `x => …`, would type the arrow and err)
          if (js && d.any && (ts.isFunctionExpression(node) || ts.isArrowFunction(node))) d.j = back(node.getStart(sf));
          if (alwaysThrows(node)) d.thr = true;
          let lw = literalReturn(program, checker, node, ret) ?? widenedLiteral(program, checker, node, ret) ??
            (d.any ? undefined : namedObject(program, checker, node, ret, d.f, () => inScope(node)) ??
            unfrozen(program, checker, node, ret) ?? factoryInterface(program, checker, node, ret) ??
            withoutDefaults(checker, node, ret, d.f));
          if (!d.any && !/^Promise</.test(lw ?? d.f)) lw = withNulls(checker, node, lw ?? d.f) ?? lw;
          if (lw !== undefined && lw !== d.f) d.lw = lw;
        }
      }
      ts.forEachChild(node, visit);
    };
    if (sf) visit(sf);
  } finally {
    if (req.keep === false) {
      if (before) files.set(file, {version: files.get(file).version + 1, text: before.text, snap: before.snap});
      else files.delete(file);
    }
  }
  const out = {decls, diags, ms: Date.now() - t0};
  if (annots) out.annots = annots;
  if (rnull) out.rnull = rnull;
  if (bufs !== null) out.bufs = bufs;
  if (unresolved.size) out.unres = [...unresolved].slice(0, 50);
  return out;
}

const rl = readline.createInterface({input: process.stdin, terminal: false});
rl.on("line", (line) => {
  if (!line.trim()) return;
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    process.stdout.write(JSON.stringify({id: null, error: "not JSON: " + e.message}) + "\n");
    return;
  }
  let out;
  try {
    if (req.op === "analyse") out = analyse(req);
    else if (req.op === "close") { files.delete(path.resolve(req.file)); out = {}; }
    else if (req.op === "ping") out = {version: ts.version};
    else out = {error: "unknown op " + req.op};
  } catch (e) {
    out = {error: String(e && e.stack || e).slice(0, 2000)};
  }
  out.id = req.id;
  process.stdout.write(JSON.stringify(out) + "\n");
});
