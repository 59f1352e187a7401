"""``%mlsec robustness MODEL X y [--epsilon E] ...``: evasion robustness of a notebook's model.

MODEL, X and y name variables of the notebook. There is no ``mlsec robustness`` on the command
line on purpose: attacking a model means loading and running it, and files are for
``mlsec scan``.
"""

from __future__ import annotations

import argparse

from ..core.report import Report
from ..core.suggest import require_variable
from . import Session
from ._parser import CommandParser, add_set_option, add_threshold_option, effective_threshold
from ._report_io import add_display_option, settings_for_call


def build_parser(prog: str) -> CommandParser:
    from ..checks.robustness.check import METHODS

    parser = CommandParser(
        prog=prog,
        description="Attack a fitted classifier with small input changes: for each correctly "
        "classified row (a seeded sample of X) the smallest L-inf perturbation, in standard "
        "deviations of each numeric column, that changes its class (exact for linear models "
        "and single trees, a black-box decision-based attack otherwise). Reports the attack "
        "success rate at epsilon, the rate at other epsilons, the median minimal perturbation "
        "and the features the attack needed; ROBUST-EVASION when the rate passes "
        "robustness.success_threshold. Returns the Report.",
    )
    parser.add_argument("model", metavar="MODEL", help="variable holding the fitted classifier")
    parser.add_argument("data", metavar="X", help="variable holding the rows to attack")
    parser.add_argument("labels", metavar="y", help="variable holding the true labels of X")
    parser.add_argument("--epsilon", type=float, metavar="E",
                        help="attacker's budget in standard deviations per numeric column "
                        "(default: robustness.epsilon, 0.1)")
    parser.add_argument("--immutable", metavar="COL[,COL]",
                        help="columns the attacker cannot change (a one-hot attribute by its "
                        "name: sex for sex_F, sex_M)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="rows of X attacked (default: robustness.sample_rows, 200)")
    parser.add_argument("--method", choices=METHODS, default="auto",
                        help="auto (exact where possible, else black-box), exact, or boundary "
                        "(the black-box attack on any model)")
    add_set_option(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    from ..checks.robustness import check_robustness

    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    model = require_variable(namespace, args.model)
    data = require_variable(namespace, args.data)
    labels = require_variable(namespace, args.labels)
    immutable = [name.strip() for name in (args.immutable or "").split(",") if name.strip()]
    report = check_robustness(model, data, labels, epsilon=args.epsilon, immutable=immutable,
                              sample=args.sample, method=args.method, settings=settings,
                              subject=f"{args.model} on {args.data}")
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))
