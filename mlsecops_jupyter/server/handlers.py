"""REST handlers under ``/mlsecops/``: HTTP in, ``lineage``/``checks``/``card`` calls out.

Every handler is an authenticated ``APIHandler`` (a token or the login cookie; POST also needs
the XSRF token when cookie-authenticated, which JupyterLab's ``ServerConnection`` sends).
Paths come as ``?path=`` relative to the server's root and go through ``resolve_notebook``.
Errors are JSON ``{"error": code, "message": text}`` with a 4xx status; work that can take
time (reading a long log, Presidio) runs in a thread so the server keeps serving.

Endpoints (``path`` = notebook path relative to the root):

- ``GET  /mlsecops/notebook?path=``  findings, timeline, data seen, chain status (ETag aware)
- ``GET  /mlsecops/verify?path=``    the chain verification alone
- ``POST /mlsecops/scan``            body ``{"path": ..., "record": true}``: static scan now
- ``GET  /mlsecops/card?path=&format=md|html|json|mlbom&model=``  the model card as a file
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from ..core.errors import MLSecError
from .paths import PathRefused, relative_to_root, resolve_notebook

BROKEN_CHAIN = "the lineage chain of {notebook} is broken ({reason}): no card is exported"
BAD_FORMAT = "unknown card format {value!r}: choose md, html, json or mlbom"
BAD_BODY = "the request body must be a JSON object with a 'path'"
# format -> (file name, content type)
CARD_FORMATS = {
    "md": ("model_card.md", "text/markdown; charset=UTF-8"),
    "html": ("model_card.html", "text/html; charset=UTF-8"),
    "json": ("model_card.json", "application/json; charset=UTF-8"),
    "mlbom": ("mlbom.cdx.json", "application/vnd.cyclonedx+json; charset=UTF-8"),
}


class _Failure(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class _Base(APIHandler):
    """Shared plumbing: the root, path resolution, JSON errors, thread offloading."""

    @property
    def root_dir(self) -> str:
        return str(self.settings.get("mlsec_root_dir") or self.settings["server_root_dir"])

    def notebook(self, path: str | None) -> tuple[Path, str]:
        target = resolve_notebook(self.root_dir, path)
        return target, relative_to_root(self.root_dir, target)

    def fail(self, status: int, code: str, message: str) -> None:
        self.set_status(status)
        self.finish(json.dumps({"error": code, "message": message}))

    async def guarded(self, action: Callable[[], Any]) -> None:
        """Run ``action`` (which finishes the response) mapping known errors to JSON."""
        try:
            await action()
        except PathRefused as exc:
            self.fail(exc.status, exc.code, exc.message)
        except _Failure as exc:
            self.fail(exc.status, exc.code, exc.message)
        except MLSecError as exc:
            self.fail(422, "invalid-input", str(exc))
        except Exception as exc:  # a bug, not the user's input: say so, in JSON, and log it
            self.log.exception("mlsecops_jupyter: %s failed", self.request.path)
            self.fail(500, "internal-error", f"{type(exc).__name__}: {exc}")

    async def in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        return await IOLoop.current().run_in_executor(None, functools.partial(function, *args))


def _lineage(target: Path, name: str) -> tuple[Path, list[dict[str, Any]], Any]:
    from ..lineage.overview import load_lineage, notebook_lineage_file

    path = notebook_lineage_file(target)
    return path, *load_lineage(path, name)


def _lineage_or_404(target: Path, name: str, root: str) -> tuple[Path, list[dict[str, Any]],
                                                                  Any]:
    from ..lineage.overview import notebook_lineage_file
    from .paths import inside

    path = notebook_lineage_file(target)
    if not inside(Path(root).expanduser().resolve(), path):
        raise _Failure(403, "forbidden", "the lineage log is outside the server's root")
    if not path.exists():
        from ..lineage.overview import NO_LINEAGE

        raise _Failure(404, "no-lineage", NO_LINEAGE.format(notebook=name))
    return _lineage(target, name)


class NotebookHandler(_Base):
    """Findings, timeline, data seen and chain status of one notebook."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.guarded(self._get)

    async def _get(self) -> None:
        from ..lineage.overview import notebook_lineage_file, notebook_overview

        target, name = self.notebook(self.get_argument("path", None))
        path = notebook_lineage_file(target)
        tag = _etag(path)
        if tag is not None:
            self.set_header("ETag", tag)
            if self.request.headers.get("If-None-Match") == tag:
                self.set_status(304)
                self.finish()
                return
        lineage, records, result = await self.in_thread(_lineage_or_404, target, name,
                                                        self.root_dir)
        body = notebook_overview(name, relative_to_root(self.root_dir, lineage.resolve()),
                                 records, result, root=self.root_dir)
        self.finish(json.dumps(body, default=str))


def _etag(path: Path) -> str | None:
    """A cheap validator of the log (size and mtime): polling costs one ``stat``."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'


class VerifyHandler(_Base):
    """The hash-chain verification of a notebook's lineage log."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.guarded(self._get)

    async def _get(self) -> None:
        from ..lineage.overview import chain_status

        target, name = self.notebook(self.get_argument("path", None))
        _path, _records, result = await self.in_thread(_lineage_or_404, target, name,
                                                       self.root_dir)
        self.finish(json.dumps({"notebook": name, **chain_status(result)}))


class ScanHandler(_Base):
    """A fresh static scan (secrets/PII, code-level leakage) of the saved notebook."""

    @tornado.web.authenticated
    async def post(self) -> None:
        await self.guarded(self._post)

    async def _post(self) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise _Failure(400, "bad-request", BAD_BODY)
        target, name = self.notebook(body.get("path"))
        record = body.get("record", True) is not False
        result = await self.in_thread(_scan, target, name, record, self.root_dir)
        self.finish(json.dumps(result, default=str))


def _scan(target: Path, name: str, record: bool, root: str) -> dict[str, Any]:
    from ..checks.notebook_static import CHECK, static_reports
    from ..core.report import Report
    from ..lineage.overview import notebook_lineage_file, record_static_report
    from .paths import inside

    reports, skipped = static_reports(target, name)
    merged = Report.merge(reports, check=CHECK, subject=name)
    merged.skipped.extend(skipped)
    recorded = []
    lineage = notebook_lineage_file(target)
    if record and reports:
        if not inside(Path(root).expanduser().resolve(), lineage):
            raise _Failure(403, "forbidden", "the lineage log is outside the server's root")
        for report in reports:
            recorded.append(record_static_report(lineage, report, name)["seq"])
    return {"notebook": name, "report": merged.to_dict(), "counts": merged.counts(),
            "parts": [r.check for r in reports], "recorded": recorded}


class CardHandler(_Base):
    """The notebook's model card (or ML-BOM), built from its verified log, as a download."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.guarded(self._get)

    async def _get(self) -> None:
        fmt = self.get_argument("format", "md")
        if fmt not in CARD_FORMATS:
            raise _Failure(400, "bad-request", BAD_FORMAT.format(value=fmt))
        target, name = self.notebook(self.get_argument("path", None))
        model = self.get_argument("model", None)
        text = await self.in_thread(_card, target, name, fmt, model, self.root_dir)
        filename, content_type = CARD_FORMATS[fmt]
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.finish(text, set_content_type=content_type)


def _card(target: Path, name: str, fmt: str, model: str | None, root: str) -> str:
    from ..card import build_card, mlbom_json
    from ..lineage.overview import last_card_model

    _path, records, result = _lineage_or_404(target, name, root)
    if not result.ok:
        raise _Failure(409, "broken-chain", BROKEN_CHAIN.format(
            notebook=name, reason=" ".join(result.reason.split())))
    card = build_card(records, model or last_card_model(records))
    if fmt == "md":
        return card.to_markdown()
    if fmt == "html":
        return card.to_html()
    if fmt == "json":
        return card.to_json() + "\n"
    return mlbom_json(card)


ROUTES: tuple[tuple[str, type[_Base]], ...] = (
    ("notebook", NotebookHandler),
    ("verify", VerifyHandler),
    ("scan", ScanHandler),
    ("card", CardHandler),
)


def setup_handlers(web_app: Any, root_dir: str | None = None) -> None:
    """Register the routes under ``<base_url>/mlsecops/``."""
    if root_dir is not None:
        web_app.settings["mlsec_root_dir"] = root_dir
    base_url = web_app.settings.get("base_url", "/")
    web_app.add_handlers(".*$", [(url_path_join(base_url, "mlsecops", name), handler)
                                 for name, handler in ROUTES])
