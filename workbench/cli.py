"""Compatibility alias: the command line lives in `workbench.app.cli` (the application layer).

Kept so that ``python -m workbench.cli`` and ``from workbench.cli import app`` in existing scripts
keep working; it belongs to the application layer (a part importing it fails the layering test
in ``tests/workbench/test_layers.py``).
"""

from workbench.app.cli import PARTS, app, main

__all__ = ["PARTS", "app", "main"]

if __name__ == "__main__":
    main()
