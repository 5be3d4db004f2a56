"""The only ifcopenshell adapter: open IFC files, normalise units to SI, and cache geometry.

Invariants
----------
* Every number leaving this module is a `Measure` in SI units (m, m2, m3) or dimensionless.
* A length attribute whose value is implausible in the project unit but plausible in another
  common unit (feet, inches, metres, millimetres) is converted and the `Measure` carries a
  ``note`` saying so: ``duplex.ifc`` writes stair risers in feet while its unit is the metre;
  ``IfcOpenHouse_IFC4.ifc`` writes them in metres while its unit is the millimetre.
* Geometry (world coordinates, metres) is computed once per element and kept in memory and in a
  disk cache keyed by the file's sha256, so a second run on the same file does no tessellation.

Example
-------
>>> Measure(0.775, "m")
Measure(value=0.775, unit='m', note='')
>>> str(Measure(0.19375, "m", note="RiserHeight in feet"))
'0.194 m'
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rulecheck.errors import IfcFileError, NotApplicable, RuleTypeError
from workbench.errors import require

#: Schemas ifcopenshell 0.9 reads and this part is tested on.
SUPPORTED_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3", "IFC4X3_ADD2")

#: Plausible SI ranges for kinds of length, used to detect values written in the wrong unit.
PLAUSIBLE_LENGTH: dict[str, tuple[float, float]] = {
    "riser": (0.05, 0.30),
    "going": (0.15, 0.60),
    "door_width": (0.30, 3.50),
    "door_height": (1.50, 4.00),
    "window_dimension": (0.10, 8.00),
    "storey_height": (1.80, 10.0),
}

#: Units a wrong-unit length may have been written in, metres per unit.
CANDIDATE_UNITS: tuple[tuple[str, float], ...] = (
    ("metre", 1.0),
    ("millimetre", 0.001),
    ("foot", 0.3048),
    ("inch", 0.0254),
    ("centimetre", 0.01),
)


PLURAL = {"foot": "feet", "inch": "inches"}


@dataclass(frozen=True)
class Measure:
    """A value in SI units with its unit symbol and an optional provenance note.

    Parameters
    ----------
    value:
        The number, in SI (metres, square metres, cubic metres) or dimensionless.
    unit:
        ``"m"``, ``"m2"``, ``"m3"``, ``"deg"`` or ``""`` for a plain number.
    note:
        How the value was obtained when that is not obvious (unit correction, fallback source).
    """

    value: float
    unit: str = ""
    note: str = ""

    def __str__(self) -> str:
        return f"{self.value:.3f} {self.unit}".strip() if self.unit else f"{self.value:g}"


@dataclass(frozen=True)
class Shape:
    """Tessellated geometry of one element, world coordinates in metres.

    ``verts`` is ``(n, 3)`` float, ``faces`` is ``(m, 3)`` vertex indices.
    """

    verts: np.ndarray = field(repr=False)
    faces: np.ndarray = field(repr=False)

    @property
    def extent(self) -> np.ndarray:
        """Axis-aligned size ``(dx, dy, dz)``."""
        return self.verts.max(axis=0) - self.verts.min(axis=0)


def _check_header(path: Path) -> str:
    """Validate the STEP envelope and return the schema name; raise `IfcFileError` otherwise."""
    if not path.exists():
        raise IfcFileError("file not found", where=str(path))
    if path.is_dir():
        raise IfcFileError("is a folder, not an IFC file", where=str(path))
    if path.suffix.lower() in (".ifczip", ".ifcxml"):
        raise IfcFileError("only STEP .ifc files are supported", where=str(path))
    with path.open("rb") as fh:
        head = fh.read(4096)
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 4096))
        tail = fh.read()
    if not head.lstrip().startswith(b"ISO-10303-21;"):
        raise IfcFileError(
            "not an IFC file: it does not start with 'ISO-10303-21;' (STEP physical file)",
            where=str(path),
        )
    if b"END-ISO-10303-21;" not in tail:
        raise IfcFileError(
            f"truncated IFC file: no 'END-ISO-10303-21;' at the end ({size} bytes)",
            where=str(path),
        )
    match = re.search(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'", head)
    if not match:
        raise IfcFileError("IFC header has no FILE_SCHEMA", where=str(path))
    schema = match.group(1).decode("ascii", "replace").upper()
    if schema not in SUPPORTED_SCHEMAS:
        raise IfcFileError(
            f"unknown IFC schema {schema!r}; supported: {', '.join(SUPPORTED_SCHEMAS)}",
            where=f"{path}: FILE_SCHEMA",
        )
    return schema


@lru_cache(maxsize=1)
def _entity_classes() -> dict[str, str]:
    """Lower-case name → spelling of every entity class of the supported schemas."""
    import ifcopenshell.ifcopenshell_wrapper as w

    out: dict[str, str] = {}
    for schema in ("IFC2X3", "IFC4", "IFC4X3_ADD2"):
        for d in w.schema_by_name(schema).declarations():
            if type(d).__name__ == "entity":
                out.setdefault(d.name().lower(), d.name())
    return out


def check_ifc_class(name: str, where: str = "rule") -> None:
    """Raise when ``name`` is no entity class of IFC2X3, IFC4 or IFC4X3 (a misspelt ``IfcDoorr``).

    Raises
    ------
    RuleTypeError
        Naming the class and the closest real ones.

    >>> check_ifc_class("IfcDoorr", "rule R1")
    Traceback (most recent call last):
    ...
    rulecheck.errors.RuleTypeError: rule R1: no IFC class named 'IfcDoorr' in IFC2X3, IFC4 or IFC4X3; did you mean IfcDoor?
    """
    import difflib

    classes = _entity_classes()
    if name.lower() in classes:
        return
    close = difflib.get_close_matches(name.lower(), list(classes), n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(classes[c] for c in close)}?" if close else ""
    raise RuleTypeError(f"no IFC class named {name!r} in IFC2X3, IFC4 or IFC4X3{hint}", where=where)


_STATEMENT = re.compile(rb"#(\d+)\s*=\s*([A-Za-z0-9_]+)\s*\(", re.S)
_STRING = re.compile(rb"'(?:[^']|'')*'")
_HEAD = re.compile(rb"(?:\A|;[ \t]*\r?\n)\s*#(\d+)\s*=\s*([A-Za-z0-9_]+)\s*\(")


def damage(path: Path, loaded: int | None = None) -> list[str]:
    r"""What is wrong inside the DATA section of a STEP file that still has a valid envelope.

    A file cut mid-way and re-terminated, or with a garbage line or entity, is read by
    ifcopenshell without a word. Here: every statement must be ``#id = CLASS(...);`` with
    balanced brackets and a class of the file's schema family; no id may be defined twice; every
    ``#id`` referenced must be defined (a cut file loses the entities later lines point to); and
    ifcopenshell must have loaded as many entities as the file defines (``loaded``).
    Each problem is one line naming the line number; at most 5 are listed, then a count.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "bad.ifc"
    >>> _ = f.write_text("ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\n#1=IFCWALL('a',#7);\nrubbish;\n#2=IFCDOORR('b');\nENDSEC;\nEND-ISO-10303-21;\n")
    >>> for line in damage(f): print(line)
    line 6: not an entity statement: 'rubbish'
    line 7: unknown class IFCDOORR
    #7 is referenced but never defined (1 dangling reference(s); the file may have been cut and re-terminated)
    """
    raw = path.read_bytes()
    start = raw.find(b"\nDATA;")
    end = raw.rfind(b"ENDSEC;")
    if start < 0 or end <= start:
        return ["no DATA section"]
    data = raw[start + 7:end]
    base_line = raw[:start + 7].count(b"\n") + 1
    classes = _entity_classes()
    problems: list[str] = []
    chunks = re.split(rb";[ \t]*\r?\n", data)
    stripped = _STRING.sub(b"''", data)
    # fast path (a 10 MB file in a fraction of a second): every statement starts as an entity of a
    # known class and the brackets balance overall; only otherwise is each statement read to name
    # the line (two errors that cancel each other's brackets would pass here)
    heads = _HEAD.findall(data)
    statements = len(chunks) - sum(1 for c in (chunks[0], chunks[-1]) if not c.strip())  # a blank inside: slow path
    if (len(heads) == statements and stripped.count(b"(") == stripped.count(b")")
            and {c.decode("ascii").lower() for c in {c for _, c in heads}} <= classes.keys()):
        numbers = [int(i) for i, _ in heads]
        ids = set(numbers)
        dupes = len(numbers) - len(ids)
        chunks = []
    else:
        ids = set()
        dupes = 0
    line = base_line
    for chunk in chunks:
        text = chunk.strip()
        lead = chunk[:len(chunk) - len(chunk.lstrip())].count(b"\n")
        where = f"line {line + lead}"
        line += chunk.count(b"\n") + 1
        if not text:
            continue
        m = _STATEMENT.match(text)
        if m is None:
            problems.append(f"{where}: not an entity statement: {text[:40].decode('utf-8', 'replace')!r}")
            continue
        number = int(m.group(1))
        if number in ids:
            dupes += 1
        ids.add(number)
        if m.group(2).decode("ascii").lower() not in classes:
            problems.append(f"{where}: unknown class {m.group(2).decode('ascii')}")
            continue
        body = _STRING.sub(b"''", text)
        if body.count(b"(") != body.count(b")"):
            problems.append(f"{where}: unbalanced brackets in #{number} (a cut or garbled entity)")
    if dupes:
        problems.append(f"{dupes} entity id(s) defined twice")
    refs = {int(r) for r in re.findall(rb"#(\d+)", stripped)}
    dangling = sorted(refs - ids)
    if dangling:
        problems.append(f"#{dangling[0]} is referenced but never defined ({len(dangling)} dangling reference(s); "
                        "the file may have been cut and re-terminated)")
    if loaded is not None and loaded != len(ids) and not problems:
        problems.append(f"the file defines {len(ids)} entities but ifcopenshell loaded {loaded}")
    if len(problems) > 6:
        problems = problems[:5] + [f"... and {len(problems) - 5} more problems"]
    return problems


def open_model(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None,
               allow_damaged: bool = False) -> Model:
    """Open an IFC file with a clear error for every way it can be unreadable.

    Parameters
    ----------
    path:
        A STEP ``.ifc`` file (IFC2X3, IFC4, IFC4X3).
    cache_dir:
        Folder for the geometry cache; default ``$WORKBENCH_CACHE/rulecheck`` or
        ``~/.cache/workbench/rulecheck``. ``None`` uses the default; pass ``""`` to disable.

    allow_damaged:
        Check a damaged file anyway (`damage` finds problems): the model carries them in
        ``Model.damage`` for the report, instead of the open failing.

    Raises
    ------
    IfcFileError
        Missing, truncated, non-IFC file, unknown schema, a parse error inside ifcopenshell, or
        a damaged DATA section (unless ``allow_damaged``), naming the first problem and its line.
    """
    p = Path(path)
    schema = _check_header(p)
    ifcopenshell = require("ifcopenshell", "rules")
    try:
        file = ifcopenshell.open(str(p))
    except Exception as exc:  # ifcopenshell raises plain errors with terse messages
        raise IfcFileError(f"ifcopenshell cannot read the file: {exc}", where=str(p)) from exc
    problems = damage(p, len(file.entity_names()))  # ids only: no Python wrapper per entity
    if problems and not allow_damaged:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        raise IfcFileError(f"damaged IFC file: {problems[0]}{more}; --allow-damaged checks it anyway",
                           where=str(p))
    model = Model(p, file, schema, cache_dir)
    model.damage = tuple(problems)
    return model


def default_cache_dir() -> Path:
    """Where geometry caches live unless told otherwise."""
    base = os.environ.get("WORKBENCH_CACHE") or str(Path.home() / ".cache" / "workbench")
    return Path(base) / "rulecheck"


class Model:
    """An opened IFC model: entity access, SI units, property sets and cached geometry.

    Not hashable and not frozen: it owns caches. Create it with `open_model`.
    """

    def __init__(self, path: Path, file: Any, schema: str, cache_dir: Any = None) -> None:
        self.path = path
        self.file = file
        self.schema = schema
        import ifcopenshell.util.unit as uu

        self.length_scale: float = float(uu.calculate_unit_scale(file))
        self.length_unit_name = _unit_name(self.length_scale)
        self.area_scale: float = float(uu.calculate_unit_scale(file, "AREAUNIT"))
        self.volume_scale: float = float(uu.calculate_unit_scale(file, "VOLUMEUNIT"))
        self._psets: dict[int, dict[str, dict[str, Any]]] = {}
        self._shapes: dict[str, Shape | None] = {}
        self._shape_errors: dict[str, str] = {}
        self._batched: set[str] = set()  # classes tessellated in one iterator pass
        self._disk_loaded = False
        self._dirty = False
        self._memo: dict[Any, Any] = {}
        #: problems `damage` found in the file (only when opened with ``allow_damaged``)
        self.damage: tuple[str, ...] = ()
        if cache_dir == "":
            self.cache_file: Path | None = None
        else:
            folder = Path(cache_dir) if cache_dir else default_cache_dir()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
            self.cache_file = folder / f"geom-{digest}.npz"

    def __repr__(self) -> str:
        return f"<Model {self.path.name} {self.schema} unit={self.length_unit_name}>"

    # ---------------------------------------------------------------- entities
    def by_type(self, ifc_class: str) -> list[Any]:
        """All instances of ``ifc_class`` (and subclasses); an unknown class name is an error."""
        try:
            return list(self.file.by_type(ifc_class))
        except RuntimeError as exc:
            raise NotApplicable(f"{ifc_class} is not a class of schema {self.schema}") from exc

    def by_guid(self, guid: str) -> Any:
        """The entity with this GlobalId."""
        try:
            return self.file.by_guid(guid)
        except RuntimeError as exc:
            raise NotApplicable(f"no element with GlobalId {guid}") from exc

    def psets(self, element: Any) -> dict[str, dict[str, Any]]:
        """Property and quantity sets of an element, including those of its type (cached)."""
        key = element.id()
        if key not in self._psets:
            import ifcopenshell.util.element as ue

            self._psets[key] = ue.get_psets(element)
        return self._psets[key]

    def memo(self, key: Any, build: Any) -> Any:
        """A per-model derived value (an index, a footprint), built once by ``build()``."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def space_boundaries(self, element: Any) -> list[Any]:
        """The IfcRelSpaceBoundary relations of a building element (index built once per model)."""
        return self._boundary_index("RelatedBuildingElement").get(element.id(), [])

    def boundaries_of_space(self, space: Any) -> list[Any]:
        """The IfcRelSpaceBoundary relations of a space (index built once per model)."""
        return self._boundary_index("RelatingSpace").get(space.id(), [])

    def _boundary_index(self, side: str) -> dict[int, list[Any]]:
        def build() -> dict[int, list[Any]]:
            index: dict[int, list[Any]] = {}
            for rel in self.by_type("IfcRelSpaceBoundary"):
                end = getattr(rel, side)
                if end is not None:
                    index.setdefault(end.id(), []).append(rel)
            return index

        return self.memo(("space boundaries by", side), build)

    # ---------------------------------------------------------------- units
    def length(self, raw: Any, where: str, kind: str | None = None) -> Measure:
        """A length attribute in project units → metres, correcting a wrong unit when evident.

        Parameters
        ----------
        raw:
            The attribute value as stored (project length unit).
        where:
            ``"#123 IfcStairFlight.RiserHeight"``, used in notes and errors.
        kind:
            A key of `PLAUSIBLE_LENGTH`; when given and the value is implausible in the project
            unit but plausible in exactly one other unit, that unit is assumed and noted.

        Raises
        ------
        NotApplicable
            The value is missing, not a number, or implausible in every candidate unit.
        """
        if raw is None:
            raise NotApplicable(f"{where} is not set")
        if not isinstance(raw, (int, float)) or isinstance(raw, bool):
            raise NotApplicable(f"{where} is not a number ({raw!r})")
        value = float(raw) * self.length_scale
        if kind is None:
            return Measure(value, "m")
        lo, hi = PLAUSIBLE_LENGTH[kind]
        if lo <= value <= hi:
            return Measure(value, "m")
        fits = [(name, float(raw) * f) for name, f in CANDIDATE_UNITS if lo <= float(raw) * f <= hi]
        if fits:
            name, si = fits[0]
            return Measure(
                si,
                "m",
                note=f"{where} = {float(raw):g} read as {PLURAL.get(name, name + 's')} although the project unit is the "
                f"{self.length_unit_name} ({value:g} m would be implausible for a {kind})",
            )
        raise NotApplicable(
            f"{where} = {float(raw):g} {self.length_unit_name}s = {value:g} m is implausible for a "
            f"{kind} (expected {lo}–{hi} m) in every common unit"
        )

    # ---------------------------------------------------------------- geometry
    def shape(self, element: Any) -> Shape:
        """World-coordinate tessellation of an element, from memory, disk cache or ifcopenshell.

        Raises
        ------
        NotApplicable
            The element has no body geometry ifcopenshell can tessellate.
        """
        guid = element.GlobalId
        if guid not in self._shapes:
            self._load_disk_cache()
        if guid not in self._shapes and element.is_a() not in self._batched:
            self._tessellate_class(element.is_a())
        if guid not in self._shapes:
            self._shapes[guid] = self._tessellate(element)
            self._dirty = True
        shape = self._shapes[guid]
        if shape is None:
            why = self._shape_errors.get(guid, "no tessellable body representation")
            raise NotApplicable(f"{element.is_a()} {guid} has no geometry: {why}")
        return shape

    def _tessellate_class(self, cls: str) -> None:
        """Tessellate every not yet cached element of one class in a single ifcopenshell iterator pass.

        Rules ask for the geometry of whole classes (every space for a location, every slab for a
        floor or headroom); the iterator shares work between elements and costs about 15 % less CPU
        than one `create_shape` call each (same tessellation). Elements it skips are tessellated
        one by one on request, which records why they have no geometry.
        """
        import ifcopenshell.geom as geom

        self._batched.add(cls)
        todo = [e for e in self.file.by_type(cls, include_subtypes=False) if e.GlobalId not in self._shapes]
        if len(todo) < 2:
            return
        settings = geom.settings()
        settings.set("use-world-coords", True)
        try:
            it = geom.iterator(settings, self.file, 1, include=todo)
            if not it.initialize():
                return
            while True:
                result: Any = it.get()
                verts = np.asarray(result.geometry.verts, dtype=float).reshape(-1, 3)
                if len(verts):
                    faces = np.asarray(result.geometry.faces, dtype=np.int64).reshape(-1, 3)
                    self._shapes[result.guid] = Shape(verts, faces)
                    self._dirty = True
                if not it.next():
                    break
        except Exception:  # noqa: BLE001 - whatever the batch misses is tessellated one by one
            return

    def _tessellate(self, element: Any) -> Shape | None:
        import ifcopenshell.geom as geom

        settings = geom.settings()
        settings.set("use-world-coords", True)
        try:
            result: Any = geom.create_shape(settings, element)
        except Exception as exc:  # RuntimeError for missing representations, others on bad data
            self._shape_errors[element.GlobalId] = str(exc)
            return None
        verts = np.asarray(result.geometry.verts, dtype=float).reshape(-1, 3)
        faces = np.asarray(result.geometry.faces, dtype=np.int64).reshape(-1, 3)
        if len(verts) == 0:
            self._shape_errors[element.GlobalId] = "empty tessellation"
            return None
        return Shape(verts, faces)

    def _load_disk_cache(self) -> None:
        if self._disk_loaded or self.cache_file is None:
            return
        self._disk_loaded = True
        if not self.cache_file.exists():
            return
        try:
            with np.load(self.cache_file, allow_pickle=False) as data:
                for key in data.files:
                    kind, guid = key.split(":", 1)
                    if kind == "v":
                        self._shapes[guid] = Shape(data[key], data["f:" + guid])
                    elif kind == "x":
                        self._shapes[guid] = None
                        self._shape_errors[guid] = str(data[key])
        except (OSError, ValueError, KeyError):
            return  # a damaged cache is rebuilt, never trusted

    def save_geometry_cache(self) -> Path | None:
        """Write computed shapes to the disk cache (atomically); return its path."""
        if self.cache_file is None or not self._dirty:
            return self.cache_file
        arrays: dict[str, np.ndarray] = {}
        for guid, shape in self._shapes.items():
            if shape is None:
                arrays["x:" + guid] = np.array(self._shape_errors.get(guid, ""))
            else:
                arrays["v:" + guid] = shape.verts
                arrays["f:" + guid] = shape.faces
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(f".{os.getpid()}.tmp.npz")  # one per process: batch workers
        np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(self.cache_file)
        self._dirty = False
        return self.cache_file


def _unit_name(scale: float) -> str:
    for name, f in CANDIDATE_UNITS:
        if math.isclose(scale, f, rel_tol=1e-6):
            return name
    return f"unit of {scale:g} m"


# -------------------------------------------------------------------- geometry helpers
def floor_area(shape: Shape) -> float:
    """Area of the downward-facing faces projected on the floor plane (m2)."""
    tri = shape.verts[shape.faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    down = normals[:, 2] < 0
    lengths = np.linalg.norm(normals, axis=1)
    facing = down & (np.abs(normals[:, 2]) > 0.9 * np.where(lengths > 0, lengths, 1))
    return float(np.abs(normals[facing, 2]).sum() / 2.0)


def plan_extents(shape: Shape) -> tuple[float, float]:
    """(narrowest, widest) horizontal extent of the footprint's convex hull (m).

    The narrowest is the minimum caliper width, so a rotated rectangular room reports its
    true short side.

    >>> sq = Shape(np.array([[0,0,0],[2,0,0],[2,3,0],[0,3,0],[0,0,1.0]]), np.zeros((0,3), int))
    >>> tuple(round(v, 3) for v in plan_extents(sq))
    (2.0, 3.0)
    """
    pts = _hull(np.unique(np.round(shape.verts[:, :2], 6), axis=0))
    if len(pts) < 3:
        ext = np.ptp(shape.verts[:, :2], axis=0)
        return float(ext.min()), float(ext.max())
    best = (math.inf, 0.0)
    for i in range(len(pts)):
        edge = pts[(i + 1) % len(pts)] - pts[i]
        norm = float(np.hypot(*edge))
        if norm == 0:
            continue
        u = edge / norm
        v = np.array([-u[1], u[0]])
        along, across = pts @ u, pts @ v
        width = float(np.ptp(across))
        if width < best[0]:
            best = (width, float(np.ptp(along)))
    return best


def _hull(points: np.ndarray) -> np.ndarray:
    """Andrew's monotone chain convex hull of 2-D points."""
    pts = sorted(map(tuple, points))
    if len(pts) <= 2:
        return np.array(pts)

    def cross(o: tuple, a: tuple, b: tuple) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])
