"""Policy table for the globals a pickle imports: known-safe, dangerous, or unknown.

Rules are data: the tables below decide; ``classify`` only looks things up. Three verdicts:

* ``safe``: an exact ``(module, name)`` pair known to rebuild data and nothing else (``numpy``
  array reconstruction, sklearn estimator classes, ``datetime``...). Exact pairs only: allowing a
  whole package would also allow its loaders, its test helpers and every attribute chain through
  it (``numpy:prod.os.system`` is a published bypass of scanners that trust ``numpy.*``).
* ``dangerous`` (critical): anything that can run code, import by name, spawn processes, touch
  files, open sockets, or hand out a universal gadget (``getattr``, ``functools.partial``,
  ``operator.methodcaller``, ``pkgutil.resolve_name``...). A dangerous *module* matches whole
  dotted components: ``os`` covers ``os.path`` but not ``osmium``.
* ``unknown`` (medium): everything else; the finding names the import so a person can judge it.

Users extend or override the table through ``[tool.mlsec.modelscan.globals]``: keys are
``"module:name"`` or ``"module:*"`` (the module and its submodules), values ``"safe"`` or a
severity name. A user entry wins over the built-in table.

Decisions worth knowing (each is a row below, with its reason):

* ``operator.itemgetter`` is dangerous, not only ``attrgetter``/``methodcaller``: a deferred
  subscript reaches callables through mappings (``defaultdict`` factories, module ``__dict__``).
* ``collections.namedtuple`` is not safe: it builds classes from strings at load time and is never
  needed to *rebuild* data (namedtuple instances pickle as their own class).
* ``builtins.type`` is safe: pickle emits it for ``type(None)`` and friends; building a class from
  safe parts cannot reach code that was not imported separately (and judged) first.
* ``builtins.len`` and ``__future__`` feature flags are safe: ``len`` only calls ``__len__`` of an
  object whose class was imported (and judged) first; a feature flag is an inert record.
* ``torch.storage._load_from_bytes`` is unknown (medium), not safe: ``pickle.dumps(tensor)`` emits
  it, but it unpickles an embedded checkpoint with ``weights_only=False``; the scan reads that
  checkpoint as a nested member (``pickle_scan``), so a payload inside is reported on its own.
* Dotted names (protocol 4 qualnames) are judged component by component: a dunder attribute
  (``__builtins__``, ``__globals__``, ``__subclasses__``) or a component naming a dangerous module
  or a sink (``eval``, ``system``, ``load``...) makes the whole import dangerous.
"""

from __future__ import annotations

import _compat_pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ...core.errors import MLSecConfigError
from ...core.severity import Severity

VerdictKind = Literal["safe", "unknown", "dangerous"]
SAFE_GLOBALS_FILE = "safe_globals.txt"


@dataclass(frozen=True)
class Verdict:
    """How one imported global is judged, and why (the reason goes into the finding)."""

    kind: VerdictKind
    severity: Severity | None
    reason: str


# -- dangerous modules: every name inside them, and every submodule ---------------------------
_RUNS_COMMANDS = "runs operating-system commands or manipulates processes"
_IMPORTS = "imports or loads code by name"
_EXECUTES = "compiles or executes Python code"
_NETWORK = "opens network connections"
_FILES = "reads, writes or deletes files"
_NESTED = "unpickles or loads nested serialized data without inspection"
_GADGET = "builds a callable that calls or looks up other objects later (universal gadget)"
_INTERPRETER = "reaches interpreter internals (modules, frames, signals, memory)"
_PACKAGES = "installs packages or changes the import environment"
_DEBUGGER = "debugger, profiler or test helper that executes code"

DANGEROUS_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ("os", "posix", "nt", "posixpath", "ntpath", "genericpath", "subprocess",
         "_posixsubprocess", "_winapi", "msvcrt", "winreg", "pty", "tty", "termios", "fcntl",
         "platform", "mailcap", "commands", "pexpect", "paramiko", "fabric", "sh", "plumbum",
         "multiprocessing", "_multiprocessing", "concurrent", "threading", "_thread", "sched",
         "asyncio", "signal", "_signal", "faulthandler", "resource", "syslog", "getpass",
         "webbrowser", "antigravity", "_osx_support", "_aix_support"),
        _RUNS_COMMANDS,
    ),
    **dict.fromkeys(
        ("importlib", "_imp", "imp", "_frozen_importlib", "_frozen_importlib_external",
         "zipimport", "pkgutil", "runpy", "modulefinder", "inspect", "gc", "sys", "_sitebuiltins",
         "ctypes", "_ctypes", "cffi", "mmap", "_interpreters", "_xxsubinterpreters",
         "_xxinterpchannels", "interpreters", "concurrent.interpreters", "weakref", "_weakref",
         "atexit", "types", "functools", "_functools", "operator", "_operator"),
        _INTERPRETER,
    ),
    **dict.fromkeys(
        ("code", "codeop", "compileall", "py_compile", "marshal", "rlcompleter", "cmd",
         "_pyrepl", "pyrepl", "IPython", "yaml", "numexpr", "pandas.core.computation",
         "torch.fx", "torch.jit", "torch._inductor", "torch._dynamo", "torch.utils.cpp_extension",
         "torch.utils._config_module", "torch.utils.bottleneck", "torch.utils.collect_env",
         "torch.utils.data.datapipes", "torch.ops", "torch.classes", "torch.package",
         "torch.hub", "numpy.f2py", "numpy.distutils", "numpy.ctypeslib", "sympy.parsing"),
        _EXECUTES,
    ),
    **dict.fromkeys(
        ("socket", "_socket", "ssl", "_ssl", "select", "selectors", "socketserver", "http",
         "httplib", "urllib", "urllib2", "urllib3", "requests", "aiohttp", "httpx", "ftplib",
         "imaplib", "poplib", "smtplib", "smtpd", "nntplib", "telnetlib", "xmlrpc", "wsgiref",
         "cgi", "cgitb", "asynchat", "asyncore", "sklearn.datasets"),
        _NETWORK,
    ),
    **dict.fromkeys(
        ("io", "_io", "shutil", "tempfile", "glob", "fileinput", "filecmp", "linecache",
         "tarfile", "zipfile", "shelve", "dbm", "sqlite3", "_sqlite3", "pathlib", "scipy.io",
         "pandas.io", "numpy.lib.npyio", "numpy.lib._npyio_impl", "numpy.lib.format",
         "numpy.lib._format_impl"),
        _FILES,
    ),
    **dict.fromkeys(
        ("pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib",
         "sklearn.externals.joblib", "torch.serialization"),
        _NESTED,
    ),
    **dict.fromkeys(
        ("pip", "ensurepip", "venv", "setuptools", "pkg_resources", "distutils", "site",
         "sitecustomize", "usercustomize", "zipapp"),
        _PACKAGES,
    ),
    **dict.fromkeys(
        ("pdb", "bdb", "trace", "profile", "cProfile", "timeit", "doctest", "unittest", "test",
         "idlelib", "lib2to3", "pydoc", "tkinter", "_tkinter", "turtle", "turtledemo",
         "numpy.testing", "sklearn.utils._testing", "torch.testing"),
        _DEBUGGER,
    ),
    "logging.config": _IMPORTS,
    "logging.handlers": _FILES,
}

# -- dangerous (module, name) pairs inside otherwise ordinary modules -------------------------
DANGEROUS_NAMES: dict[tuple[str, str], str] = {
    **{("builtins", name): _EXECUTES for name in (
        "eval", "exec", "compile", "execfile", "__import__", "reload", "apply",
        "breakpoint", "help", "input", "raw_input", "exit", "quit", "copyright", "credits",
        "license")},
    **{("builtins", name): _INTERPRETER for name in (
        "getattr", "setattr", "delattr", "globals", "locals", "vars", "dir")},
    ("builtins", "open"): _FILES,
    ("builtins", "file"): _FILES,
    **{("copyreg", name): "changes the interpreter-wide pickle registries" for name in (
        "add_extension", "remove_extension", "clear_extension_cache", "pickle", "constructor")},
    ("codecs", "open"): _FILES,
    ("codecs", "EncodedFile"): _FILES,
    ("tokenize", "open"): _FILES,
    **{(module, name): _FILES for module in ("gzip", "bz2", "lzma") for name in (
        "open", "GzipFile", "BZ2File", "LZMAFile")},
    ("logging", "FileHandler"): _FILES,
    ("logging", "basicConfig"): _FILES,
    **{("uuid", name): _RUNS_COMMANDS for name in (
        "_get_command_stdout", "_popen", "_find_mac", "_find_mac_near_keyword",
        "_find_mac_under_heading", "_ifconfig_getnode", "_ip_getnode", "_arp_getnode",
        "_lanscan_getnode", "_netstat_getnode", "_ipconfig_getnode", "_netbios_getnode",
        "_unix_getnode", "_windll_getnode", "getnode", "uuid1")},
    **{("numpy", name): _FILES for name in (
        "load", "save", "savez", "savez_compressed", "savetxt", "loadtxt", "genfromtxt",
        "fromfile", "memmap", "fromregex", "DataSource")},
    **{(module, "_ufunc_reconstruct"): _IMPORTS for module in (
        "numpy.core", "numpy._core", "numpy.core._internal", "numpy._core._internal",
        "numpy.core.multiarray", "numpy._core.multiarray")},
    **{("pandas", name): _FILES for name in (
        "read_pickle", "read_csv", "read_table", "read_json", "read_html", "read_xml",
        "read_excel", "read_parquet", "read_orc", "read_feather", "read_hdf", "read_sas",
        "read_spss", "read_stata", "read_sql", "read_sql_query", "read_sql_table", "read_fwf",
        "read_clipboard", "to_pickle", "HDFStore", "ExcelWriter")},
    ("pandas", "eval"): _EXECUTES,
    **{("torch", name): _NESTED for name in ("load", "save", "from_file")},
    ("torch.storage", "_load_from_file"): _NESTED,
    ("sympy", "sympify"): _EXECUTES,
    ("sympy.core.sympify", "sympify"): _EXECUTES,
}

# Attribute names that make a *dotted* name dangerous wherever they appear in it
# (``pandas:DataFrame.eval``, ``somepkg:helpers.system``): normal pickles never reach them.
SINK_ATTRIBUTES: frozenset[str] = frozenset((
    "eval", "exec", "execfile", "compile", "system", "popen", "spawn", "spawnl", "spawnv",
    "execv", "execve", "execl", "fork", "Popen", "call", "check_call", "check_output", "run",
    "getattr", "setattr", "delattr", "getattr_static", "import_module", "resolve_name",
    "load", "loads", "load_library", "LoadLibrary", "CDLL", "query", "open", "read_pickle",
    "write_text", "write_bytes", "unlink", "rmdir", "remove", "touch", "mkdir", "rename",
    "replace", "chmod", "symlink_to", "hardlink_to", "rmtree", "main",
))

# Modules whose *top-level* name, met inside a dotted attribute chain, means the chain walks
# into that module (``numpy:core._internal.sys.modules``).
_CHAIN_MODULES: frozenset[str] = frozenset(
    {module.split(".")[0] for module in DANGEROUS_MODULES if "." not in module}
    | {"builtins", "__builtins__", "__builtin__"}
)

# Single names that are module objects reached as attributes (``somepkg:os``); kept short
# because single names like ``trace`` or ``signal`` are also ordinary functions elsewhere.
_MODULE_VALUE_NAMES: frozenset[str] = frozenset((
    "os", "sys", "subprocess", "builtins", "__builtin__", "importlib", "posix", "nt", "shutil",
    "socket", "pickle", "marshal", "ctypes", "runpy", "pty", "pip",
))

# Imports that are not dangerous by themselves but deserve a specific explanation.
UNKNOWN_NOTES: dict[tuple[str, str], str] = {
    ("torch.storage", "_load_from_bytes"): (
        "unpickles an embedded torch checkpoint with weights_only=False; the embedded bytes "
        "are scanned as a nested member named after the call"
    ),
    ("collections", "namedtuple"): "builds a class at load time; never needed to rebuild data",
}

# -- safe: exact pairs known to rebuild data (more in safe_globals.txt, generated) -------------
_SAFE_TABLE: dict[str, tuple[str, ...]] = {
    "builtins": (
        "set", "frozenset", "slice", "range", "complex", "bytearray", "bytes", "object", "list",
        "dict", "tuple", "int", "float", "str", "bool", "type", "NotImplemented", "Ellipsis",
        "Exception", "ValueError", "KeyError", "TypeError", "RuntimeError", "IndexError",
        "AttributeError", "ArithmeticError", "ZeroDivisionError", "OverflowError",
        "NotImplementedError", "LookupError", "UserWarning", "Warning", "len",
    ),
    # inert feature flags (``_Feature`` objects): importing one runs nothing, calling one fails
    "__future__": ("annotations", "division", "print_function", "absolute_import",
                   "unicode_literals", "generators", "nested_scopes", "with_statement",
                   "generator_stop", "barry_as_FLUFL"),
    "collections": ("OrderedDict", "defaultdict", "deque", "Counter"),
    "copyreg": ("_reconstructor", "__newobj__", "__newobj_ex__"),
    "_codecs": ("encode",),
    "datetime": ("datetime", "date", "time", "timedelta", "timezone", "tzinfo"),
    "zoneinfo": ("ZoneInfo", "ZoneInfo._unpickle"),
    "zoneinfo._zoneinfo": ("ZoneInfo", "ZoneInfo._unpickle"),
    "decimal": ("Decimal",),
    "_decimal": ("Decimal",),
    "fractions": ("Fraction",),
    "uuid": ("UUID", "SafeUUID"),
    "enum": ("Enum", "IntEnum", "Flag", "IntFlag"),
    "re": ("_compile", "Pattern", "RegexFlag"),
    "pathlib": ("Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath",
                "PureWindowsPath"),
    "types": ("SimpleNamespace",),
    "argparse": ("Namespace",),
    "numpy": (
        "ndarray", "dtype", "matrix", "recarray", "record", "bool_", "bool", "number",
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "intc",
        "uintc", "intp", "uintp", "longlong", "ulonglong", "short", "ushort", "byte", "ubyte",
        "float16", "float32", "float64", "longdouble", "half", "single", "double",
        "complex64", "complex128", "clongdouble", "csingle", "cdouble", "str_", "bytes_",
        "object_", "void", "datetime64", "timedelta64", "generic", "integer", "floating",
        "complexfloating", "signedinteger", "unsignedinteger", "inexact", "nan", "inf",
    ),
    "numpy.core.multiarray": ("_reconstruct", "scalar"),
    "numpy._core.multiarray": ("_reconstruct", "scalar"),
    "numpy.core.numeric": ("_frombuffer",),
    "numpy._core.numeric": ("_frombuffer",),
    "numpy.ma.core": ("_mareconstruct", "MaskedArray", "MaskedConstant"),
    "numpy.ma": ("MaskedArray",),
    "numpy.random._pickle": ("__randomstate_ctor", "__bit_generator_ctor", "__generator_ctor"),
    "numpy.random.mtrand": ("RandomState", "_rand"),
    "numpy.random._generator": ("Generator",),
    "numpy.random._mt19937": ("MT19937",),
    "numpy.random._pcg64": ("PCG64", "PCG64DXSM"),
    "numpy.random._philox": ("Philox",),
    "numpy.random._sfc64": ("SFC64",),
    "numpy.random.bit_generator": ("SeedSequence", "__pyx_unpickle_SeedSequence"),
    # pandas < 3 pickled its classes under their defining modules (pandas 3: ``pandas:...``)
    "pandas.core.frame": ("DataFrame",),
    "pandas.core.series": ("Series",),
    "pandas.core.indexes.base": ("Index", "_new_Index"),
    "pandas.core.indexes.range": ("RangeIndex",),
    "pandas.core.indexes.multi": ("MultiIndex",),
    "pandas.core.indexes.datetimes": ("DatetimeIndex", "_new_DatetimeIndex"),
    "pandas.core.indexes.numeric": ("Int64Index", "Float64Index", "UInt64Index"),
    "pandas.core.arrays.categorical": ("Categorical",),
    "pandas.core.arrays.datetimes": ("DatetimeArray",),
    "pandas.core.arrays.timedeltas": ("TimedeltaArray",),
    "pandas.core.dtypes.dtypes": ("CategoricalDtype", "DatetimeTZDtype", "PeriodDtype"),
    "pandas.core.internals.managers": ("BlockManager", "SingleBlockManager"),
    "pandas.core.internals.blocks": ("Block", "new_block", "DatetimeTZBlock"),
    "pandas._libs.tslibs.timestamps": ("_unpickle_timestamp", "Timestamp"),
    "pandas._libs.tslibs.timedeltas": ("_timedelta_unpickle", "Timedelta"),
    "pandas._libs.tslibs.nattype": ("__nat_unpickle",),
    "torch": (
        "Size", "device", "dtype", "Tensor", "FloatStorage", "DoubleStorage", "HalfStorage",
        "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage", "CharStorage",
        "ByteStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage",
        "QUInt8Storage", "QInt8Storage", "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage",
        "UntypedStorage", "TypedStorage", "float32", "float", "float64", "double", "float16",
        "half", "bfloat16", "complex32", "complex64", "complex128", "cfloat", "cdouble",
        "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "short",
        "int", "long", "bool", "qint8", "quint8", "qint32", "quint4x2", "quint2x4",
        "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "strided",
        "sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr", "sparse_bsc", "_mkldnn",
        "contiguous_format", "channels_last", "channels_last_3d", "preserve_format",
        "per_tensor_affine", "per_channel_affine", "per_tensor_symmetric",
        "per_channel_symmetric", "per_channel_affine_float_qparams",
        # tensor types a legacy tar checkpoint records per tensor (torch.load ignores them)
        "FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor",
        "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor",
    ),
    "torch._utils": (
        "_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_parameter",
        "_rebuild_parameter_with_state", "_rebuild_qtensor", "_rebuild_sparse_tensor",
        "_rebuild_nested_tensor", "_rebuild_meta_tensor_no_storage",
        "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_numpy",
        "_rebuild_device_tensor_from_cpu_tensor",
    ),
    "torch._tensor": ("_rebuild_from_type_v2", "_rebuild_from_type", "Tensor"),
    "torch.storage": ("UntypedStorage", "TypedStorage", "_TypedStorage"),
    "torch.serialization": ("_get_layout",),
    "torch.nn.parameter": ("Parameter", "Buffer", "UninitializedParameter"),
    "torch.nn.modules.module": ("_IncompatibleKeys",),
    "joblib.numpy_pickle": ("NumpyArrayWrapper", "NDArrayWrapper", "ZNDArrayWrapper"),
    "joblib.numpy_pickle_compat": ("NDArrayWrapper", "ZNDArrayWrapper"),
    "sklearn.externals.joblib.numpy_pickle": (
        "NumpyArrayWrapper", "NDArrayWrapper", "ZNDArrayWrapper",
    ),
}

_MODULE_ALIASES = {"__builtin__": "builtins", "__builtins__": "builtins", "cPickle": "pickle"}
_SEVERITY_TO_KIND: dict[Severity, VerdictKind] = {
    Severity.CRITICAL: "dangerous", Severity.HIGH: "dangerous", Severity.MEDIUM: "unknown",
    Severity.LOW: "unknown", Severity.INFO: "unknown",
}
BAD_OVERRIDE = (
    "modelscan.globals: {key!r} = {value!r}; keys are \"module:name\" or \"module:*\", values "
    "\"safe\" or a severity (info, low, medium, high, critical)"
)


def normalize(module: str, name: str) -> tuple[str, str]:
    """The names Python 3 actually imports (``__builtin__`` → ``builtins``, ``copy_reg`` →
    ``copyreg``, ``commands`` → ``subprocess``): pickle's ``fix_imports`` applies the same map."""
    mapped = _compat_pickle.NAME_MAPPING.get((module, name))
    if mapped is not None:
        module, name = mapped
    else:
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
    return _MODULE_ALIASES.get(module, module), name


@lru_cache(maxsize=1)
def safe_globals() -> frozenset[tuple[str, str]]:
    """Every exact safe pair: the table above plus the generated ``safe_globals.txt``."""
    pairs = {(module, name) for module, names in _SAFE_TABLE.items() for name in names}
    # beside this module (a wheel installs it there); importlib.resources would cost the start-up
    # of every scan an import of tempfile and random
    text = Path(__file__).with_name(SAFE_GLOBALS_FILE).read_text(encoding="utf-8")
    pairs.update(parse_pairs(text.splitlines()))
    return frozenset(pairs)


def parse_pairs(lines: Iterable[str]) -> list[tuple[str, str]]:
    """``module:name`` lines (``#`` comments, blank lines ignored) as pairs."""
    pairs = []
    for line in lines:
        entry = line.split("#", 1)[0].strip()
        if entry:
            module, _, name = entry.partition(":")
            pairs.append((module.strip(), name.strip()))
    return pairs


def _dangerous_module(path: list[str]) -> tuple[str, str] | None:
    for end in range(len(path), 0, -1):
        prefix = ".".join(path[:end])
        reason = DANGEROUS_MODULES.get(prefix)
        if reason is not None:
            return prefix, reason
    return None


def _is_dunder(part: str) -> bool:
    return len(part) > 4 and part.startswith("__") and part.endswith("__")


def builtin_verdict(module: str, name: str) -> Verdict:
    """The built-in table's judgement of ``module.name`` (already normalised)."""
    pair = (module, name)
    if pair in safe_globals():
        return Verdict("safe", None, "known-safe reconstruction global")
    module_parts = module.split(".")
    name_parts = name.split(".")
    for part in name_parts:
        if _is_dunder(part):
            return Verdict(
                "dangerous", Severity.CRITICAL,
                f"reaches interpreter internals through the attribute {part}",
            )
    full = module_parts + name_parts
    # module prefixes, also when the "name" continues the module path (``torch:hub.load``)
    for end in range(len(full) - 1, 0, -1):
        prefix = ".".join(full[:end])
        reason = DANGEROUS_NAMES.get((prefix, full[end]))
        if reason is not None:
            return Verdict("dangerous", Severity.CRITICAL, f"{prefix}.{full[end]} {reason}")
    found = _dangerous_module(full[:-1] if len(full) > 1 else full)
    if found is not None:
        prefix, reason = found
        return Verdict("dangerous", Severity.CRITICAL, f"module {prefix} {reason}")
    if len(name_parts) == 1 and name in _MODULE_VALUE_NAMES:
        return Verdict("dangerous", Severity.CRITICAL, f"imports the module object {name}")
    if len(name_parts) > 1:
        for part in name_parts:
            if part in _CHAIN_MODULES:
                return Verdict(
                    "dangerous", Severity.CRITICAL,
                    f"the attribute chain walks into the module {part}",
                )
            if part in SINK_ATTRIBUTES:
                return Verdict(
                    "dangerous", Severity.CRITICAL,
                    f"the attribute chain reaches {part}, which can execute or load code",
                )
    note = UNKNOWN_NOTES.get(pair)
    if note is not None:
        return Verdict("unknown", Severity.MEDIUM, note)
    return Verdict("unknown", Severity.MEDIUM, "not on the allowlist of known-safe globals")


@lru_cache(maxsize=64)
def _parse_overrides(items: tuple[tuple[str, str], ...]) -> dict[str, Verdict]:
    parsed: dict[str, Verdict] = {}
    for key, value in items:
        module, sep, name = key.partition(":")
        if not sep or not module.strip() or not name.strip():
            raise MLSecConfigError(BAD_OVERRIDE.format(key=key, value=value))
        text = str(value).strip().lower()
        if text == "safe":
            verdict = Verdict("safe", None, f"allowed by settings ({key})")
        else:
            try:
                severity = Severity.parse(text)
            except Exception:
                raise MLSecConfigError(BAD_OVERRIDE.format(key=key, value=value)) from None
            verdict = Verdict(_SEVERITY_TO_KIND[severity], severity, f"set by settings ({key})")
        parsed[f"{module.strip()}:{name.strip()}"] = verdict
    return parsed


def _override_verdict(module: str, name: str, overrides: Mapping[str, str]) -> Verdict | None:
    table = _parse_overrides(tuple(sorted((str(k), str(v)) for k, v in overrides.items())))
    exact = table.get(f"{module}:{name}")
    if exact is not None:
        return exact
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        wildcard = table.get(".".join(parts[:end]) + ":*")
        if wildcard is not None:
            return wildcard
    return None


def classify(module: str, name: str, overrides: Mapping[str, str] | None = None) -> Verdict:
    """Judge the global ``module.name`` that a pickle imports.

    Parameters
    ----------
    module, name:
        As written in the pickle (``GLOBAL``/``STACK_GLOBAL``/``INST``); ``name`` may be dotted.
    overrides:
        ``ModelScanSettings.globals``: ``"module:name"``/``"module:*"`` → ``"safe"`` or a
        severity. Checked first (raw and normalised names), so users can allow their own
        classes or deny more.
    """
    if overrides:
        raw = _override_verdict(module, name, overrides)
        if raw is not None:
            return raw
    module, name = normalize(module, name)
    if overrides:
        mapped = _override_verdict(module, name, overrides)
        if mapped is not None:
            return mapped
    return _cached_builtin_verdict(module, name)


@lru_cache(maxsize=4096)
def _cached_builtin_verdict(module: str, name: str) -> Verdict:
    return builtin_verdict(module, name)
