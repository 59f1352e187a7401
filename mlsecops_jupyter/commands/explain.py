"""``%mlsec explain MODEL X [--row I] ...``: SHAP explanation of a model of the notebook.

MODEL, X and ``--background`` name variables of the notebook; ``--sensitive`` names columns of
X (used by the model or not). There is no ``mlsec explain`` on the command line on purpose:
explaining a model means loading it, and files are for ``mlsec scan``.
"""

from __future__ import annotations

import argparse

from ..core.report import Report
from ..core.suggest import require_variable
from . import Session
from ._parser import CommandParser, add_set_option, add_threshold_option, effective_threshold
from ._report_io import add_display_option, settings_for_call


def build_parser(prog: str) -> CommandParser:
    from ..checks.explain.choose import METHODS

    parser = CommandParser(
        prog=prog,
        description="Explain a fitted model with SHAP: the explainer is chosen for the model "
        "(tree, linear, else permutation over a bounded background) and said in the report; a "
        "sample of X is explained within a time budget. Reports the global importance (mean "
        "|SHAP| with spread), bar and beeswarm plots, and findings: one dominant feature "
        "(leakage suspect), sensitive attributes or proxies among the top features. Returns "
        "the Report.",
    )
    parser.add_argument("model", metavar="MODEL", help="variable holding the fitted model")
    parser.add_argument("data", metavar="X", help="variable holding the rows to explain")
    parser.add_argument("--row", type=int, metavar="I",
                        help="also explain the row at position I of X alone (waterfall plot "
                        "and table; the report gives its position and its index label)")
    parser.add_argument("--background", metavar="VAR",
                        help="variable holding background rows (default: rows of X)")
    parser.add_argument("--sensitive", metavar="COL[,COL]",
                        help="sensitive columns of X (or the name of one-hot columns: sex for "
                        "sex_F, sex_M), checked against the top features")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="rows of X to explain (default: explain.sample_rows, 1000)")
    parser.add_argument("--method", choices=METHODS, default="auto",
                        help="explainer (default: auto, chosen from the model)")
    add_set_option(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    from ..checks.explain import explain

    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    model = require_variable(namespace, args.model)
    data = require_variable(namespace, args.data)
    background = (None if args.background is None
                  else require_variable(namespace, args.background))
    sensitive = None
    if args.sensitive:
        sensitive = [name.strip() for name in args.sensitive.split(",") if name.strip()]
    report = explain(model, data, background, sample=args.sample, method=args.method,
                     sensitive=sensitive, row=args.row, settings=settings,
                     subject=f"{args.model} on {args.data}")
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))

