"""A model's reference data: a bounded sample of what it was fitted on, beside its lineage log.

When a model is fitted in a kernel with ``%load_ext mlsecops_jupyter`` (runtime hooks on), a
seeded sample of at most ``drift.reference_rows`` training rows (its label as one more column) is
written to ``.mlsec/reference/<key>.parquet``, the key derived from the data's lineage
fingerprint, and a ``check`` record of check ``drift-reference`` (subject: the model's variable)
names the file, its SHA-256, the sample and full sizes and the fingerprint. ``%mlsec drift MODEL
NEW_DATA`` (and ``mlsec drift LOG --model VAR NEW_DATA``) read it back, so nobody has to keep the
training frame around; the SHA-256 in the hash-chained log makes an edited sample an error.

Here: the pure parts (sample, write, find, read), with no kernel or lineage import; the kernel
side that calls them at fit time is ``provenance/reference.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.report import Report
from ._inputs import as_frame, sample_positions

REFERENCE_CHECK = "drift-reference"
REFERENCE_DIR = "reference"       # beside the lineage log: .mlsec/reference/
TARGET_FALLBACK = "target"
NO_REFERENCE = ("no reference data recorded for {model!r}: fit it in this kernel after "
                "%load_ext mlsecops_jupyter (runtime hooks on), or give the reference data "
                "itself (%mlsec drift TRAIN_DF {current})")
MISSING_FILE = ("the reference sample of {model!r} ({file}) is missing; re-run the cell that "
                "fits it, or give the reference data itself")
CHANGED_FILE = ("the reference sample of {model!r} ({file}) was changed after it was recorded "
                "(SHA-256 {found}, the lineage log says {recorded}); it is not used")
UNREADABLE = "cannot read the reference sample {file}: {why}"
NO_PARQUET = "pyarrow is not installed: the reference sample cannot be written as Parquet"


def reference_sample(data: Any, target: Any, rows: int, seed: int
                     ) -> tuple[Any, str | None, int]:
    """A seeded sample of at most ``rows`` rows of ``data`` (plus the label as a column).

    Returns the sample (string column names, fresh index), the label column's name (its own
    name, else ``target``; ``None`` without a label) and the number of rows sampled from.
    """
    import pandas as pd

    frame = as_frame(data, "training data")
    rng = np.random.default_rng(seed)
    positions = sample_positions(len(frame), rows, rng)
    sample = frame if positions is None else frame.iloc[positions]
    sample = sample.reset_index(drop=True)
    sample.columns = [str(c) for c in sample.columns]
    label = None
    if target is not None:
        values = np.asarray(target)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values.reshape(-1)
        if values.ndim == 1 and len(values) == len(frame):
            name = getattr(target, "name", None)
            label = str(name) if name is not None and str(name) not in sample.columns \
                else TARGET_FALLBACK
            while label in sample.columns:
                label = "_" + label
            picked = values if positions is None else values[positions]
            sample[label] = pd.Series(picked).infer_objects() if picked.dtype == object \
                else picked
    return sample, label, len(frame)


def sample_key(fingerprints: Sequence[Mapping[str, Any] | None], rows: int, seed: int) -> str:
    """The file name's key: the data's (and label's) content fingerprints and the sampling."""
    basis = json.dumps({"data": [(f or {}).get("content_sha256") for f in fingerprints],
                        "rows": rows, "seed": seed}, sort_keys=True)
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def write_sample(sample: Any, folder: Path, key: str) -> tuple[Path, str]:
    """Write the sample as ``folder/<key>.parquet`` (once; an equal file is reused).

    Returns the path and the file's SHA-256. Text in object columns that Parquet cannot type
    (mixed values) is written as strings.
    """
    try:
        import pyarrow  # noqa: F401 - pandas needs it to write Parquet
    except ImportError:
        raise MLSecInputError(NO_PARQUET) from None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.parquet"
    if path.is_file():
        return path, file_sha256(path)
    temporary = folder / f".{key}.{os.getpid()}.tmp"
    try:
        sample.to_parquet(temporary, index=False)
    except (TypeError, ValueError, ArithmeticError):  # pyarrow's ArrowInvalid / TypeError
        mixed = sample.copy()
        for column in mixed.columns:
            if mixed[column].dtype == object:
                mixed[column] = mixed[column].map(lambda v: v if v is None else str(v))
        mixed.to_parquet(temporary, index=False)
    os.replace(temporary, path)
    return path, file_sha256(path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def reference_report(model: str, meta: Mapping[str, Any]) -> Report:
    """The lineage record's report: check ``drift-reference``, subject the model variable."""
    return Report(check=REFERENCE_CHECK, subject=model, metrics={"reference": dict(meta)})


def find_reference(records: Sequence[Mapping[str, Any]], model: str
                   ) -> dict[str, Any] | None:
    """The newest reference recorded for the variable ``model``, with its record's ``seq``."""
    for record in reversed(records):
        if record.get("kind") != "check":
            continue
        report = record.get("report")
        if not isinstance(report, dict) or report.get("check") != REFERENCE_CHECK:
            continue
        if str(report.get("subject")) != model:
            continue
        meta = (report.get("metrics") or {}).get("reference")
        if isinstance(meta, dict):
            return {**meta, "seq": record.get("seq")}
    return None


def load_sample(meta: Mapping[str, Any], folder: Path, model: str) -> Any:
    """The recorded sample, after checking its SHA-256 against the one the log holds."""
    import pandas as pd

    path = folder / str(meta.get("file", ""))
    shown = str(meta.get("file"))
    if not path.is_file():
        raise MLSecInputError(MISSING_FILE.format(model=model, file=shown))
    found = file_sha256(path)
    if found != meta.get("sha256"):
        raise MLSecInputError(CHANGED_FILE.format(model=model, file=shown, found=found[:16],
                                                  recorded=str(meta.get("sha256"))[:16]))
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError, ImportError) as exc:
        raise MLSecInputError(UNREADABLE.format(file=shown, why=" ".join(str(exc).split())[
            :200])) from None
