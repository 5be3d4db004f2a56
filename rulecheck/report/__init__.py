"""Reports of verdicts: HTML (people), BCF 2.1 (BIM tools), IDS (the IDS-expressible rules)."""
