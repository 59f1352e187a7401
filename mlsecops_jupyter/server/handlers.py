"""REST handlers under ``/mlsecops/``: HTTP in, ``lineage``/``checks``/``card`` calls out.

Every handler is an authenticated ``APIHandler`` (a token or the login cookie; POST also needs
the XSRF token when cookie-authenticated, which JupyterLab's ``ServerConnection`` sends).
Paths come as ``?path=`` relative to the server's root and go through ``resolve_notebook``;
files are opened by ``files.opened_regular`` only (regular files, bounded). Every answer is
JSON ``{"error": code, "message": one line}`` with a 4xx status when it is not a success;
a message never names an absolute path. Log reads run on ``pools.ReadPool``, scans in
``pools.ScanPool`` worker processes (docs/server.md: the guarantees and their tests).

Endpoints (``path`` = notebook path relative to the root):

- ``GET  /mlsecops/notebook?path=``  findings, timeline, data seen, chain status (ETag aware)
- ``GET  /mlsecops/verify?path=``    the chain verification alone
- ``POST /mlsecops/scan``            body ``{"path": ..., "record": true}``: static scan now
- ``GET  /mlsecops/card?path=&format=md|html|json|mlbom&model=``  the model card as a file
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http.client import responses
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from ..core.errors import MLSecError
from ..core.settings import ServerSettings
from .files import opened_regular
from .logs import check_log_writable, read_log
from .paths import Refused, relative_to_root, resolve_notebook, root_of, without_root
from .pools import ClientGone, ReadPool, ScanPool

BROKEN_CHAIN = "the lineage chain of {notebook} is broken ({reason}): no card is exported"
BAD_FORMAT = "unknown card format {value!r}: choose md, html, json or mlbom"
BAD_BODY = "the request body must be a JSON object with a 'path'"
BODY_TOO_LARGE = "the request body is larger than {limit} KB"
NESTED_BODY = "the request body is nested too deeply"
BAD_SHAPE = ("the lineage log of {notebook} holds a record this server cannot show "
             "({kind}); `mlsec lineage verify` names it")
INTERNAL = "internal error in the mlsecops_jupyter server extension; the server's log has it"
ERROR_CODES = {413: "too-large", 429: "busy"}
MAX_BODY_KB = 64
MAX_QUERY_TEXT = 200  # characters of a query value quoted back in a message
# format -> (file name, content type)
CARD_FORMATS = {
    "md": ("model_card.md", "text/markdown; charset=UTF-8"),
    "html": ("model_card.html", "text/html; charset=UTF-8"),
    "json": ("model_card.json", "application/json; charset=UTF-8"),
    "mlbom": ("mlbom.cdx.json", "application/vnd.cyclonedx+json; charset=UTF-8"),
}


@dataclass
class ServerState:
    """What the routes share: the root, the bounds, and the pools work runs on."""

    root: Path
    limits: ServerSettings
    reads: ReadPool
    scans: ScanPool


class _Base(APIHandler):
    """Shared plumbing: the state, path resolution, one-line JSON errors."""

    _gone: asyncio.Event | None = None

    @property
    def state(self) -> ServerState:
        return self.settings["mlsec_state"]  # type: ignore[no-any-return]

    def fail(self, status: int, code: str, message: str, retry_after: int | None = None
             ) -> None:
        if self._finished:
            return
        self.clear()
        self.set_status(status)
        if retry_after is not None:
            self.set_header("Retry-After", str(retry_after))
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"error": code, "message": self.one_line(message)}))

    def one_line(self, message: str) -> str:
        """``message`` on one line, with the server's root (were it named) taken out."""
        return without_root(" ".join(str(message).split()), str(self.state.root))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Tornado's and Jupyter's own errors (403, 405, bad arguments) in our JSON shape."""
        exc = (kwargs.get("exc_info") or (None, None, None))[1]
        if isinstance(exc, tornado.web.HTTPError) and status_code < 500:
            message = exc.log_message or exc.reason or responses.get(status_code, "error")
            if exc.args:
                with contextlib.suppress(TypeError, ValueError):
                    message = message % exc.args
            code = ERROR_CODES.get(status_code) or responses.get(
                status_code, "error").lower().replace(" ", "-")
            self.fail(status_code, code, message[:MAX_QUERY_TEXT * 2])
        else:
            self.fail(status_code, "internal-error", INTERNAL)

    def on_connection_close(self) -> None:
        if self._gone is not None:
            self._gone.set()
        super().on_connection_close()

    async def guarded(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` (which finishes the response) mapping known errors to JSON."""
        self._gone = asyncio.Event()
        try:
            await action()
        except Refused as exc:
            self.fail(exc.status, exc.code, exc.message, exc.retry_after)
        except MLSecError as exc:
            self.fail(422, "invalid-input", str(exc))
        except tornado.web.HTTPError:  # tornado's own (bad arguments): write_error shapes it
            raise
        except ClientGone:  # no one is left to answer; the status is for the server's log
            self.set_status(499, reason="Client Closed Request")
        except Exception:  # a bug, not the user's input: say so, in JSON, and log it
            self.log.exception("mlsecops_jupyter: %s failed", self.request.path)
            self.fail(500, "internal-error", INTERNAL)

    def notebook(self, path: object) -> tuple[Path, str]:
        """The notebook ``path`` names (resolved, inside the root) and its root-relative name."""
        target = resolve_notebook(self.state.root, path)
        return target, relative_to_root(self.state.root, target)


def _shown(notebook: str, build: Callable[[], Any]) -> Any:
    """``build()``, whose input is a log's records (anyone who can write the file chose them):
    a record of a shape the builder does not expect is the input's fault, a 422 (the
    traceback goes to the server's log, for whoever maintains the builder)."""
    try:
        return build()
    except (MLSecError, Refused):
        raise
    except Exception as exc:
        LOG.warning("mlsecops_jupyter: a record of %s broke the view", notebook, exc_info=True)
        raise Refused(422, "invalid-input", BAD_SHAPE.format(
            notebook=notebook, kind=type(exc).__name__)) from exc


def _json(body: Any) -> str:
    """Strict JSON (no NaN literal a browser's ``JSON.parse`` would reject)."""
    from ..lineage.chain import to_plain

    try:
        return json.dumps(body, allow_nan=False, default=str)
    except ValueError:
        return json.dumps(to_plain(body), allow_nan=False, default=str)


class NotebookHandler(_Base):
    """Findings, timeline, data seen and chain status of one notebook."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.guarded(self._get)

    async def _get(self) -> None:
        from ..lineage.overview import notebook_overview

        target, name = self.notebook(self.get_argument("path", None))
        log = await self.state.reads.run(read_log, self.state.root, target, name,
                                         self.state.limits.max_lineage_mb,
                                         self.request.headers.get("If-None-Match"))
        self.set_header("ETag", log.etag)
        if log.records is None or log.result is None:
            self.set_status(304)
            self.finish()
            return
        records, result = log.records, log.result
        body = _shown(name, lambda: notebook_overview(name, log.name, records, result,
                                                           root=self.state.root))
        self.finish(_json(body))


class VerifyHandler(_Base):
    """The hash-chain verification of a notebook's lineage log."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.guarded(self._get)

    async def _get(self) -> None:
        from ..lineage.overview import chain_status

        target, name = self.notebook(self.get_argument("path", None))
        log = await self.state.reads.run(read_log, self.state.root, target, name,
                                         self.state.limits.max_lineage_mb, None)
        assert log.result is not None
        result = log.result
        self.finish(_json({"notebook": name, **_shown(name, lambda: chain_status(result))}))


@tornado.web.stream_request_body
class ScanHandler(_Base):
    """A fresh static scan (secrets/PII, code-level leakage) of the saved notebook.

    The body streams in (``stream_request_body``), so it is never held beyond
    ``MAX_BODY_KB``: a larger one is read and dropped, then answered 413 (answering before the
    body is in would close the connection under a client still sending, which then sees a
    reset instead of the answer). A body without ``Content-Length`` is cut off past the bound.
    """

    _body: bytearray
    _too_large = False

    async def prepare(self) -> None:  # type: ignore[override]  # as APIHandler's
        self._body = bytearray()
        await super().prepare()  # authentication and XSRF first: strangers learn nothing
        length = self.request.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_KB * 1024:
            self._too_large = True
        else:
            self.request.connection.set_max_body_size(MAX_BODY_KB * 1024)  # type: ignore

    def data_received(self, chunk: bytes) -> None:
        if len(self._body) + len(chunk) > MAX_BODY_KB * 1024:
            self._too_large = True
        elif not self._too_large:
            self._body.extend(chunk)

    @tornado.web.authenticated
    async def post(self) -> None:
        await self.guarded(self._post)

    def parsed_body(self) -> dict[str, Any]:
        if self._too_large:
            raise Refused(413, "too-large", BODY_TOO_LARGE.format(limit=MAX_BODY_KB))
        try:
            body = json.loads(bytes(self._body) or b"{}")
        except RecursionError:
            raise Refused(400, "bad-request", NESTED_BODY) from None
        except ValueError:  # includes UnicodeDecodeError
            body = None
        if not isinstance(body, dict):
            raise Refused(400, "bad-request", BAD_BODY)
        return body

    async def _post(self) -> None:
        body = self.parsed_body()
        target, name = self.notebook(body.get("path"))
        record = body.get("record", True) is not False
        state = self.state
        lineage = await state.reads.run(_check_inputs, state.root, target, name, record,
                                        state.limits)
        assert self._gone is not None
        job = {"notebook": str(target), "name": name, "root": str(state.root),
               "max_notebook_mb": state.limits.max_notebook_mb}
        reply = await state.scans.run(job, name, self._gone)
        if not reply.get("ok"):
            raise Refused(int(reply.get("status", 422)), str(reply.get("code", "scan-failed")),
                          str(reply.get("message", "the scan failed")))
        result = reply["result"]
        recorded: list[int] = []
        if lineage is not None and result["reports"]:
            recorded = await state.reads.run(_record, state.root, target, lineage, name,
                                             result["reports"], state.limits, queue=True)
        self.finish(_json({"notebook": name, "report": result["merged"],
                           "counts": result["counts"], "parts": result["parts"],
                           "recorded": recorded}))


def _check_inputs(root: Path, target: Path, name: str, record: bool,
                  limits: ServerSettings) -> Path | None:
    """Before a worker starts: the notebook is a bounded regular file, and the log it will be
    recorded in (returned; None when not recording) is inside the root and bounded."""
    with opened_regular(target, name) as file:
        file.check_size(limits.max_notebook_mb, "max_notebook_mb")
    return check_log_writable(root, target, limits.max_lineage_mb) if record else None


def _record(root: Path, target: Path, lineage: Path, name: str,
            reports: list[dict[str, Any]], limits: ServerSettings) -> list[int]:
    """Append each part's report to the log (checked again: the scan took time)."""
    from ..lineage.overview import record_static_report

    if check_log_writable(root, target, limits.max_lineage_mb) != lineage:
        raise Refused(409, "conflict", "the lineage log moved during the scan: not recorded")
    try:
        return [record_static_report(lineage, report, name)["seq"] for report in reports]
    except OSError as exc:
        raise Refused(422, "unwritable", f"cannot write the lineage log of {name}: "
                      f"{exc.strerror or type(exc).__name__}") from None


class CardHandler(_Base):
    """The notebook's model card (or ML-BOM), built from its verified log, as a download."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.guarded(self._get)

    async def _get(self) -> None:
        fmt = self.get_argument("format", "md") or "md"
        if fmt not in CARD_FORMATS:
            raise Refused(400, "bad-request", BAD_FORMAT.format(value=fmt[:MAX_QUERY_TEXT]))
        target, name = self.notebook(self.get_argument("path", None))
        model = self.get_argument("model", None)
        state = self.state
        text = await state.reads.run(_card, state.root, target, name, fmt, model,
                                     state.limits.max_lineage_mb)
        filename, content_type = CARD_FORMATS[fmt]
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.finish(text, set_content_type=content_type)


def _card(root: Path, target: Path, name: str, fmt: str, model: str | None,
          limit_mb: int) -> str:
    from ..card import build_card, mlbom_json
    from ..lineage.overview import last_card_model
    from ..lineage.records import check_records

    log = read_log(root, target, name, limit_mb)
    assert log.records is not None and log.result is not None
    records, result = log.records, log.result
    if not result.ok:
        raise Refused(409, "broken-chain", BROKEN_CHAIN.format(
            notebook=name, reason=" ".join(result.reason.split())))

    def build() -> str:
        checked = check_records(records)  # malformed records are left out, and named
        card = build_card(checked, model or last_card_model(checked.records))
        if fmt == "md":
            return str(card.to_markdown())
        if fmt == "html":
            return str(card.to_html())
        if fmt == "json":
            return str(card.to_json()) + "\n"
        return str(mlbom_json(card))

    text: str = _shown(name, build)
    return text


LOG = logging.getLogger("mlsecops_jupyter")
ROUTES: tuple[tuple[str, type[_Base]], ...] = (
    ("notebook", NotebookHandler),
    ("verify", VerifyHandler),
    ("scan", ScanHandler),
    ("card", CardHandler),
)


def setup_handlers(web_app: Any, root_dir: str | None = None,
                   limits: ServerSettings | None = None, log: Any = None) -> ServerState:
    """Register the routes under ``<base_url>/mlsecops/``; return the state they share.

    ``log`` is the server's logger (the extension passes ``ServerApp.log``): worker starts,
    stopped scans and records a view could not show are written there.
    """
    global LOG
    if log is not None:
        LOG = log
    limits = limits or ServerSettings()
    root = root_of(root_dir if root_dir is not None else web_app.settings["server_root_dir"])
    state = ServerState(root, limits, ReadPool(limits.max_reads),
                        ScanPool(limits.max_scans, limits.scan_timeout_s,
                                 LOG))
    web_app.settings["mlsec_state"] = state
    base_url = web_app.settings.get("base_url", "/")
    web_app.add_handlers(".*$", [(url_path_join(base_url, "mlsecops", name), handler)
                                 for name, handler in ROUTES])
    return state
