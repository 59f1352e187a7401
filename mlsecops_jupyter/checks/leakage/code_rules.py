"""Rule table and detection tables of the code-level leakage check (check name ``leakage``).

Rules are data (STYLE.md habit 4): which library calls fit statistics, which split, which
resample and which evaluate sit in the tables below; the dataflow in ``code_flow`` only asks
them. Names are matched on the last component of the called name (``StandardScaler``,
``sklearn.preprocessing.StandardScaler`` and an import alias of it are the same).
"""

from __future__ import annotations

import re

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "leakage"

RULES = register(
    [
        Rule(
            "LEAK-PREPROCESSING", CHECK, Severity.HIGH,
            "Preprocessing fitted on rows later used for testing",
            "A scaler, imputer, encoder, vectorizer, feature selector, decomposition, target or "
            "mean encoding, or a pandas statistic was fitted on data that still contained the "
            "rows later used for testing (a split or cross-validation came after it, or the "
            "training and test rows were stacked together for the fit): the test score has seen "
            "the test rows.",
            "Split first and fit the step on the training rows only, or put it inside a "
            "Pipeline that cross_val_score / GridSearchCV refits per fold.",
        ),
        Rule(
            "LEAK-OVERLAP", CHECK, Severity.HIGH,
            "Rows duplicated or resampled before the split, or model fitted on all rows",
            "Oversampling (SMOTE and the like), resampling with replacement, augmentation or "
            "concatenation duplicated rows before the train/test split, so copies or synthetic "
            "neighbours of test rows are in the training set; or a model fitted on the full data "
            "was then evaluated on a part of it.",
            "Split first and resample the training part only (an imblearn Pipeline does it per "
            "fold); evaluate only models fitted on the training part.",
        ),
        Rule(
            "LEAK-MULTI-TEST", CHECK, Severity.MEDIUM,
            "Test set used for model selection or early stopping",
            "The held-out test set chose among models or hyperparameters (scored in a loop that "
            "fits), stopped training early (eval_set / validation_data) or picked the number of "
            "boosting stages (staged_predict): its score is no longer an unbiased estimate.",
            "Select on a validation split or with cross-validation on the training data "
            "(GridSearchCV); touch the test set once, at the end.",
        ),
        Rule(
            "LEAK-FIT-ON-TEST", CHECK, Severity.HIGH,
            "Transformer or model fitted on the test set",
            "fit / fit_transform / fit_resample was called on the test (or validation) rows "
            "alone (a fit on training and test rows stacked together is LEAK-PREPROCESSING).",
            "Fit on the training rows and only transform the test rows (transform, not "
            "fit_transform).",
        ),
        Rule(
            "LEAK-TEMPORAL-SPLIT", CHECK, Severity.HIGH,
            "Time-ordered data split at random, or features read from later rows",
            "Data whose rows depend on each other in time (lag, difference or rolling features, "
            "resampling to a regular series, a date index) was split at random, so the model "
            "trains on the future of the rows it is tested on. Sorting by a date alone is not "
            "such evidence: independent rows sorted by time may be split at random. Also: "
            "features computed from rows after each row (a negative shift, a centred window, "
            "gaps filled backwards or interpolated, a rank or a statistic of the whole series) "
            "before a split in time order, so the training rows carry values of the test "
            "period.",
            "Split chronologically: TimeSeriesSplit, or train_test_split(..., shuffle=False) on "
            "the time-sorted data, or a cut-off date; compute features from earlier rows only "
            "(shift(k) with k > 0, trailing windows), or on each part after the split.",
        ),
        Rule(
            "LEAK-TARGET-IN-FEATURES", CHECK, Severity.CRITICAL,
            "The label is among the features",
            "The frame used as features still contains the column used as the label.",
            "Drop the label from the features: X = df.drop(columns=[label]).",
        ),
        Rule(
            "LEAK-GROUP-SPLIT", CHECK, Severity.HIGH,
            "Random split of data with repeated entities",
            "The data has several rows per entity (it is grouped by an entity id) and was split "
            "at random, so rows of one entity land in both training and test.",
            "Split by entity: GroupShuffleSplit, GroupKFold or StratifiedGroupKFold with "
            "groups=the entity id.",
        ),
    ]
)

# -- detection tables ---------------------------------------------------------------------------
#: estimators whose fit learns statistics of the rows it sees (a leak when those include test rows)
STAT_TRANSFORMERS = frozenset({
    "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "QuantileTransformer",
    "PowerTransformer", "KBinsDiscretizer", "SplineTransformer",
    "SimpleImputer", "KNNImputer", "IterativeImputer", "MissingIndicator",
    "OneHotEncoder", "OrdinalEncoder", "TargetEncoder", "CountVectorizer", "TfidfVectorizer",
    "TfidfTransformer", "DictVectorizer",
    "PCA", "IncrementalPCA", "KernelPCA", "SparsePCA", "TruncatedSVD", "FastICA", "NMF",
    "LatentDirichletAllocation", "FactorAnalysis", "Isomap", "TSNE", "UMAP",
    "SelectKBest", "SelectPercentile", "SelectFpr", "SelectFdr", "SelectFwe",
    "GenericUnivariateSelect", "SelectFromModel", "RFE", "RFECV", "VarianceThreshold",
    "SequentialFeatureSelector", "ColumnTransformer", "FeatureUnion",
    # Keras preprocessing: ``adapt`` / ``fit_on_texts`` learn a vocabulary or mean and variance
    "Normalization", "TextVectorization", "Tokenizer", "Discretization", "StringLookup",
    "IntegerLookup",
    # category_encoders
    "MEstimateEncoder", "LeaveOneOutEncoder", "CatBoostEncoder", "WOEEncoder", "JamesSteinEncoder",
    "GLMMEncoder", "BinaryEncoder", "CountEncoder", "HelmertEncoder", "SumEncoder",
})
#: transformers whose output keeps the input's columns (so a label column stays a label column)
COLUMN_KEEPING = frozenset({
    "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "QuantileTransformer",
    "PowerTransformer", "SimpleImputer", "KNNImputer", "IterativeImputer", "Normalizer",
})
#: row-wise or label-only steps: fitting them on all rows leaks nothing worth a finding
STATELESS = frozenset({
    "Normalizer", "Binarizer", "FunctionTransformer", "PolynomialFeatures", "HashingVectorizer",
    "FeatureHasher", "LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer",
})
#: stateless-by-leakage encoders that still learn a vocabulary: refitting one on the test rows
#: alone gives them other codes (a fit on the test set, not a statistic of all rows)
VOCABULARY_ENCODERS = frozenset({"LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer"})
#: oversamplers and combined samplers: synthetic or copied rows
OVERSAMPLERS = frozenset({
    "SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "SMOTENC", "SMOTEN",
    "RandomOverSampler", "SMOTEENN", "SMOTETomek",
})
#: undersamplers: they drop rows, they do not copy them (no overlap finding)
UNDERSAMPLERS = frozenset({
    "RandomUnderSampler", "NearMiss", "TomekLinks", "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours", "AllKNN", "CondensedNearestNeighbour",
    "OneSidedSelection", "NeighbourhoodCleaningRule", "InstanceHardnessThreshold",
    "ClusterCentroids",
})
#: splitter classes: (random order?, group-aware?, chronological?)
SPLITTERS: dict[str, tuple[bool, bool, bool]] = {
    "KFold": (False, False, False), "StratifiedKFold": (False, False, False),
    "RepeatedKFold": (True, False, False), "RepeatedStratifiedKFold": (True, False, False),
    "ShuffleSplit": (True, False, False), "StratifiedShuffleSplit": (True, False, False),
    "LeaveOneOut": (False, False, False), "LeavePOut": (False, False, False),
    "GroupKFold": (False, True, False), "GroupShuffleSplit": (True, True, False),
    "StratifiedGroupKFold": (False, True, False), "LeaveOneGroupOut": (False, True, False),
    "LeavePGroupsOut": (False, True, False), "TimeSeriesSplit": (False, False, True),
    "PredefinedSplit": (False, False, True),
}
#: splitters made for series: every fold trains on rows earlier than the ones it tests
TIME_SERIES_SPLITTERS = frozenset({"TimeSeriesSplit"})
#: functions that split arrays into train and test parts (returned alternately)
SPLIT_FUNCTIONS = frozenset({"train_test_split"})
#: model selection / cross-validation functions: (position of X, of y) after the estimator
CV_FUNCTIONS = frozenset({
    "cross_val_score", "cross_validate", "cross_val_predict", "learning_curve",
    "validation_curve", "permutation_test_score",
})
#: estimators that cross-validate inside their fit
SEARCH_ESTIMATORS = frozenset({
    "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
    "BayesSearchCV", "TunedThresholdClassifierCV",
})
#: functions returning fresh data (a new origin)
DATA_SOURCES = re.compile(
    r"^(read_\w+|load_\w+|fetch_\w+|make_\w+|DataFrame|Series|array|asarray|loadtxt|"
    r"genfromtxt|load|from_\w+|open_dataset|get_dataset)$")
#: functions returning several arrays of one dataset (X, y)
MULTI_SOURCES = re.compile(r"^(load_\w+|fetch_\w+|make_\w+)$")
#: resampling functions with replacement (sklearn.utils.resample; replace defaults to True)
RESAMPLE_FUNCTIONS = frozenset({"resample"})
#: functions that stack data (duplication when the same rows appear twice)
CONCAT_FUNCTIONS = frozenset({"concat", "concatenate", "vstack", "hstack", "row_stack",
                              "append", "r_"})
#: calls that make altered copies of the rows they are given (text augmentation, paraphrase,
#: back-translation, jitter): stacked with the originals before a split, near-duplicates
AUGMENT_CALLS = frozenset({
    "augment", "augment_text", "paraphrase", "back_translate", "backtranslate",
    "synonym_replacement", "random_insertion", "random_swap", "random_deletion", "eda",
    "add_noise", "jitter", "perturb",
    # geometric copies of images (a flipped or rotated image is a near-duplicate of it)
    "flip", "fliplr", "flipud", "rot90",
})
#: random draws that, added to or multiplied with rows, make noisy copies of them
NOISE_CALLS = frozenset({"normal", "randn", "standard_normal", "uniform", "laplace", "gauss",
                         "rand", "random_noise"})
#: constructors that build a frame or array from the values they are given (those values'
#: rows, when they are rows of the notebook's data)
DATA_CONSTRUCTORS = frozenset({"DataFrame", "Series", "array", "asarray", "from_dict",
                               "from_records"})
#: functions that repeat rows
REPEAT_FUNCTIONS = frozenset({"repeat", "tile"})
#: pandas/numpy reductions: a statistic of all rows (axis=0)
STAT_METHODS = frozenset({
    "mean", "median", "std", "var", "min", "max", "quantile", "mode", "sum", "nunique",
    "value_counts", "describe", "cov", "corr", "sem", "skew", "kurt", "nanmean", "nanmedian",
    "nanstd", "percentile", "nanpercentile", "ptp", "average",
})
#: pandas methods whose result ties rows to their neighbours in time
TEMPORAL_METHODS = frozenset({"shift", "rolling", "diff", "pct_change", "expanding", "ewm",
                              "asfreq"})
#: signal filters centred on each sample by default (SciPy): each value reads later samples
CENTRED_FILTERS = frozenset({"savgol_filter", "filtfilt", "sosfiltfilt", "gaussian_filter1d",
                             "medfilt", "median_filter", "uniform_filter1d"})
#: ``merge(validate=...)`` values under which pandas checks the left key is unique per row
UNIQUE_LEFT_KEYS = frozenset({"one_to_one", "1:1", "one_to_many", "1:m"})
#: methods whose negative ``periods`` read later rows (``shift(-1)``: tomorrow's value)
LEAD_METHODS = frozenset({"shift", "diff", "pct_change"})
#: methods that give each row a value computed from the whole series, later rows included
WHOLE_SERIES_METHODS = frozenset({"bfill", "backfill", "rank"})
#: methods that fill gaps (from later rows, with the ones below): only the missing values
#: read ahead, so filling the very series a forecast predicts is cleaning it
GAP_FILLS = frozenset({"bfill", "backfill", "fillna", "interpolate"})
#: fill methods that copy the next valid value backwards (``fillna(method="bfill")``)
BACKWARD_FILLS = frozenset({"bfill", "backfill"})
#: interpolation methods that only carry earlier values forward (any other reads the next
#: valid value too)
FORWARD_FILLS = frozenset({"pad", "ffill"})
#: a feature named as a numbered lag of a series (``hs_lag6``, ``sales_lag_7``, ``lag24``):
#: computed upstream of the notebook, it ties each row to earlier rows of the same series
#: (``payment_lag_days``, a delay, has no number and is no lag feature)
LAG_FEATURE = re.compile(r"(^|_)lag_?\d+[hdwm]?($|_)", re.IGNORECASE)
#: pandas methods that open a window over each row's own past (``rolling(7).mean()``): the
#: statistics computed on them are row-local features, not statistics of the whole column
WINDOW_METHODS = frozenset({"rolling", "expanding", "ewm"})
#: reductions of a frame whose column ``label`` ranks the features against that column
CORRELATION_STATS = frozenset({"corr", "cov", "corrwith"})
#: functions scoring each feature against the label on the rows they see (a selection fitted
#: on those rows when the scores pick the features)
TARGET_SCORE_FUNCTIONS = frozenset({"mutual_info_classif", "mutual_info_regression",
                                    "f_classif", "f_regression", "r_regression", "chi2"})
#: calls that build a new feature frame from a frame's columns (where a label enters features)
COLUMN_BUILDERS = frozenset({"select_dtypes", "get_dummies"})
#: native boosting APIs: qualified name -> (keyword, position) of the training data argument
NATIVE_TRAIN_FUNCTIONS: dict[str, tuple[str, int]] = {
    "lightgbm.train": ("train_set", 1), "xgboost.train": ("dtrain", 1),
}
#: methods and functions that predict or score: an evaluation when given test rows
PREDICT_METHODS = frozenset({"predict", "predict_proba", "predict_log_proba",
                             "decision_function", "score", "score_samples", "evaluate"})
#: fit methods: (learns from its input?, returns transformed data?)
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_resample", "partial_fit", "fit_predict",
                         "adapt", "fit_on_texts"})
#: methods applying a fitted transformer (Keras tokenizers name theirs after the output)
TRANSFORM_METHODS = frozenset({"transform", "inverse_transform", "texts_to_sequences",
                               "texts_to_matrix"})
#: fit keyword arguments that hand data for monitoring / early stopping
#: predictions after each boosting stage: scored on the test set, they pick the stage count
STAGED_METHODS = frozenset({"staged_predict", "staged_predict_proba",
                            "staged_decision_function", "staged_score"})
EVAL_SET_KWARGS = frozenset({"eval_set", "validation_data", "valid_sets", "evals"})
#: keyword arguments that turn monitoring into early stopping
EARLY_STOPPING_HINTS = frozenset({"early_stopping_rounds", "callbacks", "early_stopping",
                                  "n_iter_no_change", "use_best_model"})
#: estimator classes (name prefixes) that keep the best iteration on ``eval_set`` by default
BEST_ITERATION_BY_DEFAULT = ("CatBoost",)
#: functions that scale or bin each column by statistics of the rows they see (``pd.qcut``
#: edges, ``sklearn.preprocessing.scale`` means, ``scipy.stats.zscore``): a fit without an
#: object, so the same leak as a scaler fitted on all rows
COLUMN_STAT_FUNCTIONS = frozenset({"qcut", "scale", "minmax_scale", "maxabs_scale",
                                   "robust_scale", "quantile_transform", "power_transform",
                                   "zscore"})
#: fitted attributes and methods of a selector that say which columns it kept
SELECTOR_MASKS = frozenset({"support_", "get_support", "get_feature_names_out",
                            "feature_names_out_", "ranking_", "scores_", "variances_"})
#: names of a time column (sorting or indexing by it orders the rows in time)
TIME_COLUMN = re.compile(r"(date|time|timestamp|datetime|^dt$|^ds$|^day$|^week$|^month$|"
                         r"^year$|^period$)", re.IGNORECASE)
#: a key naming a period or a position in time, as one word of a longer name
#: (``day_in_milk``, ``week_of_season``): grouped beside an entity id it gives one row per
#: entity and period, so each entity has several rows
PERIOD_WORD = re.compile(r"(^|_)(day|days|week|weeks|month|months|cycle|cycles|season|lap|"
                         r"round)(_|$)", re.IGNORECASE)
#: a key that reads as a calendar instant (``week_of_year``, ``hour_ts``): zones or stores by
#: calendar period are a panel on a shared clock, not an entity's own periods
CALENDAR_WORD = re.compile(r"(year|date|time|hour|(^|_)ts($|_)|(^|_)dt($|_))", re.IGNORECASE)
#: names of an entity column (grouping by it means several rows per entity)
ENTITY_COLUMN = re.compile(
    r"(^|_)(patient|subject|user|customer|client|participant|person|speaker|session|device|"
    r"account|member|player|driver|household|visitor)(_?(id|nbr|no|num|number|key))?$|"
    r"^id$|^id_[a-z]+$|_(id|nbr|no|num|key)$|Id$|ID$", re.IGNORECASE)
#: words that name a repeating entity only with an id suffix when they stand among the
#: features: a bare ``subject`` is an e-mail or ticket subject line, a bare ``session`` /
#: ``trial`` / ``recording`` a count or a text field. (Counting rows per value, as
#: ``groupby('subject').size()`` does, is evidence of repeats under either name.)
AMBIGUOUS_ENTITY_WORDS = "subject|session|trial|recording"
#: entities that usually have several rows each (events, utterances, visits, windows,
#: sessions): an id of one among the features, or pulled out beside the data, means repeated
#: entities. Entity tables keyed by customer / account / member ids are left out on purpose:
#: one row per customer is the common churn-table shape, not a group leak.
_REPEATING_NOUNS = (r"patient|user|speaker|participant|device|player|driver|visitor|sensor|"
                    r"machine|animal|student|learner|listener|viewer")
_ID_SUFFIX = r"(id|ids|nbr|no|num|number|key)"
#: a name ending in one of those id suffixes (``machine_id``, ``user_no``)
ID_SUFFIX_END = re.compile(rf"(^|_)(?i:{_ID_SUFFIX})$|[a-z](Id|ID)$")
REPEATING_ENTITY = re.compile(
    rf"(^|_)({_REPEATING_NOUNS})s?(_?{_ID_SUFFIX})?$|"
    rf"(^|_)({AMBIGUOUS_ENTITY_WORDS})s?_?{_ID_SUFFIX}$|"
    rf"^id_({_REPEATING_NOUNS}|{AMBIGUOUS_ENTITY_WORDS})s?$", re.IGNORECASE)
#: an entity noun qualified by a word before it and no id suffix (``bus_user``,
#: ``power_user``, ``smart_device``): a yes/no attribute of the row, not which entity it is
QUALIFIED_ENTITY_ATTRIBUTE = re.compile(
    rf"^(?!id_)[a-z0-9]+(_[a-z0-9]+)*_({_REPEATING_NOUNS})s?$", re.IGNORECASE)
#: a bare plural of an entity noun (``animals``, ``users``, ``sensors``): among the features
#: it is a quantity (how many animals in the pen), not which entity the row belongs to
ENTITY_COUNT = re.compile(rf"(^|_)({_REPEATING_NOUNS}|{AMBIGUOUS_ENTITY_WORDS})s$",
                          re.IGNORECASE)
#: a table that keeps one row per entity by its name (``first_visits.csv``,
#: ``visits_baseline``, ``last_sessions``): the entity's first / last / baseline event only
ONE_PER_ENTITY_TABLE = re.compile(r"(^|[^a-z0-9])(first|last|latest|initial|baseline|index)"
                                  r"([^a-z0-9]|$)", re.IGNORECASE)
#: the last word of a table of events, several for each person or thing (``trips.parquet``,
#: ``sessions.csv``, ``df_visits``): rows that repeat an entity which is not a column here
EVENT_TABLE = re.compile(r"(trips|rides|journeys|visits|sessions|calls|encounters|admissions|"
                         r"shifts|laps|transactions|txns|logins|bookings)")
#: a table of events named after their owner (``learner_sessions``, ``patient_visits``): the
#: owner noun, one of the repeating entities above, right before the events' word
EVENT_OWNER = re.compile(rf"({_REPEATING_NOUNS})s?", re.IGNORECASE)
#: a label about an entity's future over a horizon far longer than one event
#: (``claim_next_year``, ``churn_next_month``, ``default_12m``): the same value on every event
#: row of that entity, which a model recognises from the entity's habits in the features
ENTITY_HORIZON_LABEL = re.compile(r"(^|_)(next_(year|month|quarter|\d+_?(m|months|y|years))|"
                                  r"within_\d+_?(m|months|y|years)|\d+(m|y))$", re.IGNORECASE)
#: the entity noun inside a ``REPEATING_ENTITY`` column name (``user`` of ``user_id``)
ENTITY_NOUN = re.compile(rf"({_REPEATING_NOUNS}|{AMBIGUOUS_ENTITY_WORDS})", re.IGNORECASE)
#: a column numbering the rows within an entity (``epoch_idx``, ``beat_no``, ``repetition``):
#: dropped beside an entity column, it says each entity has several rows
WITHIN_ENTITY_POSITION = re.compile(
    r"^(epoch|window|segment|frame|beat|trial|rep|repetition|night|visit|session|sample|"
    r"record|recording|clip|utterance)_?(idx|index|no|nr|num|number)?$|"
    r"^(epoch|window|segment|frame|beat|trial|rep|repetition|visit|sample|clip|utterance)s?_?"
    r"(idx|index|no|nr|num|number)$", re.IGNORECASE)
#: a literal that reads as one entity's id (``'s002'``, ``'user_17'``, ``'P-0042'``)
ID_LITERAL = re.compile(r"^[a-z]{0,8}[-_]?\d{2,}$", re.IGNORECASE)
#: entities with one row each in the usual table (churn, credit): counting them says nothing
ONE_ROW_ENTITY = re.compile(r"(^|_)(customer|client|account|member|household|order|image|"
                            r"item|product|transaction|txn|row|record|sample|loan|"
                            r"application)s?(_|$)", re.IGNORECASE)
#: metric functions (a score of predictions against true labels)
METRIC_FUNCTION = re.compile(r"(_score|_error|_loss)$|^(accuracy|precision|recall|f1|fbeta|"
                             r"roc_auc|average_precision|matthews_corrcoef|cohen_kappa|"
                             r"balanced_accuracy)", re.IGNORECASE)
#: variable names of a group vector (``groups = df["speaker"]``): the author knows rows repeat
GROUPS_NAME = re.compile(r"^(groups?|grps?|group_ids?|\w+_groups?|groups_\w+)$", re.IGNORECASE)
#: variable names that mark a manual split part
TEST_NAME = re.compile(r"(^|_)(test|tst|holdout|hold_out|hold|val|valid|validation|dev)(_|$|\d)",
                       re.IGNORECASE)
#: names of a validation part (early stopping on it is clean when a separate test part exists)
VALIDATION_NAME = re.compile(r"(^|_)(val|valid|validation|dev|eval)(_|$|\d)", re.IGNORECASE)
#: a validation part named the short way too (``Xval``, ``y_valid``, ``valid``): early
#: stopping on it is clean when the model is then scored on a separate test set
VALIDATION_PART = re.compile(r"(^|_|^[xy])(val|valid|validation|dev|eval)(_|$|\d)",
                             re.IGNORECASE)
TRAIN_NAME = re.compile(r"(^|_)(train|trn|tr)(_|$|\d)", re.IGNORECASE)
