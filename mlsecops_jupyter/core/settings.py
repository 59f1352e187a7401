"""One ``Settings`` object: thresholds, limits and allowlists for every check.

Read from ``[tool.mlsec]`` in the nearest ``pyproject.toml`` or from ``mlsec.toml`` (searched
upwards from the working directory), then from ``MLSEC_*`` environment variables (so CI can make a
notebook strict without editing it), then per-call overrides. Every key is documented in
``docs/settings.md``; unknown keys are errors, because a typo that silently does nothing is worse
than a failed run.

Sections: top-level keys (``fail_on``) and one table per check (``[tool.mlsec.modelscan]``).
A check adds its section as a frozen dataclass field of ``Settings``; nothing else changes.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from .errors import MLSecConfigError, MLSecError
from .severity import Severity

# what turns strict mode off where a severity is expected (``fail_on = "none"``)
STRICT_OFF = ("none", "off", "false", "")


@dataclass(frozen=True)
class ModelScanSettings:
    """Settings of the model-file scanner (``[tool.mlsec.modelscan]``).

    ``globals`` extends the built-in policy table of pickle imports: keys are ``"module:name"``
    (``"module:*"`` for a whole module), values ``"safe"`` or a severity name. A user entry wins
    over the built-in one, so a team can allow its own classes or deny more.
    ``incomplete_severity`` is the severity of MODEL-SCAN-INCOMPLETE: a scan stopped at a limit
    has not seen the rest of the file, so by default it blocks like a high finding.
    """

    globals: Mapping[str, str] = field(default_factory=dict)
    incomplete_severity: Severity = Severity.HIGH
    max_decompressed_mb: int = 16384
    max_archive_depth: int = 4
    max_members: int = 300_000
    max_header_mb: int = 100
    max_opcodes: int = 500_000_000
    max_memo_entries: int = 2_000_000


@dataclass(frozen=True)
class LineageSettings:
    """What the lineage recorder records, where, and how much it hashes (``[tool.mlsec.lineage]``).

    ``file`` pins the lineage file (else ``.mlsec/<notebook>.lineage.jsonl`` beside the
    notebook); ``notebook`` names the notebook when the front end does not (nbclient, nbval).
    ``max_sample_rows`` / ``max_hash_mb`` bound a data fingerprint's content hash,
    ``max_file_mb`` the files hashed, ``max_source_chars`` the source text kept per cell,
    ``max_tracked_objects`` the frames and arrays watched in the namespace. ``redact`` takes
    credentials out of stored sources and messages, ``redact_pii`` personal data too.
    """

    enabled: bool = True
    file: str | None = None
    notebook: str | None = None
    redact: bool = True
    redact_pii: bool = True
    fsync: bool = False
    max_sample_rows: int = 10_000
    max_hash_mb: int = 8
    max_file_mb: int = 256
    max_source_chars: int = 200_000
    max_tracked_objects: int = 500

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ExplainSettings:
    """SHAP explanations and their findings (``[tool.mlsec.explain]``).

    ``sample_rows`` rows of X are explained (a seeded random sample, stated in the report) and
    ``background_rows`` rows form the background of linear/permutation/kernel explainers; the
    permutation and kernel explainers shrink their evaluations, then the background, then the
    sample to stay within ``time_budget_s`` and say so. A feature is dominant when its share of
    the total mean |SHAP| exceeds ``dominance_share`` and ``dominance_ratio`` times the next one;
    ``sensitive_top_k`` features are compared with the sensitive attributes, and an association
    (Cramer's V, correlation ratio or |Pearson r|) of at least ``association_threshold`` flags a
    proxy. ``plots`` turns the static figures off for batch use. ``compile_cache`` keeps shap's
    compiled numba kernels on disk (numba's own cache), so only the first permutation
    explanation on a machine pays their compilation; the time it took counts against the budget.
    """

    sample_rows: int = 1000
    background_rows: int = 100
    time_budget_s: float = 6.0
    dominance_share: float = 0.5
    dominance_ratio: float = 3.0
    sensitive_top_k: int = 5
    association_threshold: float = 0.5
    seed: int = 0
    plots: bool = True
    compile_cache: bool = True


@dataclass(frozen=True)
class BiasSettings:
    """Thresholds and uncertainty settings of the bias check (``[tool.mlsec.bias]``).

    Gap thresholds are fairlearn's between-groups differences; ``disparate_impact_ratio`` is the
    four-fifths rule. Groups below ``min_group_size`` rows get a BIAS-SMALL-GROUP finding.
    Intervals: ``bootstrap_iterations`` multinomial replicates of the group counts at
    ``confidence_level``, seeded by ``random_seed`` so reports are reproducible.
    """

    demographic_parity_difference: float = 0.1
    equalized_odds_difference: float = 0.1
    equal_opportunity_difference: float = 0.1
    disparate_impact_ratio: float = 0.8
    min_group_size: int = 30
    bootstrap_iterations: int = 1000
    confidence_level: float = 0.95
    random_seed: int = 0
    intersections: bool = True
    figures: bool = True


@dataclass(frozen=True)
class PiiSettings:
    """Personal data in frames, free text and notebooks (``[tool.mlsec.pii]``).

    A column is typed as an entity when at least ``column_threshold`` of its sampled, de-duplicated
    non-empty values validate (``free_text_threshold`` of cells holding a span marks a free-text
    column). ``sample_rows`` rows are sampled (seeded by ``seed``); sampling stops early once
    ``early_stop_values`` distinct values give a clear decision. ``min_score`` is the smallest
    Presidio score kept in free text; ``entities`` limits the entity types reported (empty: all);
    ``max_examples`` masked examples are shown per finding, at most ``max_spans`` free-text spans
    are listed; ``spacy_model`` names an installed spaCy pipeline to use (empty: the best
    installed ``en_core_web_*``, else a blank pipeline).
    ``protected_columns`` names columns that always hold a protected attribute (``caste``,
    ``postcode_region``: what the built-in table cannot know) and ``not_protected_columns`` ones
    that never do (``account_age`` is not a person's age), so ``%mlsec bias`` without
    ``--sensitive`` groups by what the team decided, not by a guess.
    """

    sample_rows: int = 2000
    early_stop_values: int = 50
    column_threshold: float = 0.6
    free_text_threshold: float = 0.05
    min_score: float = 0.5
    entities: tuple[str, ...] = ()
    max_examples: int = 3
    max_spans: int = 1000
    spacy_model: str = ""
    protected_columns: tuple[str, ...] = ()
    not_protected_columns: tuple[str, ...] = ()
    seed: int = 0


@dataclass(frozen=True)
class LeakageSettings:
    """Data-level (and code-level) leakage checks (``[tool.mlsec.leakage]``).

    Near-duplicates compare floats rounded to ``float_decimals``. Target, identifier and
    missingness statistics run on a seeded sample of ``sample_rows`` rows (stated in the report),
    cross-fitted over two halves with numeric features cut into ``bins`` quantile bins and
    categories beyond ``max_categories`` pooled. A feature is a target proxy at a cross-fitted AUC
    of ``proxy_auc`` (R2 ``proxy_r2``), an identifier leaks at ``id_auc`` (``id_r2``), and
    missingness at an association of ``missing_association``; each also needs a label-permutation
    p-value at most ``alpha`` over ``permutations`` shuffles (docs/leakage.md: the calibration).
    A proxy finding stays HIGH when its score reaches ``proxy_auc_certain`` (``proxy_r2_certain``)
    or at most ``proxy_isolated_max`` columns pass; else it is LOW (a field of strong features).
    An id-like column is found by name, or by a distinct share of ``id_unique_ratio``; a
    name-matched one needs ``id_min_distinct`` values. An automatically found date column is
    checked for LEAK-TEMPORAL only when ``auto_time_min_order`` of the training rows predate the
    first test date. ``max_examples`` row indices are shown per finding.
    """

    float_decimals: int = 4
    sample_rows: int = 20_000
    bins: int = 20
    max_categories: int = 50
    proxy_auc: float = 0.9
    proxy_r2: float = 0.81
    proxy_auc_certain: float = 0.99
    proxy_r2_certain: float = 0.98
    proxy_isolated_max: int = 2
    id_auc: float = 0.6
    id_r2: float = 0.1
    missing_association: float = 0.4
    alpha: float = 0.01
    permutations: int = 200
    id_unique_ratio: float = 0.99
    id_min_distinct: int = 100
    auto_time_min_order: float = 0.5
    max_examples: int = 5
    seed: int = 0
    # code level (checks/leakage/code_*.py, provenance/): runtime row provenance in the kernel
    runtime_hooks: bool = True
    max_fingerprint_rows: int = 2048
    runtime_overlap: float = 0.5
    multi_test_models: int = 3


@dataclass(frozen=True)
class SecretsSettings:
    """Credentials in notebooks, and what ``%mlsec notebook`` scans (``[tool.mlsec.secrets]``).

    A string assigned to a secret-named name (``api_key``, ``token``, ``client_secret``) is a
    secret when it is at least ``min_length`` characters with a Shannon entropy of at least
    ``min_entropy`` bits per character (``min_hex_entropy`` for hex strings); a password-named
    one (``password``, ``pwd``, ``db_pass``) when it has ``min_password_length`` characters and is
    no placeholder. ``allowlist`` holds regexes: a value matching one is never reported.
    ``pii`` also looks for personal data in the notebook; text beyond ``max_chars`` per cell
    source or output is not scanned (and reported as skipped).
    """

    min_length: int = 16
    min_entropy: float = 3.5
    min_hex_entropy: float = 3.0
    min_password_length: int = 6
    allowlist: tuple[str, ...] = ()
    pii: bool = True
    max_chars: int = 1_000_000


@dataclass(frozen=True)
class RobustnessSettings:
    """Evasion robustness of a classifier (``[tool.mlsec.robustness]``).

    ``epsilon`` bounds the attacker's L-inf perturbation, in standard deviations of each numeric
    feature (measured on the X given); ROBUST-EVASION when more than ``success_threshold`` of the
    correctly classified rows flip within it (HIGH from ``high_rate``). ``sample_rows`` rows of X
    are attacked (a seeded sample, stated in the report); black-box attacks spend at most
    ``max_queries`` model queries per row and ``cpu_budget_s`` seconds of CPU in all, then report
    the rows they did not finish. ``immutable`` names columns the attacker cannot change;
    categorical and one-hot columns stay valid: held at their value, or switched to another
    category seen in X in at most ``categorical_changes`` features per row. ``clip_to_range``
    keeps numeric values inside the range seen in X.
    """

    epsilon: float = 0.1
    success_threshold: float = 0.2
    high_rate: float = 0.5
    sample_rows: int = 200
    max_queries: int = 2000
    cpu_budget_s: float = 30.0
    immutable: tuple[str, ...] = ()
    categorical_changes: int = 0
    clip_to_range: bool = True
    seed: int = 0
    figures: bool = True


@dataclass(frozen=True)
class PrivacySettings:
    """Membership-inference exposure of a classifier (``[tool.mlsec.privacy]``).

    Balanced samples of at most ``sample_rows`` training rows (members) and as many test rows
    (non-members) are attacked. ``shadow_models`` clones of the model, each fitted on a random
    half of the rows given, train the shadow-model attack and calibrate the reference attack
    (0 runs the threshold attack only); their fits may take ``cpu_budget_s`` seconds of CPU.
    PRIVACY-MEMBERSHIP-INFERENCE when the lower end of the best attack's AUC interval (level
    ``confidence_level``, Bonferroni-adjusted over the attacks run) exceeds ``auc_threshold``;
    HIGH when the AUC reaches ``high_auc``. ``exposed_rows`` training rows most exposed are
    listed.
    """

    sample_rows: int = 2000
    shadow_models: int = 4
    cpu_budget_s: float = 60.0
    auc_threshold: float = 0.55
    high_auc: float = 0.75
    confidence_level: float = 0.95
    exposed_rows: int = 10
    seed: int = 0
    figures: bool = True


@dataclass(frozen=True)
class NotebookSettings:
    """The notebook scan beyond its built-in rules (``[tool.mlsec.notebook]``).

    ``extra_rules`` names a gitleaks-format TOML rule file (relative: to the settings file's
    folder) whose ``[[rules]]`` the scan applies after its own, reported as ``SECRET-CUSTOM``.
    """

    extra_rules: str = ""


@dataclass(frozen=True)
class ServerSettings:
    """Bounds of the server extension's REST routes (``[tool.mlsec.server]``).

    Read once when the server starts (from its root upwards). ``max_notebook_mb`` and
    ``max_lineage_mb`` bound the files a route reads (larger ones get 413 before a byte is
    read); ``max_scans`` scans run at once, each in a worker process stopped after
    ``scan_timeout_s``; ``max_reads`` log reads run at once. Requests beyond either cap get
    429 with ``Retry-After`` instead of waiting (docs/server.md).
    """

    max_notebook_mb: int = 20
    max_lineage_mb: int = 64
    scan_timeout_s: float = 120.0
    max_scans: int = 2
    max_reads: int = 4


@dataclass(frozen=True)
class DriftSettings:
    """Drift between reference and current data (``[tool.mlsec.drift]``, docs/drift.md).

    Per-column statistics run on seeded samples of ``sample_rows`` rows per side (stated in the
    report); the domain classifier on ``classifier_rows`` per side. Every test of one report (each
    column's distribution and missing-value rate, label, prediction, the domain classifier) is one
    family, Holm-corrected at ``alpha``: two samples of one distribution raise nothing with
    probability at least ``1 - alpha``. A significant test is a finding only when its effect
    reaches what matters: ``numeric_effect`` (Wasserstein distance over the reference's standard
    deviation), ``categorical_effect`` (Jensen-Shannon distance, base 2), ``missing_effect``
    (change of the missing share) or ``classifier_auc``; ``strong_factor`` times that (AUC
    ``classifier_auc_high``) makes it HIGH. Numeric columns with at most ``max_categories``
    distinct values are compared as categories; text columns whose sampled values are at least
    ``id_unique_ratio`` distinct are identifiers and skipped. ``reference_rows`` rows of a
    model's training data are kept beside the lineage log when it is fitted
    (``record_reference``), so ``%mlsec drift MODEL NEW_DATA`` needs no training frame.
    """

    sample_rows: int = 50_000
    alpha: float = 0.01
    numeric_effect: float = 0.1
    categorical_effect: float = 0.05
    missing_effect: float = 0.01
    strong_factor: float = 3.0
    max_categories: int = 20
    max_test_categories: int = 50
    id_unique_ratio: float = 0.9
    psi_bins: int = 10
    min_rows: int = 10
    multivariate: bool = True
    classifier_rows: int = 10_000
    classifier_auc: float = 0.55
    classifier_auc_high: float = 0.75
    max_drivers: int = 5
    record_reference: bool = True
    reference_rows: int = 10_000
    figures: bool = True
    max_figures: int = 6
    seed: int = 0


@dataclass(frozen=True)
class PoisoningSettings:
    """Tampered training data: label issues, triggers, conflicting copies, outliers
    (``[tool.mlsec.poisoning]``).

    The label model is cross-validated over ``folds`` folds on at most ``sample_rows`` rows (a
    seeded sample stratified by label, stated in the report); ``models`` are tried in order
    (``logistic``, ``boosting``) while the projected CPU time stays within ``time_budget_s``,
    and the one with the lower out-of-sample log loss is kept. Every rule's false-alarm rate is
    ``alpha`` (one-sided, family-wise where many values or rows are tested). Label issues are
    HIGH when more rows than chance predicts have a given label of probability at most
    ``label_confident_prob``, and at least ``label_min_rows`` of them. A trigger value is held
    by ``trigger_min_support`` to ``trigger_max_share`` of the rows with a label purity of at
    least ``trigger_min_purity``, and with the value replaced the label model may expect at most
    ``trigger_max_explained`` of its label rows (the rest of the row must not explain the label);
    value pairs are searched when ``trigger_pairs`` is on, among columns with at most
    ``trigger_max_values`` frequent values; at most ``trigger_max_candidates`` candidates are
    verified with the model. Outliers use the
    ``outlier_neighbours`` nearest rows of the same class. ``max_rows_listed`` row positions
    are listed per finding (the count is always exact).
    """

    sample_rows: int = 50_000
    folds: int = 5
    models: tuple[str, ...] = ("logistic", "boosting")
    time_budget_s: float = 30.0
    alpha: float = 0.01
    label_confident_prob: float = 0.05
    label_min_rows: int = 3
    trigger_min_support: int = 5
    trigger_max_share: float = 0.05
    trigger_min_purity: float = 0.95
    trigger_max_explained: float = 0.4
    trigger_pairs: bool = True
    trigger_max_values: int = 50
    trigger_max_candidates: int = 200
    outlier_neighbours: int = 5
    max_rows_listed: int = 1000
    seed: int = 0


@dataclass(frozen=True)
class SigningSettings:
    """Trust policy for model signatures (``[tool.mlsec.signing]``, docs/signing.md).

    With ``require_signature`` a model file the scan finds must carry a valid signature
    (``FILE.sig`` beside it, or ``model.sig`` in a folder signed as a whole) by one of
    ``trusted_keys`` (PEM public keys) or a certificate chaining to ``trusted_certificates``
    (PEM CA certificates); relative paths are read from the settings file's folder. With trust
    configured but signatures not required, signatures that exist are still verified.
    """

    require_signature: bool = False
    trusted_keys: tuple[str, ...] = ()
    trusted_certificates: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether any signature checking is asked for (else the signing code is not loaded)."""
        return self.require_signature or bool(self.trusted_keys or self.trusted_certificates)


@dataclass(frozen=True)
class Settings:
    """Every setting of every check. Immutable: ``override`` returns a new object."""

    fail_on: Severity | None = None
    baseline: str = ""
    modelscan: ModelScanSettings = field(default_factory=ModelScanSettings)
    lineage: LineageSettings = field(default_factory=LineageSettings)
    explain: ExplainSettings = field(default_factory=ExplainSettings)
    bias: BiasSettings = field(default_factory=BiasSettings)
    pii: PiiSettings = field(default_factory=PiiSettings)
    leakage: LeakageSettings = field(default_factory=LeakageSettings)
    secrets: SecretsSettings = field(default_factory=SecretsSettings)
    robustness: RobustnessSettings = field(default_factory=RobustnessSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    notebook: NotebookSettings = field(default_factory=NotebookSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    drift: DriftSettings = field(default_factory=DriftSettings)
    signing: SigningSettings = field(default_factory=SigningSettings)
    poisoning: PoisoningSettings = field(default_factory=PoisoningSettings)
    source: str = "defaults"

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def load(cls, start: str | os.PathLike[str] | None = None,
             environ: Mapping[str, str] | None = None,
             config: str | os.PathLike[str] | None = None) -> Settings:
        """Defaults, then the nearest config file above ``start``, then ``MLSEC_*`` variables.

        ``config`` names one settings file to read instead of searching (``mlsec --config``).
        """
        settings = cls()
        found: tuple[Path, dict[str, Any]] | None
        if config is not None:
            found = (Path(config), read_config(Path(config)) or {})
        else:
            found = find_config(Path(start) if start else Path.cwd())
        if found is not None:
            path, table = found
            settings = settings.override(table, source=str(path))
        env = os.environ if environ is None else environ
        env_overrides = {
            key[len("MLSEC_"):].lower().replace("__", "."): value
            for key, value in env.items()
            if key.startswith("MLSEC_") and key[len("MLSEC_"):].lower().replace("__", ".")
            in _env_keys()
        }
        if env_overrides:
            settings = settings.override(env_overrides, source=settings.source + " + environment")
        return settings

    def override(self, values: Mapping[str, Any] | None = None, source: str | None = None,
                 **kwargs: Any) -> Settings:
        """A copy with ``values`` applied; keys are ``name`` or ``section.name`` or nested tables.

        >>> Settings().override({"fail_on": "high", "modelscan.max_archive_depth": 2})
        """
        flat = dict(_flatten(dict(values or {})))
        flat.update(_flatten(kwargs))
        current = self
        top: dict[str, Any] = {}
        sections: dict[str, dict[str, Any]] = {}
        top_fields = {f.name: f for f in dataclasses.fields(self)}
        for key, value in flat.items():
            head, _, tail = key.partition(".")
            head = head.replace("-", "_")
            if head not in top_fields or head == "source":
                raise MLSecConfigError(
                    f"unknown setting {key!r}; `%mlsec config` lists them"
                )
            if tail:
                section = getattr(current, head)
                if not dataclasses.is_dataclass(section):
                    raise MLSecConfigError(f"setting {head!r} has no sub-key {tail!r}")
                sections.setdefault(head, {})[tail.replace("-", "_")] = value
            else:
                if dataclasses.is_dataclass(getattr(current, head)) and isinstance(value, Mapping):
                    for sub, subvalue in _flatten(dict(value)):
                        sections.setdefault(head, {})[sub.replace("-", "_")] = subvalue
                else:
                    top[head] = _coerce(type(self), head, value)
        for head, changes in sections.items():
            section = getattr(current, head)
            names = {f.name for f in dataclasses.fields(section)}
            bad = sorted(set(changes) - names)
            if bad:
                raise MLSecConfigError(
                    f"unknown setting {head}.{bad[0]}; known: {', '.join(sorted(names))}"
                )
            coerced = {k: _coerce(type(section), k, v) for k, v in changes.items()}
            if head == "modelscan" and "globals" in coerced:
                coerced["globals"] = {**section.globals, **coerced["globals"]}
            top[head] = dataclasses.replace(section, **coerced)
        if source is not None:
            top["source"] = source
        return dataclasses.replace(self, **top)

    # -- introspection -----------------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        """Plain values (severities as names) for `%mlsec config` and the model card."""
        result: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if dataclasses.is_dataclass(value):
                result[f.name] = {
                    sub.name: _plain(getattr(value, sub.name))
                    for sub in dataclasses.fields(value)
                }
            else:
                result[f.name] = _plain(value)
        return result


def _plain(value: Any) -> Any:
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _flatten(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"modelscan": {"max_members": 3}}`` -> ``[("modelscan.max_members", 3)]``.

    Mapping-typed settings (``modelscan.globals``) are leaves, not sections.
    """
    items: list[tuple[str, Any]] = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and name not in _MAPPING_SETTINGS:
            items.extend(_flatten(value, prefix=f"{name}."))
        else:
            items.append((name, value))
    return items


_MAPPING_SETTINGS = {"modelscan.globals", "globals"}


def _env_keys() -> set[str]:
    keys: set[str] = set()
    for f in dataclasses.fields(Settings):
        if f.name == "source":
            continue
        default = Settings().__getattribute__(f.name)
        if dataclasses.is_dataclass(default):
            keys.update(f"{f.name}.{sub.name}" for sub in dataclasses.fields(default))
        else:
            keys.add(f.name)
    return keys


def _coerce(owner: type, name: str, value: Any) -> Any:
    """Convert a TOML/env/CLI value to the field's declared type, or say why it cannot be."""
    hint = get_type_hints(owner)[name]
    text = str(hint)
    try:
        if "Severity" in text:
            off = value is None or str(value).strip().lower() in STRICT_OFF
            if off and "None" in text:
                return None
            return Severity.parse(value)
        if hint is bool:
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if hint is int:
            if isinstance(value, bool):
                raise ValueError("a boolean is not a number")
            return int(value)
        if hint is float:
            return float(value)
        if "tuple" in text:
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            return tuple(str(v) for v in value)
        if "Mapping" in text:
            if isinstance(value, str):
                pairs = [p.split("=", 1) for p in value.split(",") if p.strip()]
                value = {k.strip(): v.strip() for k, v in pairs}
            if not isinstance(value, Mapping):
                raise ValueError("expected a table of key = value")
            return {str(k): str(v) for k, v in value.items()}
    except MLSecError as exc:
        raise MLSecConfigError(f"setting {name}: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise MLSecConfigError(f"setting {name}: cannot use {value!r} ({exc})") from None
    return value


def read_config(path: Path) -> dict[str, Any] | None:
    """The ``[tool.mlsec]`` table of one file; ``None`` for a pyproject.toml without one.

    A whole ``mlsec.toml`` is the table when it has no ``[tool.mlsec]`` header.
    """
    if sys.version_info >= (3, 11):  # imported here: a run without a settings file skips it
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MLSecConfigError(f"cannot read settings from {path}: {exc}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("mlsec")
    return data.get("tool", {}).get("mlsec", data)


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``mlsec.toml`` or ``pyproject.toml`` with ``[tool.mlsec]``, upwards."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        for name in ("mlsec.toml", "pyproject.toml"):
            path = folder / name
            if path.is_file():
                table = read_config(path)
                if table is not None:
                    return path, table
    return None


def strict_requested(start: str | os.PathLike[str] | None = None,
                     environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``MLSEC_FAIL_ON`` or the nearest settings file asks for strict mode.

    For when ``Settings.load`` itself fails (a bad value, an unknown key): the front end must
    still know whether the run is strict, because in a strict run a failure to load is a failed
    run, not a message. Read leniently, in ``load``'s order: the variable wins over the file (an
    unparseable severity there still asks for strict mode); a settings file that cannot be read
    at all might have asked for it, so it counts as asking (fail closed).
    """
    env = os.environ if environ is None else environ
    if "MLSEC_FAIL_ON" in env:
        return env["MLSEC_FAIL_ON"].strip().lower() not in STRICT_OFF
    try:
        found = find_config(Path(start) if start else Path.cwd())
    except (MLSecConfigError, AttributeError, TypeError):  # unreadable, or `tool` no table
        return True
    if found is None or not isinstance(found[1], Mapping):
        return False
    value = found[1].get("fail_on")
    return value is not None and str(value).strip().lower() not in STRICT_OFF
