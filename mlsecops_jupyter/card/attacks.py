"""The card's section on attacks against the model: evasion robustness and membership inference.

Apart from ``model.py`` so the section that reads the robustness and privacy reports stays one
small function (other risk sections can sit beside it). It appears once either check has run
on the model (its subject starts with the model's variable, as the magics name it) in the
session that made it: the latest run per check and subject counts, as in the limitations. Its
headline numbers (attack success rate at epsilon, membership AUC with its interval) also go to
the ML-BOM's performance metrics through ``attack_metrics``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .evidence import CheckRun, Evidence
from .sections import Section, Table, findings_table, fmt, runs_text

ATTACK_TOPICS = ("robustness", "privacy")
MAX_FEATURES = 5


def _latest(runs: Sequence[CheckRun], model_var: str | None = None) -> list[CheckRun]:
    """The last run per check and subject; with a model, only runs that attacked it.

    ``%mlsec robustness forest X y`` names its subject ``forest on X``: an attack on another
    model of the same session says nothing about this one.
    """
    if model_var:
        runs = [run for run in runs if run.subject.split(" ", 1)[0] == model_var]
    return list({(run.check, run.subject): run for run in runs}.values())


def attack_metrics(evidence: Evidence) -> list[dict[str, Any]]:
    """Headline numbers of the latest robustness and privacy runs, as card/ML-BOM metrics."""
    out: list[dict[str, Any]] = []
    for run in _latest(evidence.checks_of("robustness"), evidence.model_var):
        values = run.metrics
        where = f"{run.subject}, epsilon={fmt(values.get('epsilon'))} sd (L-inf)"
        for name in ("attack_success_rate", "median_minimal_perturbation"):
            if isinstance(values.get(name), (int, float)):
                out.append({"type": name, "value": values[name], "slice": where, "ci": None})
    for run in _latest(evidence.checks_of("privacy"), evidence.model_var):
        values = run.metrics
        where = f"{run.subject}, {values.get('best_attack')} attack"
        interval = values.get("membership_auc_ci")
        ci = ([interval.get("low"), interval.get("high")]
              if isinstance(interval, dict) else None)
        for name in ("membership_auc", "attacker_advantage", "tpr_at_1pct_fpr"):
            if isinstance(values.get(name), (int, float)):
                out.append({"type": name, "value": values[name], "slice": where,
                            "ci": ci if name == "membership_auc" else None})
    return out


def model_attacks_section(evidence: Evidence) -> tuple[Section, ...]:
    """"Attacks on the model": what the robustness and privacy checks measured, when run."""
    runs = [run for topic in ATTACK_TOPICS
            for run in _latest(evidence.checks_of(topic), evidence.model_var)]
    if not runs:
        return ()
    metrics = attack_metrics(evidence)
    rows = tuple((str(m["slice"]), str(m["type"]), fmt(m["value"]),
                  fmt(m["ci"]) if m["ci"] else "-") for m in metrics)
    tables = [Table("Attack metrics", ("run", "metric", "value", "interval"), rows)]
    for run in runs:
        moved = run.metrics.get("features_moved")
        if run.check == "robustness" and isinstance(moved, list) and moved:
            tables.append(Table(
                f"Features an evasion attack needed ({run.subject})",
                ("feature", "share of flipped rows"),
                tuple((str(r.get("feature")), fmt(r.get("share")))
                      for r in moved[:MAX_FEATURES] if isinstance(r, dict))))
    findings = findings_table(runs, "Attack findings")
    if findings.rows:
        tables.append(findings)
    text = (runs_text(runs) + " Evasion: the share of correctly classified rows an attacker "
            "flips within epsilon standard deviations per numeric feature. Membership "
            "inference: how well an attacker tells training rows from held-out rows "
            "(AUC 0.5 is guessing).")
    return (Section("model_attacks", "Attacks on the model (evasion, membership inference)",
                    True, text=text, tables=tuple(tables)),)
