"""``%mlsec privacy MODEL X_train y_train X_test y_test``: membership-inference exposure.

All five names are variables of the notebook. There is no ``mlsec privacy`` on the command line
on purpose: the attacks run the model (and train copies of it), and files are for
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
    parser = CommandParser(
        prog=prog,
        description="Membership inference: can an attacker tell the model's training rows "
        "from other rows of the same population? Runs the loss-threshold, shadow-model and "
        "reference-model attacks on balanced samples of training (member) and test "
        "(non-member) rows; reports each attack's AUC with a DeLong interval, the attacker's "
        "advantage, the true-positive rate at 1%% false positives and the training rows most "
        "exposed; PRIVACY-MEMBERSHIP-INFERENCE when the best interval lies above "
        "privacy.auc_threshold. Returns the Report.",
    )
    parser.add_argument("model", metavar="MODEL", help="variable holding the fitted classifier")
    parser.add_argument("train_data", metavar="X_train", help="rows the model was trained on")
    parser.add_argument("train_labels", metavar="y_train", help="their labels")
    parser.add_argument("test_data", metavar="X_test", help="rows the model never saw")
    parser.add_argument("test_labels", metavar="y_test", help="their labels")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="members and non-members attacked, each (default: "
                        "privacy.sample_rows, 2000)")
    parser.add_argument("--shadow-models", type=int, metavar="K",
                        help="clones trained for the shadow and reference attacks (default: "
                        "privacy.shadow_models, 4; 0: threshold attack only)")
    add_set_option(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    from ..checks.privacy import check_privacy

    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    values = [require_variable(namespace, name) for name in (
        args.model, args.train_data, args.train_labels, args.test_data, args.test_labels)]
    report = check_privacy(*values, sample=args.sample, shadow_models=args.shadow_models,
                           settings=settings,
                           subject=f"{args.model} on {args.train_data} vs {args.test_data}")
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))
