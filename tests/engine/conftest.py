"""Make the self-contained engine_checks module importable (it is also copied into Pyodide as-is)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
