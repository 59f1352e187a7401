"""The globals policy table: exact safe pairs, dangerous modules by whole components, overrides."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mlsecops_jupyter.checks.modelscan.policy import (
    DANGEROUS_MODULES,
    Verdict,
    classify,
    parse_pairs,
    safe_globals,
)
from mlsecops_jupyter.core.errors import MLSecConfigError
from mlsecops_jupyter.core.severity import Severity

ROOT = Path(__file__).resolve().parents[2]

SAFE = [
    ("uuid", "UUID"), ("collections", "OrderedDict"), ("copyreg", "_reconstructor"),
    ("copy_reg", "_reconstructor"), ("__builtin__", "set"), ("builtins", "frozenset"),
    ("_codecs", "encode"), ("datetime", "datetime"), ("decimal", "Decimal"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy", "dtype"), ("numpy", "log1p"), ("torch._utils", "_rebuild_tensor_v2"),
    ("torch", "FloatStorage"), ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    ("sklearn.linear_model._logistic", "LogisticRegression"), ("sklearn.tree._tree", "Tree"),
    ("pandas.core.frame", "DataFrame"), ("pandas._libs.internals", "_unpickle_block"),
    ("scipy.sparse._csr", "csr_matrix"), ("zoneinfo", "ZoneInfo._unpickle"),
    ("pathlib", "PosixPath"),
]

# Every gadget named in published bypasses of picklescan / modelscan / fickling / modelaudit
# (2024-2026 advisories and issues), plus the classic ones.
DANGEROUS = [
    ("os", "system"), ("posix", "system"), ("nt", "system"), ("os.path", "join"),
    ("posixpath", "join"), ("subprocess", "Popen"), ("subprocess", "check_output"),
    ("builtins", "eval"), ("builtins", "exec"), ("__builtin__", "eval"),
    ("__builtins__", "exec"), ("builtins", "getattr"), ("builtins", "__import__"),
    ("builtins", "compile"), ("builtins", "open"), ("builtins", "breakpoint"),
    ("importlib", "import_module"), ("importlib.util", "find_spec"), ("runpy", "run_path"),
    ("socket", "create_connection"), ("webbrowser", "open"), ("pip", "main"),
    ("pip._internal.cli.main", "main"), ("shutil", "rmtree"), ("sys", "modules"),
    ("ctypes", "CDLL"), ("pty", "spawn"), ("code", "InteractiveInterpreter.runcode"),
    ("marshal", "loads"), ("types", "FunctionType"), ("types", "CodeType"),
    ("functools", "partial"), ("functools", "reduce"), ("operator", "attrgetter"),
    ("operator", "methodcaller"), ("operator", "itemgetter"), ("_operator", "attrgetter"),
    ("pkgutil", "resolve_name"), ("asyncio", "create_subprocess_shell"),
    ("asyncio.subprocess", "create_subprocess_exec"),
    ("asyncio.unix_events", "_UnixSubprocessTransport"),
    ("uuid", "_get_command_stdout"), ("uuid", "_popen"), ("imaplib", "IMAP4_stream"),
    ("ftplib", "FTP"), ("smtplib", "SMTP"), ("http.client", "HTTPConnection"),
    ("urllib.request", "urlopen"), ("requests.api", "get"), ("inspect", "getattr_static"),
    ("pickle", "loads"), ("_pickle", "loads"), ("cPickle", "loads"), ("dill", "loads"),
    ("cloudpickle", "loads"), ("torch", "load"), ("torch.hub", "load"), ("torch.jit", "load"),
    ("torch.serialization", "load"), ("torch", "hub.load"), ("numpy", "load"),
    ("numpy.testing._private.utils", "runstring"), ("numpy.f2py.crackfortran", "getlincoef"),
    ("multiprocessing", "Process"), ("threading", "Thread"), ("_posixsubprocess", "fork_exec"),
    ("signal", "raise_signal"), ("io", "open"), ("_io", "FileIO"), ("codecs", "open"),
    ("platform", "popen"), ("commands", "getoutput"), ("timeit", "timeit"),
    ("cProfile", "run"), ("profile", "run"), ("pdb", "run"), ("bdb", "Bdb"),
    ("trace", "Trace.runctx"), ("doctest", "debug_script"), ("distutils.file_util", "write_file"),
    ("setuptools", "setup"), ("venv", "create"), ("ensurepip", "_run_pip"), ("site", "main"),
    ("zipimport", "zipimporter"), ("linecache", "getline"), ("tempfile", "mkstemp"),
    ("glob", "glob"), ("pydoc", "pipepager"), ("idlelib.pyshell", "ModifiedInterpreter.runcode"),
    ("lib2to3.pgen2.grammar", "Grammar.loads"), ("mailcap", "findmatch"),
    ("_interpreters", "run_string"), ("_xxsubinterpreters", "run_string"),
    ("copyreg", "add_extension"), ("logging.config", "listen"), ("weakref", "finalize"),
    ("gc", "get_objects"), ("joblib", "load"), ("torch.storage", "_load_from_file"),
    ("torch.utils.collect_env", "run"), ("torch._inductor.codecache", "compile_file"),
    ("torch.fx.experimental.symbolic_shapes", "ShapeEnv.evaluate_guards_expression"),
    ("numpy.core", "_ufunc_reconstruct"), ("pandas", "read_pickle"),
    ("pathlib", "Path.write_text"),
    ("xmlrpc.client", "ServerProxy"), ("ssl", "wrap_socket"), ("aiohttp", "ClientSession"),
    ("tarfile", "open"), ("zipfile", "ZipFile"),
    # attribute chains through allowlisted modules (modelscan issues #85, #89, #330)
    ("numpy", "__builtins__"), ("numpy", "prod.os.system"),
    ("numpy", "core._internal.sys.modules"),
    ("builtins", "object.__subclasses__"), ("pandas.core.frame", "DataFrame.eval"),
    ("numpy.core._internal", "sys"),
]


@pytest.mark.parametrize(("module", "name"), SAFE, ids=lambda v: str(v))
def test_known_safe_pairs(module: str, name: str) -> None:
    assert classify(module, name).kind == "safe"


@pytest.mark.parametrize(("module", "name"), DANGEROUS, ids=lambda v: str(v))
def test_published_gadgets_are_dangerous(module: str, name: str) -> None:
    verdict = classify(module, name)
    assert verdict.kind == "dangerous", verdict
    assert verdict.severity is Severity.CRITICAL
    assert verdict.reason


@pytest.mark.parametrize(("module", "name"), [
    ("osmium", "x"), ("ossify", "system"), ("__main__", "MyModel"), ("mypkg.models", "Net"),
    ("numpy", "trace"), ("builtins", "memoryview"), ("builtins", "map"),
    ("collections", "namedtuple"), ("torch.storage", "_load_from_bytes"),
])
def test_everything_else_is_unknown_medium(module: str, name: str) -> None:
    verdict = classify(module, name)
    assert verdict == Verdict("unknown", Severity.MEDIUM, verdict.reason)


def test_module_prefix_matches_whole_components_only() -> None:
    assert classify("os.path", "join").kind == "dangerous"
    assert classify("osmium", "x").kind == "unknown"
    assert classify("pipeline_tools", "main").kind == "unknown"
    assert classify("pip", "main").kind == "dangerous"


def test_user_overrides_win_over_the_builtin_table() -> None:
    overrides = {"mypkg:*": "safe", "os:system": "safe", "numpy:ndarray": "high",
                 "myother.mod:Thing": "low"}
    assert classify("mypkg.sub.models", "Net", overrides).kind == "safe"
    assert classify("os", "system", overrides).kind == "safe"
    assert classify("os", "popen", overrides).kind == "dangerous"
    denied = classify("numpy", "ndarray", overrides)
    assert (denied.kind, denied.severity) == ("dangerous", Severity.HIGH)
    lowered = classify("myother.mod", "Thing", overrides)
    assert (lowered.kind, lowered.severity) == ("unknown", Severity.LOW)
    assert classify("mypkgs", "Net", overrides).kind == "unknown"


@pytest.mark.parametrize("overrides", [{"os.system": "safe"}, {"os:system": "maybe"},
                                       {":x": "safe"}])
def test_bad_overrides_are_config_errors(overrides: dict[str, str]) -> None:
    with pytest.raises(MLSecConfigError):
        classify("os", "system", overrides)


def test_safe_pairs_never_sit_in_a_wholesale_dangerous_module_by_accident() -> None:
    """Safe exact pairs inside dangerous modules are deliberate carve-outs, listed here."""
    carve_outs = {"pathlib", "types", "joblib", "torch.serialization",
                  "sklearn.externals.joblib"}
    for module, _name in safe_globals():
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in DANGEROUS_MODULES:
                assert prefix in carve_outs or module in carve_outs, (module, _name)


def test_generated_safe_table_covers_the_library_registries() -> None:
    """The shipped file holds every sklearn estimator, scipy.sparse class and numpy ufunc.

    Full regeneration (also from real pickles) is ``python tools/gen_safe_globals.py --check``.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_safe_globals
    finally:
        sys.path.pop(0)
    shipped = set(parse_pairs(
        (ROOT / "mlsecops_jupyter/checks/modelscan/safe_globals.txt").read_text().splitlines()))
    missing = set(gen_safe_globals.registry_pairs()) - shipped
    assert not missing, sorted(missing)[:10]
