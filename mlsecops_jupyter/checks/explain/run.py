"""Run the chosen SHAP explainer within a time budget and reduce it to one output.

Cost is bounded by measuring a small pilot and extrapolating: the permutation and kernel
explainers first lower their evaluations per row, then their background, then the number of
rows explained, until the projection fits ``time_budget_s``; every reduction is reported.
Multi-output models are reduced to ONE attribution per row and feature: the positive class of a
binary classifier, and the predicted class of each row for a multiclass one (the class the
model actually chose is the one a reviewer asks about).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...core.errors import MLSecInputError
from .choose import Plan

PILOT_ROWS = 3
SAFETY = 1.3  # projections from a pilot run short on a busy machine: keep a margin
PILOT_BLOCK = 20  # rows of an exact explainer timed first (and kept)
MIN_BACKGROUND = 10
MIN_ROWS = 20
CLEARLY_AFFORDABLE = 0.25  # skip the pilot when a pessimistic bound uses under this budget share
TREE_UNIT_S = 20e-9  # seconds per (leaf x depth^2) of one tree for one row, pessimistic
LINEAR_ROW_S = 200e-6
LINEAR_FEATURE_S = 2e-6
PROGRESS_BLOCKS = 20  # the sampling explainers run in this many blocks to report progress


@dataclass
class Attribution:
    """SHAP values (rows x features) for one output, with what is needed to show them."""

    values: Any  # numpy (n, f)
    base_values: Any  # numpy (n,)
    data: Any  # numpy (n, f) numeric values for colouring plots
    feature_names: list[str]
    explained_rows: list[int]  # positions in the prepared sample
    output: str  # what the values explain, in words
    classes: list[str] = field(default_factory=list)
    class_per_row: list[str] = field(default_factory=list)
    reductions: list[str] = field(default_factory=list)
    additivity_failed: bool = False
    max_evals: int | None = None
    background_rows: int = 0
    warmup_s: float = 0.0


def interactive() -> bool:
    """A progress bar only where a person watches: a terminal or a notebook kernel."""
    return sys.stderr.isatty() or "ipykernel" in sys.modules


def numeric_view(frame: Any) -> Any:
    """Values of a frame as floats for plot colours: categories become their codes."""
    import numpy as np

    block = frame.to_numpy()  # a view for a frame of one float block: nothing copied
    if block.dtype.kind == "f":
        return block
    if all(dtype.kind in "biuf" for dtype in frame.dtypes):  # one block copy, not per column
        return frame.to_numpy(dtype=float, na_value=np.nan)
    columns = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind in "biuf":
            columns.append(column.to_numpy(dtype=float, na_value=np.nan))
        else:
            codes = column.astype("category").cat.codes.to_numpy(dtype=float)
            columns.append(np.where(codes < 0, np.nan, codes))
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def dense(matrix: Any) -> Any:
    import numpy as np

    if hasattr(matrix, "toarray"):
        matrix = matrix.toarray()
    return np.asarray(matrix, dtype=float)


class Codec:
    """Text columns as integer codes, so shap's numeric maskers can mix rows of a raw frame.

    shap's maskers compare and blend float matrices; a pipeline over raw columns may need
    strings. Each text column is coded by its categories (from sample and background) and
    decoded back to the frame the model was fitted on before every prediction.
    """

    def __init__(self, frames: list[Any]) -> None:
        import pandas as pd

        joined = pd.concat(frames, axis=0)
        self.columns = [str(c) for c in joined.columns]
        self.dtypes = dict(zip(self.columns, joined.dtypes, strict=True))
        self.categories = {
            name: pd.Index(joined[name].dropna().unique())
            for name in self.columns if joined[name].dtype.kind not in "biuf"
        }

    def encode(self, frame: Any) -> Any:
        import numpy as np

        columns = []
        for name in self.columns:
            if name in self.categories:
                codes = self.categories[name].get_indexer(frame[name]).astype(float)
                columns.append(np.where(codes < 0, np.nan, codes))
            else:
                columns.append(frame[name].to_numpy(dtype=float))
        return np.column_stack(columns)

    def decode(self, matrix: Any) -> Any:
        import numpy as np
        import pandas as pd

        if not self.categories:  # all numeric: the cheap path, called once per shap batch
            return pd.DataFrame(matrix, columns=self.columns)

        data = {}
        for index, name in enumerate(self.columns):
            column = matrix[:, index]
            if name in self.categories:
                codes = np.nan_to_num(column, nan=-1).astype(int)
                values = self.categories[name].to_numpy(dtype=object)
                data[name] = np.where(codes >= 0, values[np.clip(codes, 0, None)], None)
            else:
                data[name] = column
        return pd.DataFrame(data).astype(self.dtypes)


def prediction_function(model: Any, codec: Codec, probe: Any) -> tuple[Any, str]:
    """The model as a function of a coded matrix, as cheap per call as the model allows.

    shap calls it once per explained row, so its fixed cost matters: an all-numeric model
    that accepts a plain matrix (columns already in its fitted order) gets one, and a model
    that needs its frame (text columns, selection by column name) gets the frame rebuilt.
    """
    import warnings

    is_classifier = hasattr(model, "predict_proba") and hasattr(model, "classes_")
    method = model.predict_proba if is_classifier else model.predict
    needs_frame = bool(codec.categories)
    if not needs_frame:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                method(probe[:1])
        except (TypeError, ValueError, KeyError, AttributeError, IndexError):
            needs_frame = True

    def predict(matrix: Any) -> Any:
        # a plain matrix makes scikit-learn warn "X does not have valid feature names" (the
        # columns are in the fitted order): ``explain_sample`` silences it once around the whole
        # run, since a filter set per call costs ~20 us on each of shap's ~1,000 calls
        return method(codec.decode(matrix)) if needs_frame else method(matrix)

    return predict, ("predict_proba" if is_classifier else "predict")


def explain_sample(plan: Plan, frame: Any, background: Any, *, budget_s: float,
                   progress: bool | None = None, compile_cache: bool = True,
                   seed: int = 0) -> Attribution:
    """SHAP values for ``frame`` (the sample), one output, within ``budget_s`` seconds."""

    from ...core.progress import current_sink, task

    # shap's own tqdm bar only where no front end shows ours (it would leave a second bar)
    show_progress = (interactive() and current_sink() is None) if progress is None else progress
    with task(f"explain: SHAP values ({plan.method})", total=len(frame)) as step:
        return _explain_sample(plan, frame, background, budget_s, show_progress,
                               compile_cache, seed, step)


def _explain_sample(plan: Plan, frame: Any, background: Any, budget_s: float,
                    show_progress: bool, compile_cache: bool, seed: int, step: Any
                    ) -> Attribution:
    import numpy as np

    if plan.space == "transformed":
        matrix = dense(plan.preprocess.transform(frame))
        back = None if background is None else dense(plan.preprocess.transform(background))
        names = [str(n) for n in plan.preprocess.get_feature_names_out()]
        data = matrix
        inputs: Any = matrix
    else:
        names = [str(c) for c in frame.columns]
        data = numeric_view(frame)
        inputs = frame
        back = background
    if plan.method in ("tree", "linear"):
        result = _exact(plan, inputs, back, names, budget_s, step)
    else:
        # shap's explainers draw from np.random when built too
        with seeded_global_rng(seed), feature_name_warnings_off():
            result = _sampling(plan, frame, background, budget_s, show_progress, compile_cache,
                               seed, step)
    # positions are sorted and unique: as many as the sample means all of it, in order
    explained_all = len(result.explained_rows) == len(data)
    result.data = data if explained_all else data[result.explained_rows]
    result.feature_names = names
    _reduce_outputs(plan, result, frame)
    if not np.all(np.isfinite(result.values)):
        raise MLSecInputError("shap returned non-finite attributions; check X for inf values")
    return result


def _exact(plan: Plan, inputs: Any, back: Any, names: list[str], budget_s: float,
           step: Any) -> Attribution:
    import numpy as np
    import shap

    started = time.perf_counter()
    if plan.method == "tree":
        explainer = shap.TreeExplainer(plan.explained)
        output = "raw tree output (probability for forests, log-odds for boosting)"
    else:
        masker = shap.maskers.Independent(back, max_samples=len(back))
        explainer = shap.LinearExplainer(plan.explained, masker)
        output = "decision function (log-odds for logistic models)"
    remaining = budget_s - (time.perf_counter() - started)
    bound = _exact_cost_bound(plan.method, explainer, inputs)
    if bound * len(inputs) < remaining * CLEARLY_AFFORDABLE:
        # far inside the budget by a pessimistic bound: one call, as shap alone would make
        values, failed = _call(explainer, inputs)
        step.update(len(inputs))
        return Attribution(np.asarray(values.values), np.asarray(values.base_values), None,
                           names, list(range(len(inputs))), output, additivity_failed=failed,
                           background_rows=0 if back is None else len(back))
    return _explain_within_budget(explainer, inputs, names, output, remaining,
                                  0 if back is None else len(back), step)


def _exact_cost_bound(method: str, explainer: Any, inputs: Any) -> float:
    """A pessimistic bound on the seconds per row of an exact explainer, from its structure.

    TreeSHAP costs about leaves x depth^2 per tree and row (measured 2-5 ns per unit on 2
    cores; 20 ns is assumed), the linear explainer a Python call per row plus a product per
    feature. ``inf`` when the structure is unknown: then a measured pilot decides.
    """
    import numpy as np

    features = inputs.shape[1] if hasattr(inputs, "shape") else 1
    if method == "linear":
        return LINEAR_ROW_S + LINEAR_FEATURE_S * features
    trees = getattr(getattr(explainer, "model", None), "trees", None)
    if not trees:
        return float("inf")
    # a binary tree of n nodes has (n + 1) / 2 leaves: no pass over each tree's arrays
    nodes = np.fromiter((len(getattr(tree, "children_left", ())) for tree in trees), float,
                        len(trees))
    depths = np.fromiter((getattr(tree, "max_depth", 0) or 1 for tree in trees), float,
                         len(trees))
    return TREE_UNIT_S * float((np.maximum((nodes + 1) // 2, 1) * depths * depths).sum())


def _explain_within_budget(explainer: Any, inputs: Any, names: list[str], output: str,
                           budget_s: float, background_rows: int, step: Any) -> Attribution:
    """Explain a pilot block, extrapolate, then the rest (all of it when it fits the budget).

    The pilot's values are kept, so measuring the cost wastes no work.
    """
    import numpy as np

    total = len(inputs)
    pilot = list(range(min(total, PILOT_BLOCK)))
    started = time.perf_counter()
    first, failed = _call(explainer, _take(inputs, pilot))
    per_row = (time.perf_counter() - started) / len(pilot)
    step.update(len(pilot))
    rest = list(range(len(pilot), total))
    reductions = []
    affordable = int(max(0.0, budget_s - per_row * len(pilot)) / max(per_row * SAFETY, 1e-9))
    if len(rest) > affordable:
        rest = sorted(set(int(p) for p in np.linspace(len(pilot), total - 1,
                                                      max(affordable, 1)).round()))
        reductions.append(f"explained {len(pilot) + len(rest)} of {total} sampled rows to fit "
                          "the time budget")
    values, base = [np.asarray(first.values)], [np.asarray(first.base_values)]
    if rest:
        step.update(len(pilot), len(pilot) + len(rest))
        second, failed_rest = _call(explainer, _take(inputs, rest))
        step.update(len(pilot) + len(rest))
        failed = failed or failed_rest
        values.append(np.asarray(second.values))
        base.append(np.asarray(second.base_values))
    base_values = (np.concatenate(base) if base[0].ndim else np.full(len(pilot) + len(rest),
                                                                    float(base[0])))
    return Attribution(np.concatenate(values), base_values, None, names, pilot + rest, output,
                       reductions=reductions, additivity_failed=failed,
                       background_rows=background_rows)


@dataclass(frozen=True)
class ExactValues:
    """SHAP values and base values of an exact explainer for a block of rows."""

    values: Any  # (n, f) or (n, f, outputs)
    base_values: Any  # (n,) or (n, outputs)


def _call(explainer: Any, part: Any) -> tuple[ExactValues, bool]:
    """Explain ``part``; a failed additivity check is retried without it and reported."""
    import shap

    try:
        return _exact_values(explainer, part, check_additivity=True), False
    except shap.utils._exceptions.ExplainerError as exc:
        if "additivity" not in str(exc).lower():
            raise
        return _exact_values(explainer, part, check_additivity=False), True


def _exact_values(explainer: Any, part: Any, *, check_additivity: bool) -> ExactValues:
    """The explainer's vectorised ``shap_values`` path, with base values per row.

    ``explainer(X)`` wraps the same numbers in an ``Explanation`` built row by row; for the
    linear explainer that costs hundreds of times the arithmetic (a Python call per row).
    """
    import numpy as np
    import shap

    options = {"check_additivity": check_additivity} \
        if isinstance(explainer, shap.TreeExplainer) else {}
    raw = explainer.shap_values(part, **options)
    values = np.stack(raw, axis=-1) if isinstance(raw, list) else np.asarray(raw)
    expected = np.asarray(explainer.expected_value, dtype=float).reshape(-1)
    rows = len(values)
    if values.ndim == 3:
        base = np.broadcast_to(expected, (rows, values.shape[2])).copy()
    else:
        base = np.full(rows, float(expected[-1]) if expected.size else 0.0)
    return ExactValues(values, base)


def _sampling(plan: Plan, frame: Any, background: Any, budget_s: float,
              progress: bool, compile_cache: bool = True, seed: int = 0,
              step: Any = None) -> Attribution:
    import shap

    link: dict[str, Any] = {}
    if compile_cache:
        from .compiled import enable_kernel_cache, identity_link

        enable_kernel_cache()
        link = {"link": identity_link(), "linearize_link": False}

    columns = [str(c) for c in frame.columns]
    codec = Codec([frame, background])
    raw = codec.encode(frame)
    predict, output = prediction_function(plan.explained, codec, raw)
    back_all = codec.encode(background)
    n_features = len(columns)
    one_pass = 2 * n_features + 1
    reductions: list[str] = []

    def build(evals_: int, back_rows_: int, seeded: bool = True) -> Any:
        back = back_all[:back_rows_]
        if plan.method == "permutation":
            masker = shap.maskers.Independent(back, max_samples=back_rows_)
            explainer = shap.PermutationExplainer(predict, masker, feature_names=columns,
                                                  **link)
            def run(part: Any) -> Any:
                with seeded_global_rng(seed) if seeded else contextlib.nullcontext():
                    # shap draws permutations from np.random
                    return explainer(part, max_evals=evals_, silent=not progress)

            return run
        kernel = shap.KernelExplainer(predict, back, feature_names=columns)
        return lambda part: _kernel_explanation(kernel, part, evals_, progress)

    target_evals = max(one_pass, min(500, 10 * 2 * n_features))
    target_back = len(back_all)
    evals, back_rows = one_pass, min(MIN_BACKGROUND, target_back)
    # the first call in a process may compile shap's numba kernels (seconds; once per machine
    # with the kernel cache): keep it out of the pilot, charge it to the budget, report it
    started = time.perf_counter()
    build(evals, back_rows)(raw[:1])
    warmup_s = time.perf_counter() - started
    budget_s = max(0.0, budget_s - warmup_s)
    per_row = _pilot(build(evals, back_rows), raw)
    wanted = len(raw)
    # cost grows at most linearly in evaluations x background rows: when even that projection
    # is far inside the budget, go straight to the full setting without more pilots
    scale = (target_evals * target_back) / (evals * back_rows)
    if per_row * scale * wanted * SAFETY < budget_s * CLEARLY_AFFORDABLE:
        evals, back_rows, per_row = target_evals, target_back, per_row * scale
    # grow from the cheapest setting (one permutation, a small background) while a measured
    # pilot row says the whole sample still fits: cost is not linear in either knob
    while True:
        if evals < target_evals:
            candidate = (min(target_evals, evals * 2), back_rows)
        elif back_rows < target_back:
            candidate = (evals, min(target_back, back_rows * 2))
        else:
            break
        guess = per_row * (candidate[0] * candidate[1]) / (evals * back_rows)
        if guess * wanted * SAFETY > budget_s:
            break
        measured = _pilot(build(*candidate), raw)
        if measured * wanted * SAFETY > budget_s:
            break
        (evals, back_rows), per_row = candidate, measured
    rows = len(raw)
    if per_row * rows * SAFETY > budget_s:
        rows = max(min(MIN_ROWS, len(raw)), int(budget_s / (per_row * SAFETY)))
    if evals < target_evals:
        reductions.append(f"evaluations per row lowered to {evals} (of {target_evals}) to fit "
                          "the time budget")
    if back_rows < len(back_all):
        reductions.append(f"background lowered to {back_rows} of {len(back_all)} rows to fit "
                          "the time budget")
    positions = list(range(len(raw)))
    if rows < len(raw):
        import numpy as np

        positions = sorted(int(p) for p in np.linspace(0, len(raw) - 1, rows).round())
        positions = sorted(set(positions))
        reductions.append(f"explained {len(positions)} of {len(raw)} sampled rows to fit the "
                          "time budget")
    if step is not None:
        step.update(0, len(positions), note=f"{evals} evaluations per row")
    # the permutation explainer's calls are seeded each (as the pilots were); the kernel one
    # draws on from the generator explain_sample seeded
    values, base_values = _in_blocks(build(evals, back_rows, seeded=False), raw[positions],
                                     seed if plan.method == "permutation" else None, step)
    return Attribution(values, base_values, None, columns, positions,
                       output, reductions=reductions, max_evals=evals, background_rows=back_rows,
                       warmup_s=warmup_s)


def _in_blocks(run: Any, rows: Any, seed: int | None, step: Any) -> tuple[Any, Any]:
    """Explain ``rows`` a block at a time, reporting progress after each block.

    The generator is seeded (when ``seed`` is given) once for all blocks: shap's permutation
    and kernel explainers draw row by row, so the values are exactly those of one call.
    """
    import numpy as np

    size = max(1, -(-len(rows) // PROGRESS_BLOCKS))
    values, base_values = [], []
    with seeded_global_rng(seed) if seed is not None else contextlib.nullcontext():
        for start in range(0, len(rows), size):
            part = run(rows[start:start + size])
            values.append(np.asarray(part.values))
            base_values.append(np.asarray(part.base_values))
            if step is not None:
                step.update(min(len(rows), start + size))
    return np.concatenate(values), np.concatenate(base_values)


@contextlib.contextmanager
def feature_name_warnings_off() -> Iterator[None]:
    """Silence scikit-learn's "valid feature names" warning for the model calls of one run."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*valid feature names.*")
        yield


@contextlib.contextmanager
def seeded_global_rng(seed: int) -> Iterator[None]:
    """Seed numpy's global generator for one call and give the caller's state back after.

    shap's permutation explainer shuffles with ``np.random``; seeding it makes a report
    reproducible, and restoring the state keeps the user's own random stream untouched.
    """
    import numpy as np

    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _kernel_explanation(kernel: Any, part: Any, nsamples: int, progress: bool) -> Any:
    import numpy as np
    import shap

    values = kernel.shap_values(part, nsamples=nsamples, silent=not progress)
    values = np.asarray(values)
    base = np.broadcast_to(np.asarray(kernel.expected_value), (len(part),) +
                           np.asarray(kernel.expected_value).shape)
    return shap.Explanation(values=values, base_values=np.array(base))


def _pilot(run: Any, raw: Any) -> float:
    """Seconds to explain one row with this configuration."""
    started = time.perf_counter()
    run(raw[:PILOT_ROWS])
    return (time.perf_counter() - started) / min(PILOT_ROWS, len(raw))


def _take(inputs: Any, positions: list[int]) -> Any:
    return inputs.iloc[positions] if hasattr(inputs, "iloc") else inputs[positions]


def _reduce_outputs(plan: Plan, result: Attribution, sample: Any) -> None:
    """One output per row: the positive class (binary) or each row's predicted class.

    ``sample`` is the whole prepared sample; only a multiclass model needs its explained rows
    (to predict their class), so they are taken only then.
    """
    import numpy as np

    values = np.asarray(result.values, dtype=float)
    base = np.asarray(result.base_values, dtype=float)
    model = plan.explained if plan.space == "transformed" else plan.preprocess or plan.explained
    classes = [str(c) for c in getattr(plan.explained, "classes_", [])]
    result.classes = classes
    if values.ndim == 2:
        result.values = values
        result.base_values = base.reshape(len(values), -1)[:, -1] if base.ndim else np.full(
            len(values), float(base))
        if len(classes) == 2:
            result.output += f"; positive class {classes[1]!r}"
            result.class_per_row = [classes[1]] * len(values)
        return
    n_outputs = values.shape[2]
    base = np.broadcast_to(base.reshape(len(values), -1), (len(values), n_outputs))
    if n_outputs == 2:
        chosen = np.ones(len(values), dtype=int)
        label = classes[1] if len(classes) == 2 else "1"
        result.output += f"; positive class {label!r}"
    else:
        source = plan.explained if plan.space == "transformed" else model
        frame = sample.iloc[result.explained_rows]
        inputs = frame if plan.space == "raw" else dense(plan.preprocess.transform(frame))
        if hasattr(source, "predict_proba"):
            chosen = np.asarray(source.predict_proba(inputs)).argmax(axis=1)
        else:
            chosen = np.asarray(values.sum(axis=1) + base).argmax(axis=1)
        result.output += "; each row's predicted class"
    rows = np.arange(len(values))
    result.values = values[rows, :, chosen]
    result.base_values = base[rows, chosen]
    if classes and len(classes) == n_outputs:
        result.class_per_row = [classes[i] for i in chosen]
