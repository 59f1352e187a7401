"""Model-file safety scanning: find code execution hidden in model files without loading them.

``scan_model`` is the entry point; the content of each file (never its name) picks the format
scanner (``dispatch``), and every finding names the file, the archive member and the byte offset.
"""

from __future__ import annotations

from .scan import scan_model

__all__ = ["scan_model"]
