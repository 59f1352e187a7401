"""Pure checks: data in, ``Report`` out. Nothing here imports IPython, ipywidgets or a server."""

# modules that declare rule tables; ``core.rules.load_all_rules`` imports them for docs and SARIF
RULE_MODULES = (
    "mlsecops_jupyter.checks.modelscan.rules",
    "mlsecops_jupyter.checks.explain.rules",
    "mlsecops_jupyter.checks.fairness.rules",
    "mlsecops_jupyter.checks.leakage.rules",
    "mlsecops_jupyter.checks.leakage.code_rules",
    "mlsecops_jupyter.checks.pii.rules",
    "mlsecops_jupyter.checks.pii.secret_rules",
)
