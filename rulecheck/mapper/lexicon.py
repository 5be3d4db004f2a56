"""The words building codes use for subjects, measured quantities, comparisons and conditions.

Written for the language of building codes (UK Approved Documents, Finnish code in English, US
ADA / OSHA / IBC style), not for a data set: each entry is a noun or phrase a code uses for a
thing or a measure, mapped to catalogue names. `compose.py` reads these tables; the catalogue's
signatures decide types, so an entry can never produce an ill-typed rule.

Example
-------
>>> [s.key for s in SUBJECTS if s.matches("Every flight has a minimum clear width of 900mm.")]
['stair']
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    """A kind of thing a clause constrains, and how to select it."""

    key: str
    pattern: str
    select: str

    def matches(self, text: str) -> bool:
        return re.search(self.pattern, text, re.I) is not None

    def first(self, text: str) -> int:
        m = re.search(self.pattern, text, re.I)
        return m.start() if m else -1


@dataclass(frozen=True)
class MeasureWord:
    """A measured quantity: words that name it, the catalogue function, the subjects it applies to.

    ``after`` words may follow the number ("11 inches deep minimum"); ``min_si``/``max_si``
    restrict the entry to magnitudes (a "rise" of 1800 mm is a flight's total rise, 190 mm a
    riser). ``subjects`` empty means any subject that selects an IFC class.
    """

    function: str
    pattern: str
    subjects: tuple[str, ...] = ()
    min_si: float = float("-inf")
    max_si: float = float("inf")


# Subjects, most specific first (the first that matches a phrase wins at a position).
SUBJECTS: tuple[Subject, ...] = (
    # "the window of an emergency exit" is a window, not an exit door
    Subject("exit_door", r"\b(external|exterior|entrance|exit|front|outside|final exit|escape) doors?\b|\bdoors? (of|to) (an? )?"
            r"(exits?|entrances?)\b|\bexit doors?\b|\bentrance\b|(?<!window of an )(?<!window of an emergency )"
            r"\bexits?\b(?! route| access)", "exit_doors()"),
    Subject("door", r"\bdoors?\b|\bdoorways?\b|\bdoor openings?\b|\bdoorsets?\b|\bdoor leaf|\bleaf\b", 'all_of_class("IfcDoor")'),
    Subject("handrail", r"\bhandrails?\b|\bhand rails?\b", 'all_of_class("IfcRailing")'),
    Subject("railing", r"\bguards?\b|\bguardrails?\b|\bguard rails?\b|\bbarriers?\b|\brailings?\b|\bbalustrades?\b|"
            r"\btop rails?\b|\bparapets?\b|\bstair rail", 'all_of_class("IfcRailing")'),
    Subject("ramp", r"\bramps?\b|\bramp runs?\b|\bramped\b", "ramps()"),
    Subject("landing", r"\blandings?\b|\bplatforms?\b(?= .*\b(stair|ramp))", "union(stair_flights(), ramps())"),
    Subject("stair", r"\bgoings?\b|\bstairs?\b|\bstairways?\b|\bstaircases?\b|\bflights?\b|\bsteps?\b|\btreads?\b|\brisers?\b|"
            r"\bstair flights?\b", "stair_flights()"),
    Subject("corridor", r"\bcorridors?\b|\bhallways?\b|\bpassages?\b|\bpassageways?\b|\baccess routes?\b|"
            r"\bexit access\b|\bexit routes?\b|\bescape routes?\b|\bwalking surfaces?\b|\bcirculation (routes?|areas?)\b|"
            r"\baisles?\b|\bgangways?\b|\bcirculation spaces?\b|\baccessible routes?\b", "corridors()"),
    Subject("bedroom", r"\bbedrooms?\b|\bsleeping rooms?\b|\brooms? (used|occupied|designed|intended)( \w+)? for sleeping\b",
            "bedrooms()"),
    Subject("habitable", r"\bhabitable (rooms?|spaces?)\b|\bliving rooms?\b|\bliving spaces?\b", "habitable_rooms()"),
    Subject("kitchen", r"\bkitchens?\b", 'named(all_of_class("IfcSpace"), "kitchen|küche")'),
    Subject("bathroom", r"\b(toilet and )?washing facilit(y|ies)\b|\bbathrooms?\b|\btoilets? (rooms?|compartments?)\b|\bwashrooms?\b|\bsanitary accommodation\b",
            'named(all_of_class("IfcSpace"), "bath|toilet|wc|bad")'),
    Subject("crawl_space", r"\bcrawl spaces?\b", 'named(all_of_class("IfcSpace"), "crawl")'),
    # a "free space" / "clear space" is an area inside a room, not the room
    Subject("space", r"(?<!head )\brooms?\b|(?<!free )(?<!clear )(?<!floor )\bspaces?\b|\bturning spaces?\b|\battics?\b", 'all_of_class("IfcSpace")'),
    Subject("window", r"\bwindows?\b|\bglazing\b|\brooflights?\b", 'all_of_class("IfcWindow")'),
    Subject("wall", r"\bwalls?\b(?![ -](hung|mounted))", 'all_of_class("IfcWall")'),
    Subject("slab", r"\bslabs?\b|\bfloors? (structures?|slabs?)\b", 'all_of_class("IfcSlab")'),
    Subject("roof", r"\broofs?\b", 'all_of_class("IfcRoof")'),
    Subject("column", r"\bcolumns?\b|\bpillars?\b", 'all_of_class("IfcColumn")'),
    Subject("beam", r"\bbeams?\b", 'all_of_class("IfcBeam")'),
    Subject("wc", r"\b(wc|toilet) (pans?|seats?)\b|\bwcs?\b|\btoilets?\b|\burinals?\b",
            'named(all_of_class("IfcSanitaryTerminal"), "wc|toilet")'),
    Subject("basin", r"\bbasins?\b|\bsinks?\b|\bwash ?hand basins?\b|\blavatories\b",
            'named(all_of_class("IfcSanitaryTerminal"), "basin|sink")'),
    Subject("lift", r"\blifts?\b|\belevators?\b|\blifting platforms?\b|\bplatforms?\b", 'all_of_class("IfcTransportElement")'),
    Subject("switch", r"\bswitch(es)?\b|\bsockets?( outlets?)?\b|\bcontrols?\b|\bcall buttons?\b",
            'all_of_class("IfcSwitchingDevice")'),
    Subject("ventilator", r"\b(background |trickle )?ventilators?\b|\btrickle vents?\b|\bair (terminals?|inlets?|outlets?)\b",
            'all_of_class("IfcAirTerminal")'),
    Subject("board", r"\bconsumer units?\b|\bdistribution boards?\b", 'all_of_class("IfcElectricDistributionBoard")'),
    Subject("building", r"\bbuildings?\b|\bdwellings?\b", "the_building()"),
)

#: Parts and fittings the catalogue does not model: "the handle to at least one window" bounds the handle,
#: so the window named after it is not the thing measured.
PART_OF = (r"\b(handles?|locks?|latch(es)?|catch(es)?|hinges?|letter ?(plates?|boxes?)|door viewers?|ironmongery|"
           r"keyholes?|cylinders?)\s+(to|of|on|for|in)\s+((the|a|an|any|each|every|at least one)\s+)?$")

#: Subjects whose elements are spaces (for space_* measures).
SPACE_SUBJECTS = ("bedroom", "habitable", "kitchen", "bathroom", "space", "crawl_space", "corridor")

# Measures, most specific first. Patterns are searched in the words around a number.
MEASURES: tuple[MeasureWord, ...] = (
    MeasureWord("two_risers_plus_going", r"\b2 ?r ?\+? ?g\b|twice the rise plus the going|2 ?x ?rise", ("stair",)),
    MeasureWord("stair_pitch", r"\bpitch\b|\bangles?\b|\bsteepness\b|\binclination\b|\bfrom (the )?horizontal\b",
                ("stair",)),
    MeasureWord("ramp_slope", r"\bslopes?\b|\bgradients?\b|\bsteeper\b|\bsteep\b|\brunning slope\b|\bfall\b", ("ramp",)),
    MeasureWord("flight_rise", r"\brise\b|\bvertical rise\b|\brise between landings\b|\bgoing up\b", ("stair", "ramp"),
                min_si=0.6),
    MeasureWord("riser_height", r"\brisers?\b|\brise\b|\bstep height\b|\briser heights?\b|\bhigh\b", ("stair",),
                max_si=0.6),
    MeasureWord("going", r"\bgoings?\b|\btreads?\b|\btread depths?\b|\bdeep\b|\bdepth\b", ("stair",)),
    MeasureWord("landing_depth", r"\blandings?\b.*\b(long|length|deep|depth)\b|\b(length|depth)\b.*\blandings?\b|"
                r"\bclear length\b|\blong\b|\blength\b|\bdepth\b|\bdeep\b", ("landing",)),
    MeasureWord("headroom", r"\bheadroom\b|\bhead room\b|\bvertical clearance\b|\bclear headroom\b|\bclearance\b",
                ("stair", "ramp", "door", "exit_door", "landing")),
    MeasureWord("railing_height", r"\bheights?\b|\bhigh\b|\babove\b|\btop\b|\bextend to\b", ("handrail", "railing")),
    MeasureWord("door_clear_width", r"\bclear (opening )?widths?\b|\beffective (clear )?widths?\b|\bclear openings?\b|"
                r"\bfree widths?\b|\bwidths?\b|\bwide\b", ("door", "exit_door")),
    MeasureWord("door_height", r"\bfree height\b|\bheights?\b|\bhigh\b|\bclear height\b", ("door", "exit_door")),
    # a window's overall size (OverallWidth / OverallHeight), as for a door
    MeasureWord("door_width", r"\bwidths?\b|\bwide\b", ("window",)),
    MeasureWord("door_height", r"\bheights?\b|\bhigh\b", ("window",)),
    MeasureWord("door_leaf_thickness", r"\bthick(ness)?\b", ("door",)),
    MeasureWord("flight_width", r"\bclear widths?\b|\bwidths?\b|\bwide\b|\bbetween (vertical barriers|handrails)\b",
                ("stair",)),
    MeasureWord("corridor_clear_width", r"\bclear widths?\b|\bwidths?\b|\bwide\b", ("corridor", "ramp")),
    MeasureWord("space_height", r"\bceiling heights?\b|\bceilings?\b|\bhead ?room\b|\bheights?\b|\bhigh\b|\bclear height\b",
                ("space", "crawl_space", "bedroom", "habitable", "kitchen", "bathroom", "corridor")),
    MeasureWord("space_area", r"\bfloor areas?\b|\bareas?\b|\bsize\b|\bmeasure\b|\bfloor space\b",
                ("space", "crawl_space", "bedroom", "habitable", "kitchen", "bathroom", "corridor")),
    MeasureWord("space_width", r"\bwidths?\b|\bwide\b|\bdiameter\b|\bdimensions?\b|\bturning\b",
                ("space", "crawl_space", "bedroom", "habitable", "kitchen", "bathroom")),
    MeasureWord("plan_width", r"\bthick(ness)?\b", ("wall",)),
    MeasureWord("element_height", r"\bthick(ness)?\b", ("slab", "roof")),
    MeasureWord("height_above_floor", r"\babove (the )?(finished )?(floor|ground)( level)?\b|\bmounted\b|"
                r"\bfrom the floor\b|\bsill height\b|\babove ffl\b"),
    MeasureWord("opening_area", r"\bopening areas?\b|\bglazed areas?\b|\bareas?\b|\bclear openings?\b",
                ("window", "door", "exit_door")),
    MeasureWord("element_height", r"\bheights?\b|\bhigh\b|\btall\b"),
    MeasureWord("plan_width", r"\bwidths?\b|\bwide\b|\bsmaller (horizontal )?dimension\b"),
    MeasureWord("plan_length", r"\blengths?\b|\blong\b|\bdeep\b|\bdepth\b"),
    MeasureWord("footprint_area", r"\bareas?\b"),
)

# Comparison cues. Negated forms come first so "no more than" is never read as "more than".
AT_MOST = (r"\bno more than\b|\bnot more than\b|\bnot exceed(ing)?\b|\bdoes not exceed\b|\bnot to exceed\b|"
           r"\bat most\b|\bmaximum\b|\bmax\.?\b|\bup to\b|\bor less\b|\bnot greater than\b|\bno greater than\b|"
           r"\bnot steeper than\b|\bno steeper than\b|\blimited to\b|\bshould not exceed\b|\bmust not exceed\b|"
           r"\bmay not exceed\b|\bshall not exceed\b|\bexceed\b|\bno individual .* more than\b")
AT_LEAST = (r"\bno less than\b|\bnot less than\b|\bat least\b|\bminimum\b|\bmin\.?\b|\bor more\b|\bor greater\b|"
            r"\bnot below\b|\bno lower than\b|\bnot narrower than\b|\bno narrower than\b")
GREATER = (r"\bmore than\b|\bgreater than\b|\bexceeding\b|\bexceeds\b|\bover\s*$|\blarger than\b|\bwider than\b|"
           r"\bhigher than\b|\babove\s*$")
LESS = r"\bless than\b|\bfewer than\b|\bbelow\s*$|\bunder\s*$|\bsmaller than\b|\bnarrower than\b|\blower than\b"
#: A negation shortly before "more than" / "less than" turns it round: "may not have a gradient of more than"
NEGATION = r"\b(not|no|never|nor)\b"
#: "between A and B", "A-B", "A to B", "from A to B"
RANGE_JOIN = r"^\.?\s*(and|to|-|–|—)\s*$"  # "30 deg. and 50 deg."

# Conditions on the element (the rule's precondition), by subject key.
CONDITIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (r"\b(external|outdoor|outside|exterior)\b (tapered )?(steps?|stairs?|stairways?|staircases?|flights?|ramps?|"
     r"barriers?|guards?|railings?)|\b(steps?|stairs?|ramps?|barriers?|guards?) (outdoors|outside)\b",
     ("stair", "ramp", "railing", "handrail"), "is_external(x)"),
    (r"\b(internal|indoor|interior)\b", ("stair", "ramp", "railing", "handrail"), "not(is_external(x))"),
    (r"\b(tapered|winding|winder|spiral|helical)\b", ("stair",), "is_tapered(x)"),
    (r"\b(steps?|stairs?|flights?) (in|of) an? (exit|escape route)\b|\bescape stairs?\b", ("stair",), "is_fire_exit(x)"),
    (r"\b(to|into|serving|leading to) (a |the )?(habitable|residential) rooms?\b", ("door",), "leads_to_habitable_room(x)"),
    (r"\b(to|into|serving|leading to) (a |the )?bedrooms?\b", ("door",), "leads_to_bedroom(x)"),
    (r"\bhandrails?\b|\bhand rails?\b", ("handrail",), 'name_matches(x, "handrail")'),
    (r"\bguards?\b|\bguardrails?\b|\bguard rails?\b", ("railing",), 'name_matches(x, "guard")'),
)
