"""The atomic-function catalogue; importing this package registers every function.

>>> from rulecheck.functions import CATALOGUE
>>> CATALOGUE["at_least"].category
'logic'
"""

from rulecheck.functions import (  # noqa: F401  (imported for their registrations)
    aggregation,
    circulation,
    domain,
    geometry,
    logic,
    property,
    selection,
    topology,
)
from rulecheck.functions.registry import CATALOGUE, AtomicFunction, Catalogue, Env, atomic

__all__ = ["CATALOGUE", "AtomicFunction", "Catalogue", "Env", "atomic"]
