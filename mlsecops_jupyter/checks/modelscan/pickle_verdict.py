"""Verdicts: one finding per distinct import (and per anomaly kind) of one pickle.

Each import the emulator recorded is judged by ``policy.classify`` against the allowlist, the
denylist and the user's ``modelscan.globals``; whether the pickle calls it decides between
``MODEL-PICKLE-EXEC`` and ``MODEL-PICKLE-DANGEROUS-GLOBAL``.
"""

from __future__ import annotations

from ...core.severity import Severity
from .context import ScanContext
from .pickle_values import Tracker
from .policy import classify


def emit_findings(tracker: Tracker, ctx: ScanContext | None) -> bool:
    """One finding per distinct global (and per anomaly kind); True if any is >= medium."""
    if ctx is None:
        return False
    suspicious = False
    overrides = ctx.settings.globals
    seen = ctx.state.globals_seen
    for ref in tracker.globals.values():
        label = f"{ref.module}.{ref.name}"
        seen[label] = seen.get(label, 0) + ref.count
        if ref.translated and ref.translated >= ref.count + ref.pushes:
            continue  # every use was getattr(Class, "attr"), judged as that import instead
        evidence = {"module": ref.module, "name": ref.name, "invoked": ref.invoked,
                    "count": ref.count, "opcode": ref.opcode}
        if ref.call_args is not None:
            evidence["args"] = ref.call_args
        if not ref.resolved:
            ctx.add("MODEL-PICKLE-UNRESOLVED-GLOBAL",
                    f"{ref.opcode} imports {label}: the module or name comes from a value the "
                    "scanner cannot resolve (computed, forgotten memo entry or extension code)",
                    ref.offset, evidence)
            suspicious = True
            continue
        verdict = classify(ref.module, ref.name, overrides)
        evidence["reason"] = verdict.reason
        if verdict.kind == "safe":
            continue
        severity = Severity.MEDIUM if verdict.severity is None else verdict.severity
        if verdict.kind == "dangerous":
            rule = "MODEL-PICKLE-EXEC" if ref.invoked else "MODEL-PICKLE-DANGEROUS-GLOBAL"
            action = "imports and calls" if ref.invoked else "imports"
            ctx.add(rule, f"The pickle {action} {label}: {verdict.reason}.", ref.offset,
                    evidence, severity=severity)
        else:
            ctx.add("MODEL-PICKLE-UNKNOWN-GLOBAL",
                    f"The pickle imports {label} ({verdict.reason}).", ref.offset, evidence,
                    severity=severity)
        suspicious = suspicious or severity >= Severity.MEDIUM
    for kind, (offset, detail, severity) in tracker.anomalies.items():
        ctx.add("MODEL-PICKLE-ANOMALY", detail, offset, {"kind": kind}, severity=severity)
        suspicious = suspicious or severity >= Severity.MEDIUM
    return suspicious
