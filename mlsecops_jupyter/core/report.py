"""``Report``: what every check returns, and its one stable JSON shape (``mlsecops-report/1``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .._version import __version__
from .finding import Finding
from .severity import Severity

SCHEMA = "mlsecops-report/1"


@dataclass(frozen=True)
class Skipped:
    """Something a check did not look at, and why: nothing is ever dropped silently."""

    what: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return {"what": self.what, "why": self.why}


class Figure:
    """A static image of a report (SVG or PNG); embedded in the HTML, never in the JSON.

    Checks either hand over the image bytes, or a ``draw`` function that makes them on first
    use: a report that is never displayed (the CLI, a script, strict mode in CI) never pays for
    drawing, and one that is displayed draws once. ``width`` is the width in CSS pixels to show
    the image at; a PNG is drawn at twice that many pixels so it stays crisp on hi-dpi screens.

    Parameters
    ----------
    title : str
        What the figure shows (its caption and alt text).
    image : bytes, optional
        The encoded image; give it or ``draw``.
    mime : {"image/svg+xml", "image/png"}
        The image's format.
    width : int
        Width in CSS pixels; front ends never show it wider (and shrink it to fit).
    draw : callable, optional
        Returns the encoded image; called at most once.
    """

    __slots__ = ("_draw", "_image", "mime", "title", "width")

    def __init__(self, title: str, image: bytes | None = None, *, mime: str = "image/png",
                 width: int = 560, draw: Callable[[], bytes] | None = None) -> None:
        if (image is None) == (draw is None):
            raise ValueError("a Figure needs exactly one of image or draw")
        if mime not in FIGURE_MIMES:
            raise ValueError(f"unsupported figure format {mime!r}")
        self.title = title
        self.mime = mime
        self.width = int(width)
        self._image = image
        self._draw = draw

    @property
    def data(self) -> bytes:
        """The encoded image, drawn now if it was not yet."""
        if self._image is None:
            assert self._draw is not None
            self._image, self._draw = self._draw(), None
        return self._image

    @property
    def drawn(self) -> bool:
        """Whether the image exists yet (a lazy figure is drawn by the first ``data``)."""
        return self._image is not None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Figure):
            return NotImplemented
        return (self.title, self.mime, self.width, self.data) == (
            other.title, other.mime, other.width, other.data)

    def __hash__(self) -> int:
        return hash((self.title, self.mime, self.width))

    def __repr__(self) -> str:
        state = f"{len(self._image)} bytes" if self._image is not None else "not drawn"
        return f"Figure({self.title!r}, {self.mime}, width={self.width}, {state})"


FIGURE_MIMES = ("image/svg+xml", "image/png")


@dataclass
class Report:
    """The result of one check on one subject (a file, a frame, a notebook, or several files).

    ``findings`` are kept sorted most-severe first; ``metrics`` holds JSON-serialisable tables
    (per-file formats, per-group rates...); ``skipped`` lists what was not examined and why.
    """

    check: str
    subject: str
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    elapsed_s: float = 0.0
    tool_version: str = __version__
    figures: list[Figure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=Finding.sort_key)

    # -- questions front ends ask ------------------------------------------------------------
    @property
    def max_severity(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity present (zero included), most severe first."""
        counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        return counts

    def at_or_above(self, threshold: Severity | str) -> list[Finding]:
        level = Severity.parse(threshold)
        return [f for f in self.findings if f.severity >= level]

    def blocking(self, threshold: Severity | str) -> list[Finding]:
        """Findings at or above ``threshold`` no reviewer accepted: what strict mode fails on."""
        return [f for f in self.at_or_above(threshold) if not f.is_accepted]

    def fails(self, threshold: Severity | str | None) -> bool:
        """True when strict mode at ``threshold`` must fail; ``None`` means strict mode is off.

        Accepted findings (``Finding.accepted``) stay in the report but never fail a run.
        """
        return threshold is not None and bool(self.blocking(threshold))

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "check": self.check,
            "subject": self.subject,
            "tool_version": self.tool_version,
            "findings": [f.to_dict() for f in self.findings],
            "metrics": self.metrics,
            "skipped": [s.to_dict() for s in self.skipped],
            "elapsed_s": round(float(self.elapsed_s), 6),
        }

    def to_json(self, indent: int | None = 2) -> str:
        import json  # on first use: a text report never loads the json package

        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=_json_default)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        if data.get("schema") != SCHEMA:
            from .errors import MLSecInputError

            raise MLSecInputError(f"not a {SCHEMA} report (schema={data.get('schema')!r})")
        return cls(
            check=data["check"],
            subject=data["subject"],
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            metrics=dict(data.get("metrics", {})),
            skipped=[Skipped(**s) for s in data.get("skipped", [])],
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            tool_version=data.get("tool_version", __version__),
        )

    def to_sarif(self) -> dict[str, Any]:
        from .sarif import to_sarif

        return to_sarif(self)

    @classmethod
    def merge(cls, reports: Iterable[Report], check: str, subject: str) -> Report:
        """One report for many inputs (``mlsec scan a.pkl b.pt``): ONE JSON object, not a list."""
        parts = list(reports)
        metrics: dict[str, Any] = {}
        for part in parts:
            for key, value in part.metrics.items():
                if isinstance(value, list):
                    metrics.setdefault(key, []).extend(value)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    metrics[key] = metrics.get(key, 0) + value
                else:
                    metrics.setdefault(key, value)
        return cls(
            check=check,
            subject=subject,
            findings=[f for p in parts for f in p.findings],
            metrics=metrics,
            skipped=[s for p in parts for s in p.skipped],
            elapsed_s=sum(p.elapsed_s for p in parts),
            figures=[fig for p in parts for fig in p.figures],
        )


def _json_default(value: Any) -> Any:
    """Numpy scalars, paths, sets and severities in metrics/evidence serialise plainly."""
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.hex()
    for attr in ("item", "tolist"):
        if hasattr(value, attr):
            try:
                return getattr(value, attr)()
            except (TypeError, ValueError):
                pass
    return str(value)
