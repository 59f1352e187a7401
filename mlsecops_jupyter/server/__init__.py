"""The jupyter_server extension: REST endpoints under ``/mlsecops/`` for the sidebar panel.

Enabled on install by ``jupyter-config/server-config/mlsecops_jupyter.json``. Importing this
package imports tornado and jupyter_server, so nothing outside ``server/`` imports it.
"""

from __future__ import annotations

from typing import Any

from .handlers import setup_handlers

__all__ = ["setup_handlers"]


def _load_jupyter_server_extension(server_app: Any) -> None:
    setup_handlers(server_app.web_app, server_app.root_dir)
    server_app.log.info("mlsecops_jupyter: REST endpoints under /mlsecops/ enabled")
