"""Make shap's numba kernels compile once per machine, not once per process.

shap's permutation explainer runs on numba kernels that shap declares without ``cache=True``;
the first explanation in every new process spends seconds compiling them (about 7 s of CPU on a
2-core machine), which alone breaks a 10 s budget. Two things make them cacheable:

- ``enable_caching()`` on shap's dispatchers before their first call: numba then stores the
  machine code where it would for ``cache=True`` (a ``__pycache__`` beside shap's sources, or the
  user-wide numba cache when that is read-only) and later processes load it in milliseconds;
- the identity link as a numba ``cfunc``. shap passes its link function into the kernel that
  averages model outputs; a jitted link is typed by its dispatcher object, whose identity
  changes with every process, so that kernel can never be found in the cache. A ``cfunc`` is
  typed by its signature alone. With the identity link shap's link linearisation is a no-op, so
  turning it off (``linearize_link=False``) gives exactly the values of shap's defaults.

Nothing here changes a result: the tests compare values with and without it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numba


@numba.cfunc("float64(float64)", cache=True)
def _identity(value: float) -> float:
    return value


def identity_link() -> Any:
    """The identity link as a ``cfunc``: same values as ``shap.links.identity``, cacheable."""
    return _identity


@lru_cache(maxsize=1)
def enable_kernel_cache() -> int:
    """Turn on numba's on-disk cache for every kernel shap has defined; returns how many.

    Idempotent and cheap (a walk over shap's loaded modules). Kernels already compiled in this
    process keep their in-memory code; new compilations are written to the cache.
    """
    import sys

    from numba.core.caching import NullCache
    from numba.core.registry import CPUDispatcher

    count = 0
    for name, module in list(sys.modules.items()):
        if not (name == "shap" or name.startswith("shap.")) or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, CPUDispatcher) and isinstance(
                    getattr(value, "_cache", None), NullCache):
                value.enable_caching()
                count += 1
    return count
