"""Write a card's four files into one folder, and describe what was written."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError
from .mlbom import mlbom_json
from .model import ModelCard

# default folder, relative to the working directory (the notebook's folder in a kernel):
# visible and easy to commit or attach, unlike the hidden .mlsec/ that holds the log itself
DEFAULT_OUT = "model_card"
CARD_FILES = ("model_card.md", "model_card.html", "model_card.json", "mlbom.cdx.json")


@dataclass(frozen=True)
class CardFiles:
    """The files written for one card, and the card they came from."""

    card: ModelCard
    folder: Path
    paths: tuple[Path, ...]
    note: str = ""  # e.g. which model was used when none was named

    def summary(self) -> str:
        """Deterministic lines for the notebook: the model, what the card holds, the files."""
        empty = [s.title for s in self.card.sections if not s.has_evidence]
        lines = [self.note] if self.note else []
        lines.append(f"model card of {self.card.model_name}: {len(self.card.sections)} "
                     f"sections, {len(self.card.sections) - len(empty)} with evidence")
        if empty:
            lines.append("no evidence: " + ", ".join(empty))
        lines.append(f"wrote {len(self.paths)} files to {self.folder}:")
        lines += [f"  {path.name}" for path in self.paths]
        return "\n".join(lines)

    def mimebundle(self, output_format: str = "text") -> dict[str, Any]:
        """What ``%mlsec card`` displays: the summary as text (and HTML, or the card's JSON)."""
        text = self.summary()
        if output_format == "json":
            return {"application/json": self.card.to_dict(), "text/plain": text}
        if output_format == "html":
            return {"text/html": f"<pre>{html.escape(text)}</pre>", "text/plain": text}
        return {"text/plain": text}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return self.mimebundle()


def write_card_files(card: ModelCard, out: str | os.PathLike[str] = DEFAULT_OUT, *,
                     note: str = "") -> CardFiles:
    """Write model_card.md/.html/.json and mlbom.cdx.json into ``out`` (created if needed).

    ``note`` opens the summary (the front ends say there which model they chose)."""
    folder = Path(out).expanduser()
    contents = (card.to_markdown(), card.to_html(), card.to_json() + "\n", mlbom_json(card))
    paths = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in zip(CARD_FILES, contents, strict=True):
            path = folder / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    except OSError as exc:
        raise MLSecInputError(f"cannot write the model card to {folder}: "
                              f"{exc.strerror or exc}") from None
    return CardFiles(card, folder, tuple(paths), note)
