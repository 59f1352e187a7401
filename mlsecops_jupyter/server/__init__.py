"""The jupyter_server extension: REST endpoints under ``/mlsecops/`` for the sidebar panel.

Enabled on install by ``jupyter-config/server-config/mlsecops_jupyter.json``. The handlers
import tornado and jupyter_server, so they are imported only when the extension loads: the
scan worker process (``scan_worker``) lives in this package and must not pay for them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["setup_handlers"]


def setup_handlers(web_app: Any, root_dir: str | None = None, **kwargs: Any) -> Any:
    """Register the routes (see ``handlers.setup_handlers``)."""
    from .handlers import setup_handlers as setup

    return setup(web_app, root_dir, **kwargs)


def _load_jupyter_server_extension(server_app: Any) -> None:
    from ..core.errors import MLSecConfigError
    from ..core.settings import ServerSettings, Settings

    try:
        limits = Settings.load(start=server_app.root_dir).server
    except MLSecConfigError as exc:
        server_app.log.error("mlsecops_jupyter: %s; the server routes use the default "
                             "bounds", exc)
        limits = ServerSettings()
    setup_handlers(server_app.web_app, server_app.root_dir, limits=limits, log=server_app.log)
    server_app.log.info("mlsecops_jupyter: REST endpoints under /mlsecops/ enabled (%s)",
                        ", ".join(f"{key}={value}" for key, value in vars(limits).items()))
