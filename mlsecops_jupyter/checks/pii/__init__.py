"""Personal data in DataFrames and free text, offline (Presidio with our validators).

``scan_pii(df)`` types the columns of a frame; ``scan_text(text)`` and ``find_pii(text)`` find
spans in text (the notebook scanner uses ``find_pii``). See ``frame`` and ``text``.
"""

from __future__ import annotations

import os

# tldextract (Presidio's e-mail recognizer) would fetch the public-suffix list on first use;
# "" means its bundled snapshot. Set before anything here can import Presidio.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from .frame import scan_pii  # noqa: E402
from .text import PiiSpan, find_pii, scan_text  # noqa: E402

__all__ = ["PiiSpan", "find_pii", "scan_pii", "scan_text"]
