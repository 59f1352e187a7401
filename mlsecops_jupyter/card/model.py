"""``build_card``: lineage records in, a ``ModelCard`` out (sections, each with its evidence).

A card is a list of ``Section`` values in a fixed order. A section with no evidence is kept and
says so in one sentence ("No bias check was run in this session."): a reviewer must be able to
tell "nothing found" from "never looked". Renderings (Markdown, HTML, JSON) live in
``render.py``; the ML-BOM in ``mlbom.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .._version import __version__
from ..lineage.env import PACKAGES_OF_INTEREST
from .considerations import (
    accepted_section,
    ethics_section,
    fairness_findings,
    limitations_section,
    statement_section,
)
from .evidence import CheckRun, Evidence, collect
from .integrity import integrity_section
from .risks import risks_section, threat_facts
from .sections import (
    NOT_RUN,
    NOT_STATED,
    SEVERITY_ORDER,
    Section,
    Table,
    as_list,
    findings_table,
    fmt,
    param_text,
    runs_text,
)
from .signatures import signature_facts, signatures_section

__all__ = ["CARD_SCHEMA", "NOT_STATED", "ModelCard", "Section", "Table", "build_card", "fmt",
           "param_text"]

CARD_SCHEMA = "mlsecops-model-card/1"
MAX_SOURCE_LINES = 60
# top-level module of the estimator class -> Hugging Face ``library_name``
LIBRARY_NAMES = {
    "sklearn": "sklearn", "torch": "pytorch", "keras": "keras", "tensorflow": "keras",
    "xgboost": "xgboost", "lightgbm": "lightgbm", "catboost": "catboost",
    "transformers": "transformers", "statsmodels": "statsmodels",
}


@dataclass
class ModelCard:
    """A model card: identity, sections and the structured facts the ML-BOM is made from."""

    model_name: str
    version: str
    created: str
    tool_version: str
    lineage_head: str | None
    lineage_records: int
    sections: list[Section]
    facts: dict[str, Any] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def front_matter(self) -> dict[str, Any]:
        """Hugging Face-style card metadata (the YAML block at the top of README.md)."""
        matter: dict[str, Any] = {"model_name": self.model_name}
        library = self.facts.get("library_name")
        if library:
            matter["library_name"] = library
        matter["tags"] = ["mlsecops-jupyter", "model-card", *self.facts.get("tags", [])]
        metrics = sorted({m["type"] for m in self.facts.get("metrics", [])})
        if metrics:
            matter["metrics"] = metrics
        matter["model_version"] = self.version
        matter["mlsec"] = {
            "lineage_head": self.lineage_head, "lineage_records": self.lineage_records,
            "tool_version": self.tool_version, "created": self.created,
            "checks": sorted({c["check"] for c in self.facts.get("checks", [])}),
        }
        return matter

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": CARD_SCHEMA,
            "model_name": self.model_name,
            "version": self.version,
            "created": self.created,
            "tool_version": self.tool_version,
            "lineage": {"head": self.lineage_head, "records": self.lineage_records},
            "front_matter": self.front_matter(),
            "sections": [s.to_dict() for s in self.sections],
            "facts": self.facts,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)

    def to_markdown(self) -> str:
        from .render import card_markdown

        return card_markdown(self)

    def to_html(self) -> str:
        from .render import card_html

        return card_html(self)


def build_card(records: Sequence[dict[str, Any]], model_var: str | None = None, *,
               intended_use: str | None = None, out_of_scope: str | None = None,
               model_version: str | None = None, limitations: str | None = None,
               ethical_considerations: str | None = None,
               estimator: dict[str, Any] | None = None,
               model_file: dict[str, Any] | None = None,
               created: str | None = None) -> ModelCard:
    """Build the model card of ``model_var`` from lineage records.

    Parameters
    ----------
    records
        Lineage records in file order (``read_records(path)``).
    model_var
        The variable holding the model; None describes the last session without a model.
    intended_use, out_of_scope, limitations, ethical_considerations
        Statements only a person can make; the ones the lineage log holds for ``model_var``
        (``lineage/statements.py``, written by ``%mlsec card``) are used when not given here,
        so every export of one log reads the same; absent ones are shown as "not stated".
    model_version
        The version to print; else the one recorded by ``%mlsec card``; "not stated" otherwise.
    estimator
        ``describe_estimator(model)``; else the one ``%mlsec card`` recorded, if any.
    model_file
        ``{"path", "sha256", "size"}`` of a model file named explicitly (``--model-file``).
    created
        The card's time (ISO 8601 UTC); now by default.
    """
    evidence = collect(records, model_var)
    if estimator is not None:
        evidence.estimator = estimator
    statements = dict(evidence.statements)
    for key, value in (("intended_use", intended_use), ("out_of_scope", out_of_scope),
                       ("limitations", limitations),
                       ("ethical_considerations", ethical_considerations),
                       ("model_version", model_version)):
        if value and value.strip():
            statements[key] = value.strip()
    head = evidence.head or {}
    facts = _facts(evidence, model_file)
    facts["signatures"] = signature_facts(records, facts["model_files"])
    facts["threats"] = threat_facts(evidence)
    card = ModelCard(
        model_name=model_var or "unnamed model",
        version=statements.get("model_version") or NOT_STATED,
        created=created or datetime.now(timezone.utc).isoformat(timespec="seconds").replace(
            "+00:00", "Z"),
        tool_version=__version__,
        lineage_head=head.get("hash"),
        lineage_records=evidence.records,
        sections=[],
        facts=facts,
    )
    card.sections = [
        _model_details(card, evidence, facts),
        signatures_section(facts["signatures"], model_files_known=bool(facts["model_files"])),
        statement_section("intended_use", "Intended use", statements.get("intended_use")),
        statement_section("out_of_scope", "Out-of-scope use", statements.get("out_of_scope")),
        _data_section(evidence),
        _sensitive_section(evidence),
        _metrics_section(evidence, facts),
        _check_section("explainability", "Explainability", evidence.checks_of("explain"),
                       NOT_RUN["explain"]),
        _check_section("leakage", "Data leakage", evidence.checks_of("leakage"),
                       NOT_RUN["leakage"]),
        _monitoring_section(evidence),
        integrity_section(evidence),
        risks_section(evidence, facts["threats"]),
        limitations_section(evidence, statements.get("limitations")),
        *accepted_section(evidence),
        ethics_section(evidence, statements.get("ethical_considerations")),
        _cells_section(evidence),
        _environment_section(evidence),
        _lineage_section(card, evidence),
    ]
    return card


# -- facts (shared with the ML-BOM) ------------------------------------------------------------
def _facts(evidence: Evidence, model_file: dict[str, Any] | None) -> dict[str, Any]:
    estimator = evidence.estimator
    cls = str((estimator or {}).get("class") or "")
    library = LIBRARY_NAMES.get(cls.split(".", 1)[0]) if cls else None
    files = [{"path": f.path, "sha256": f.sha256, "size": f.size, "via": f.via}
             for f in evidence.model_files]
    if model_file is not None:
        files = [model_file] + [f for f in files if f["path"] != model_file.get("path")]
    scans = evidence.scans_of_model()
    if model_file is not None:
        scans = scans or [run for run in evidence.checks_of("scan")
                          if run.subject == model_file.get("path")]
    return {
        "model_var": evidence.model_var,
        "estimator": estimator,
        "library_name": library,
        "tags": [t for t in ("tabular" if evidence.datasets else None,) if t],
        "model_files": files,
        "scans": [_check_summary(run) for run in scans],
        "datasets": [{"name": d.name, "role": d.role, "execution_count": d.execution_count,
                      **{k: d.fingerprint.get(k) for k in
                         ("kind", "shape", "columns", "dtypes", "content_sha256",
                          "rows_total", "rows_hashed", "sample")}}
                     for d in evidence.datasets],
        "data_files": [{k: f.get(k) for k in ("path", "sha256", "size", "via")}
                       for f in evidence.data_files],
        "checks": [_check_summary(run) for run in evidence.checks
                   if run.topic not in ("card", "reference")],
        "metrics": _performance_metrics(evidence.checks_of("bias")),
        "fairness": fairness_findings(evidence.checks_of("bias")),
        "packages": _packages(evidence),
        "slice": [_cell_ref(c) for c in evidence.slice_cells],
    }


def _check_summary(run: CheckRun) -> dict[str, Any]:
    counts = {s: 0 for s in SEVERITY_ORDER}
    for finding in run.findings:
        severity = str(finding.get("severity", "info"))
        counts[severity] = counts.get(severity, 0) + 1
    worst = next((s for s in SEVERITY_ORDER if counts.get(s)), None)
    return {"check": run.check, "subject": run.subject, "execution_count": run.execution_count,
            "findings": len(run.findings), "by_severity": counts, "max_severity": worst,
            "rules": sorted({str(f.get("rule")) for f in run.findings}),
            "accepted": len(run.accepted)}


def _cell_ref(cell: dict[str, Any]) -> dict[str, Any]:
    ref = cell.get("cell") or {}
    code = cell.get("code") or {}
    return {"id": ref.get("id"), "execution_count": ref.get("execution_count"),
            "code_sha256": code.get("sha256"), "status": (cell.get("outcome") or {}).get(
                "status"), "source": code.get("source", "")}


def _packages(evidence: Evidence) -> dict[str, str]:
    packages: dict[str, str] = dict(((evidence.session or {}).get("env") or {}).get(
        "packages") or {})
    for cell in evidence.cells:
        packages.update(cell.get("packages") or {})
    return dict(sorted(packages.items()))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


GROUP_KEYS = ("group", "slice", "subgroup", "group_value", "value", "groups")
CI_SUFFIXES = (("_ci_low", "_ci_high"), ("_lower", "_upper"), ("_lo", "_hi"))


def _performance_metrics(runs: Sequence[CheckRun]) -> list[dict[str, Any]]:
    """Metrics of bias reports, generically: scalars overall, table rows per group (with CIs).

    A metric ``m`` has a confidence interval when its row carries ``m_ci_low``/``m_ci_high``
    (or ``_lower``/``_upper``, ``_lo``/``_hi``) or ``m_ci: [low, high]``.
    """
    metrics: list[dict[str, Any]] = []
    for run in runs:
        if isinstance(run.metrics.get("overall"), dict) or isinstance(
                run.metrics.get("by_group"), dict):
            metrics.extend(_grouped_metrics(run.metrics))
            continue
        for key, value in sorted(run.metrics.items(), key=lambda kv: str(kv[0])):
            if _is_number(value):
                metrics.append({"type": str(key), "value": value, "slice": None, "ci": None})
            elif isinstance(value, list):
                for row in value:
                    if isinstance(row, dict):
                        metrics.extend(_row_metrics(str(key), row))
            elif isinstance(value, dict):
                for sub, item in sorted(value.items(), key=lambda kv: str(kv[0])):
                    if _is_number(item):
                        metrics.append({"type": f"{key}.{sub}", "value": item, "slice": None,
                                        "ci": None})
                    elif isinstance(item, dict):
                        metrics.extend(_row_metrics(str(key), {"group": sub, **item}))
    return metrics


def _grouped_metrics(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The bias check's layout: ``overall``, ``by_group[feature][group]`` with
    ``confidence_intervals[feature][group][metric] = [low, high]``, and ``disparities``."""
    out: list[dict[str, Any]] = []
    for name, value in sorted((values.get("overall") or {}).items()):
        if _is_number(value):
            out.append({"type": name, "value": value, "slice": None, "ci": None})
    intervals = values.get("confidence_intervals") or {}
    for feature, groups in sorted((values.get("by_group") or {}).items()):
        if not isinstance(groups, dict):
            continue
        for group, row in sorted(groups.items(), key=lambda kv: str(kv[0])):
            if not isinstance(row, dict):
                continue
            bounds = (intervals.get(feature) or {}).get(group) or {}
            for name, value in sorted(row.items()):
                if not _is_number(value) or name in ("n", "size", "count"):
                    continue
                pair = bounds.get(name) if isinstance(bounds, dict) else None
                ci = list(pair) if isinstance(pair, (list, tuple)) and len(pair) == 2 and all(
                    map(_is_number, pair)) else None
                out.append({"type": name, "value": value, "slice": f"{feature}={group}",
                            "ci": ci})
    of = values.get("disparities_of")
    for name, value in sorted((values.get("disparities") or {}).items()):
        if _is_number(value):
            out.append({"type": name, "value": value,
                        "slice": f"disparity across {of}" if of else "disparity", "ci": None})
    return out


def _row_metrics(table: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    group_key = next((k for k in GROUP_KEYS if k in row), None)
    label = None
    if group_key is not None:
        feature = row.get("feature") or row.get("sensitive_feature")
        label = f"{feature}={row[group_key]}" if feature else f"{row[group_key]}"
    bound_keys = {f"{name}{suffix}" for name in row for pair in CI_SUFFIXES for suffix in pair}
    out = []
    for name, value in sorted(row.items()):
        if not _is_number(value) or name in bound_keys or name in ("n", "size", "count"):
            continue
        ci = None
        for low_suffix, high_suffix in CI_SUFFIXES:
            low, high = row.get(f"{name}{low_suffix}"), row.get(f"{name}{high_suffix}")
            if _is_number(low) and _is_number(high):
                ci = [low, high]
        pair = row.get(f"{name}_ci")
        if isinstance(pair, (list, tuple)) and len(pair) == 2 and all(map(_is_number, pair)):
            ci = list(pair)
        out.append({"type": name if label is None else f"{name}", "value": value,
                    "slice": label if label is not None else table, "ci": ci})
    return out


# -- sections ---------------------------------------------------------------------------------
def _model_details(card: ModelCard, evidence: Evidence, facts: dict[str, Any]) -> Section:
    facts_rows = [("name", card.model_name), ("version", card.version)]
    estimator = facts.get("estimator")
    tables: list[Table] = []
    if estimator:
        facts_rows.append(("estimator", str(estimator.get("class"))))
        if estimator.get("fitted") is not None:
            facts_rows.append(("fitted", fmt(estimator.get("fitted"))))
        params = estimator.get("params") or {}
        if params:
            tables.append(Table("Parameters", ("parameter", "value"),
                                tuple((str(k), param_text(v)) for k, v in sorted(
                                    params.items()))))
    else:
        facts_rows.append(("estimator", "not recorded (run %mlsec card MODEL in the kernel to "
                                        "record its class and parameters)"))
    files = facts.get("model_files") or []
    for entry in files:
        facts_rows.append((f"file {entry.get('path')}",
                           f"SHA-256 {entry.get('sha256') or 'unknown'}, "
                           f"{fmt(entry.get('size'))} bytes"))
    if not files:
        facts_rows.append(("file", "no model file written from this variable was seen"))
    scans = facts.get("scans") or []
    for scan in scans:
        worst = scan["max_severity"] or "none"
        facts_rows.append((f"scan of {scan['subject']}",
                           f"{scan['findings']} finding(s), worst: {worst}"
                           + (f" ({', '.join(scan['rules'])})" if scan["rules"] else "")))
    if not scans:
        facts_rows.append(("scan", NOT_RUN["scan"]))
    return Section("model_details", "Model details", True, facts=tuple(facts_rows),
                   tables=tuple(tables))


def _data_section(evidence: Evidence) -> Section:
    if not evidence.datasets and not evidence.data_files:
        return Section("data", "Training and evaluation data", False,
                       text="No data fingerprints were recorded for the cells that produced "
                            "this model.")
    rows = []
    for data in evidence.datasets:
        fp = data.fingerprint
        sampled = "" if fp.get("sample") == "all" else (
            f" (hashed {fp.get('rows_hashed')} of {fp.get('rows_total')} rows)")
        rows.append((data.name, data.role, str(fp.get("kind")), "x".join(
            str(n) for n in fp.get("shape") or ()), str(fp.get("rows_total")),
            str(fp.get("content_sha256")) + sampled))
    tables = [Table("Data fingerprints", ("name", "role", "kind", "shape", "rows",
                                          "content SHA-256"), tuple(rows))]
    if evidence.data_files:
        tables.append(Table("Files read", ("path", "via", "SHA-256"), tuple(
            (str(f.get("path")), str(f.get("via")), str(f.get("sha256") or "unknown"))
            for f in evidence.data_files)))
    return Section("data", "Training and evaluation data", True,
                   text="Roles come from variable names (train/test/validation); data named "
                        "otherwise is listed as input.", tables=tuple(tables))


def _sensitive_section(evidence: Evidence) -> Section:
    runs = evidence.checks_of("pii")
    bias_runs = evidence.checks_of("bias")
    sensitive = sorted({str(v) for run in bias_runs for key in
                        ("sensitive_features", "sensitive_columns", "sensitive")
                        for v in as_list(run.metrics.get(key))})
    facts = (("sensitive features (bias check)", ", ".join(sensitive)),) if sensitive else ()
    if not runs:
        return Section("sensitive_data", "Sensitive columns and PII", bool(sensitive),
                       text=NOT_RUN["pii"], facts=facts)
    table = findings_table(runs, "PII and secrets findings")
    return Section("sensitive_data", "Sensitive columns and PII", True,
                   text=runs_text(runs), facts=facts,
                   tables=(table,) if table.rows else ())


def _metrics_section(evidence: Evidence, facts: dict[str, Any]) -> Section:
    runs = evidence.checks_of("bias")
    if not runs:
        return Section("metrics", "Metrics (overall and per group)", False,
                       text=NOT_RUN["bias"])
    rows = tuple((m["slice"] or "overall", m["type"], fmt(m["value"]),
                  fmt(m["ci"]) if m["ci"] else "-") for m in facts["metrics"])
    tables = [Table("Metrics", ("slice", "metric", "value", "95% CI"), rows)] if rows else []
    findings = findings_table(runs, "Bias findings")
    if findings.rows:
        tables.append(findings)
    return Section("metrics", "Metrics (overall and per group)", True, text=runs_text(runs),
                   tables=tuple(tables))


def _check_section(key: str, title: str, runs: Sequence[CheckRun], not_run: str) -> Section:
    if not runs:
        return Section(key, title, False, text=not_run)
    tables = []
    for run in runs:
        declared = _declared_tables(run)
        # what a check's own tables show (metrics["tables_cover"]) is not repeated as key/value
        covered = {"tables", "tables_cover", *map(str, as_list(run.metrics.get("tables_cover")))}
        rows = tuple((str(k), fmt(v)) for k, v in sorted(run.metrics.items(),
                                                         key=lambda kv: str(kv[0]))
                     if str(k) not in covered
                     and (not isinstance(v, (list, dict)) or len(fmt(v)) <= 300))
        if rows:
            tables.append(Table(f"{run.check} metrics ({run.subject})", ("metric", "value"),
                                rows))
        tables.extend(declared)
        for name, value in sorted(run.metrics.items(), key=lambda kv: str(kv[0])):
            table = None if str(name) in covered else _records_table(f"{run.check} {name}", value)
            if table is not None:
                tables.append(table)
    findings = findings_table(runs)
    if findings.rows:
        tables.append(findings)
    return Section(key, title, True, text=runs_text(runs), tables=tuple(tables))


def _monitoring_section(evidence: Evidence) -> Section:
    """The model's recorded reference data and the drift checks run against it.

    Every check whose topic is ``monitoring`` (``evidence.CHECK_TOPICS``) is shown here the way
    other checks are (its own tables, its findings), after the reference the model was fitted
    on: the sample ``%mlsec drift MODEL`` compares with, its size and its SHA-256.
    """
    facts: list[tuple[str, str]] = []
    for run in evidence.checks_of("reference"):
        if evidence.model_var is not None and run.subject != evidence.model_var:
            continue
        meta = run.metrics.get("reference")
        if not isinstance(meta, dict):
            continue
        at = f", cell [{run.execution_count}]" if run.execution_count is not None else ""
        facts = [("reference data", f"{fmt(meta.get('sample_rows'))} of "
                                    f"{fmt(meta.get('rows_total'))} training rows of "
                                    f"{run.subject}{at}"),
                 ("reference file", f"{fmt(meta.get('file'))}, SHA-256 "
                                    f"{fmt(meta.get('sha256'))}"),
                 ("training data fingerprint",
                  fmt((meta.get("fingerprint") or {}).get("content_sha256")))]
    runs = evidence.checks_of("monitoring")
    if not runs:
        return Section("monitoring", "Monitoring", bool(facts), text=NOT_RUN["monitoring"],
                       facts=tuple(facts))
    checked = _check_section("monitoring", "Monitoring", runs, NOT_RUN["monitoring"])
    return Section("monitoring", "Monitoring", True, text=checked.text, facts=tuple(facts),
                   tables=checked.tables)


MAX_TABLE_ROWS = 10
MAX_TABLE_COLUMNS = 6


def _declared_tables(run: CheckRun) -> list[Table]:
    """The tables a check declared in ``metrics["tables"]`` (``title``/``columns``/``rows``),
    first rows only: the check chose what a reader needs (e.g. explain's importance table)."""
    tables = []
    for item in as_list(run.metrics.get("tables")):
        if not isinstance(item, dict):
            continue
        columns, rows = item.get("columns"), item.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list):
            continue
        shown = tuple(tuple(fmt(value) for value in row) for row in rows[:MAX_TABLE_ROWS]
                      if isinstance(row, list))
        more = len(rows) - MAX_TABLE_ROWS
        suffix = f" (first {MAX_TABLE_ROWS} of {len(rows)})" if more > 0 else ""
        title = f"{run.check}: {item.get('title', 'table')}{suffix}"
        tables.append(Table(title, tuple(map(str, columns)), shown))
    return tables


def _records_table(title: str, value: Any) -> Table | None:
    """A list of flat dicts (feature importances, per-row tables) as a table, first rows only."""
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return None
    columns = [k for k in value[0] if not isinstance(value[0][k], (dict, list))]
    columns = columns[:MAX_TABLE_COLUMNS]
    if not columns:
        return None
    rows = tuple(tuple(fmt(item.get(c)) for c in columns) for item in value[:MAX_TABLE_ROWS])
    more = len(value) - MAX_TABLE_ROWS
    suffix = f" (first {MAX_TABLE_ROWS} of {len(value)})" if more > 0 else ""
    return Table(title + suffix, tuple(map(str, columns)), rows)


def _cells_section(evidence: Evidence) -> Section:
    if not evidence.slice_cells:
        what = f"variable {evidence.model_var}" if evidence.model_var else "no model variable"
        return Section("cells", "How the model was made (cells)", False,
                       text=f"No recorded cell defined or changed {what}.")
    code = []
    for cell in evidence.slice_cells:
        ref = _cell_ref(cell)
        lines = (ref["source"] or "").splitlines()
        source = "\n".join(lines[:MAX_SOURCE_LINES]) + (
            f"\n# ... {len(lines) - MAX_SOURCE_LINES} more lines" if len(lines) >
            MAX_SOURCE_LINES else "")
        heading = (f"cell [{ref['execution_count']}] {ref['id']} ({ref['status']}), "
                   f"code SHA-256 {ref['code_sha256']}")
        code.append((heading, source))
    return Section("cells", "How the model was made (cells)", True,
                   text=f"The backward slice of {evidence.model_var}: {len(code)} cell(s), "
                        "oldest first.", code=tuple(code))


def _environment_section(evidence: Evidence) -> Section:
    env = (evidence.session or {}).get("env") or {}
    if not env:
        return Section("environment", "Environment", False,
                       text="No session record (environment) was found in the lineage log.")
    packages = _packages(evidence)
    shown = {k: v for k, v in packages.items() if k in PACKAGES_OF_INTEREST}
    facts = (("python", f"{env.get('python')} ({env.get('implementation', '')})".strip()),
             ("platform", str(env.get("platform"))),
             ("packages", fmt(shown) if shown else "-"),
             ("other packages", str(len(packages) - len(shown))))
    return Section("environment", "Environment", True, facts=facts)


def _lineage_section(card: ModelCard, evidence: Evidence) -> Section:
    facts = (("lineage head (SHA-256)", card.lineage_head or "-"),
             ("records", str(card.lineage_records)),
             ("notebook", _notebook_name((evidence.session or {}).get("notebook"))),
             ("tool", f"mlsecops-jupyter {card.tool_version}"),
             ("card created", card.created))
    return Section("lineage", "Lineage", card.lineage_head is not None,
                   text="Verify the log against this head: mlsec lineage verify FILE --anchor "
                        "HEAD.", facts=facts)


def _notebook_name(notebook: Any) -> str:
    """The lineage log keeps the full path; a card leaves the machine, so it shows less."""
    from ..core.display_path import display_path

    return display_path(str(notebook)) if notebook else "-"
