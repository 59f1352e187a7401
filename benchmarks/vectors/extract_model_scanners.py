"""Harvest the model-scanner peers' own test samples, labelled by their own tests' assertions.

    python benchmarks/vectors/extract_model_scanners.py --picklescan GIT_DIR --modelscan GIT_DIR \\
        --fickling GIT_DIR --modelaudit GIT_DIR [--out DIR]

Each ``GIT_DIR`` is a clone or bare snapshot of github.com/mmaitre314/picklescan,
protectai/modelscan, trailofbits/fickling or promptfoo/modelaudit; ``HEAD`` is read with ``git
show``. Nothing of theirs is imported, run or unpickled: stored samples are copied as bytes;
samples their test code builds at run time are written here by our own code following what the
test builds (pickle opcodes through ``tests/corpus/assembler.py`` or opcode by opcode, zips with
``zipfile``); fickling's ``Pickled([op.X(...), ...])`` lists are read with ``ast`` and encoded
opcode by opcode.

Labels come from the peer's test: ``malicious`` where the test asserts a finding (a dangerous
global, an issue, a severity above "likely safe"), ``benign`` where it asserts none. A malicious
sample is kept byte for byte only when its payload is harmless (echo, print, id, whoami, ls, a
read of a file); otherwise its payload strings are replaced, opcode by opcode, with the canary's
(``CANARY-MARKER``, a file name relative to the working folder) or, for network calls, with the
discard port of 127.0.0.1; each such sample says so in ``payload``. Files over 2 MB and samples
no test labels are left out and listed in ``skipped``. Output: the samples under
``model_scanners/<peer>/`` and ``model_scanners/labels.json`` (default ``--out``: beside this
script).
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import pickle
import pickletools
import re
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from corpus.assembler import Call, Global, assemble  # noqa: E402

MARKER = "CANARY-MARKER"
CANARY_SHELL = f"touch {MARKER}"
CANARY_PYTHON = f"open({MARKER!r}, 'w').close()"
DISCARD_URL = "http://127.0.0.1:9/"
MAX_BYTES = 2 * 2**20

REPOS = {
    "picklescan": ("mmaitre314/picklescan", "MIT"),
    "modelscan": ("protectai/modelscan", "Apache-2.0"),
    "fickling": ("trailofbits/fickling", "LGPL-3.0"),
    "modelaudit": ("promptfoo/modelaudit", "MIT"),
}

# payload strings that would do more than print or read: replaced by the canary or a local port
REPLACE: dict[str, str | bytes] = {
    "install": "--version",  # pip.main(["install", "some_malicious_package", ...])
    "https://github.com": DISCARD_URL,
    "github.com": "127.0.0.1",
    "$(echo pwned)": MARKER,  # venv.create(dir): the directory it makes is the marker
    "pwned_config.env": MARKER,  # distutils write_file
    "evil.log": MARKER,  # logging.FileHandler creates its file
    "https://example.invalid": DISCARD_URL,
    'import os; os.system("curl https://webhook.invalid/1234")': CANARY_PYTHON,
    "import os; os.system('curl https://example.invalid')": CANARY_PYTHON,
    "cat ~/.aws/secrets": CANARY_SHELL,
    "rm -rf foobar.txt": CANARY_SHELL,
    "__import__('os').system('curl http://evil.com')": CANARY_PYTHON,
}
# by ending: ssl.get_server_certificate((fqdn, 443)); fickling's distutils write_file target
PREFIX_REPLACE = {".dns-logger.invalid": "127.0.0.1", "/malicious.txt": MARKER}
CONTAINS_REPLACE = {"cat ~/.aws/secrets": CANARY_SHELL}  # theirs ends in padding whitespace


@dataclass
class Sample:
    peer: str
    file: str  # under model_scanners/<peer>/
    data: bytes
    label: str
    path: str  # in the peer's repository ("" if its test builds it)
    test: str
    built: str = ""  # how we wrote it, for samples their tests generate


# -- reading a snapshot ---------------------------------------------------------------------

def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={repo}", *args], check=True,
                          capture_output=True).stdout


def listing(repo: Path, folder: str) -> list[tuple[str, int]]:
    rows = git(repo, "ls-tree", "-r", "-l", "HEAD", folder).decode().splitlines()
    out = []
    for row in rows:
        meta, path = row.split("\t", 1)
        size = meta.split()[3]
        out.append((path, int(size) if size.isdigit() else -1))
    return out


def show(repo: Path, path: str) -> bytes:
    return git(repo, "show", f"HEAD:{path}")


def tests_naming(sources: dict[str, str], name: str) -> list[str]:
    """``file::function`` of each test function whose source names ``name``."""
    found = []
    for file, text in sources.items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                segment = ast.get_source_segment(text, node) or ""
                if name in segment:
                    found.append(f"{file}::{node.name}")
    return found


# -- rewriting payload strings opcode by opcode -----------------------------------------------

def encode(name: str, arg: Any) -> bytes:
    """One opcode with its argument, in the encoding pickletools documents for it."""
    opcode = next(o for o in pickletools.opcodes if o.name == name)
    code = opcode.code.encode("latin-1")
    kind = opcode.arg.name if opcode.arg else None
    if kind is None:
        return code
    if kind == "uint1":
        return code + bytes([arg])
    if kind in ("uint2", "int4", "uint4", "uint8"):
        return code + struct.pack({"uint2": "<H", "int4": "<i", "uint4": "<I",
                                   "uint8": "<Q"}[kind], arg)
    if kind in ("decimalnl_short", "decimalnl_long"):
        text = {True: "01", False: "00"}.get(arg, str(arg)) if isinstance(arg, bool) else str(arg)
        return code + text.encode() + (b"L" if kind == "decimalnl_long" else b"") + b"\n"
    if kind == "stringnl_noescape_pair":
        return code + "\n".join(arg.split(" ", 1)).encode() + b"\n"
    if kind == "stringnl_noescape":
        return code + str(arg).encode() + b"\n"
    if kind == "stringnl":
        return code + repr(arg).encode() + b"\n"
    if kind == "unicodestringnl":
        return code + arg.encode("raw-unicode-escape") + b"\n"
    raw = arg.encode("utf-8") if isinstance(arg, str) else bytes(arg)
    if kind in ("unicodestring1", "string1", "bytes1"):
        return code + bytes([len(raw)]) + raw
    if kind in ("unicodestring4", "string4", "bytes4"):
        return code + struct.pack("<I", len(raw)) + raw
    if kind in ("unicodestring8", "bytes8", "bytearray8"):
        return code + struct.pack("<Q", len(raw)) + raw
    if kind in ("long1", "long4"):
        body = pickle.encode_long(arg)  # type: ignore[attr-defined]
        size = bytes([len(body)]) if kind == "long1" else struct.pack("<i", len(body))
        return code + size + body
    if kind == "float8":
        return code + struct.pack(">d", arg)
    if kind == "floatnl":
        return code + repr(arg).encode() + b"\n"
    raise ValueError(f"no encoder for {name} ({kind})")


_WIDER = {"SHORT_BINUNICODE": "BINUNICODE", "SHORT_BINBYTES": "BINBYTES",
          "SHORT_BINSTRING": "BINSTRING"}


def replacement(arg: Any) -> Any:
    if isinstance(arg, str):
        if arg in REPLACE:
            return REPLACE[arg]
        for suffix, new in PREFIX_REPLACE.items():
            if arg.endswith(suffix):
                return new
        for part, new in CONTAINS_REPLACE.items():
            if part in arg:
                return new
    return None


def rewrite_pickle(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` with every payload string in ``REPLACE`` swapped; FRAMEs dropped if anything was.

    Streams may follow one another (their tests concatenate pickles); bytes after the last one
    are kept. A stream that does not parse to its end is left as it is from there on.
    """
    out, changes, position = bytearray(), [], 0
    stream = io.BytesIO(data)
    changed_any = False
    pieces: list[tuple[str, bytes]] = []
    while position < len(data):
        try:
            ops = list(pickletools.genops(stream))
        except (ValueError, EOFError, struct.error):
            break
        for index, (opcode, arg, start) in enumerate(ops):
            end = ops[index + 1][2] if index + 1 < len(ops) else stream.tell()
            new = replacement(arg)
            if new is None:
                pieces.append((opcode.name, data[start:end]))
                continue
            name = opcode.name
            if isinstance(new, str) and name in _WIDER and len(new.encode()) > 255:
                name = _WIDER[name]
            pieces.append((name, encode(name, new)))
            text = str(arg)
            shown = (f"a path ending {text[text.rfind('/'):]!r}" if text.startswith("/")
                     else repr(arg))
            changes.append(f"{shown} -> {new!r}")
            changed_any = True
        position = stream.tell()
    for name, raw in pieces:
        if not (changed_any and name == "FRAME"):
            out += raw
    out += data[position:]
    return bytes(out), changes


def rewrite_any(data: bytes) -> tuple[bytes, list[str]]:
    """Rewrite a pickle, a zip's pickle members, an .npy's pickle, or a broken text stream."""
    if data[:2] == b"PK":
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
            bodies = {info.filename: source.read(info) for info in source.infolist()}
        except (zipfile.BadZipFile, RuntimeError, ValueError):
            return data, []  # encrypted or deliberately damaged: their payloads are harmless
        changes, rewritten = [], {}
        for name, body in bodies.items():
            rewritten[name], changed = rewrite_pickle(body)
            changes += [f"{name}: {c}" for c in changed]
        if not changes:
            return data, []
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                target.writestr(info, rewritten[info.filename])
        return buffer.getvalue(), changes
    if data[:6] == b"\x93NUMPY":
        header_end = data.index(b"\n") + 1
        body, changes = rewrite_pickle(data[header_end:])
        return data[:header_end] + body, changes
    body, changes = rewrite_pickle(data)
    if not changes and b"exec\n(X" in data:  # picklescan's broken_model.pkl: cannot be parsed
        start = data.index(b"\nf = open(")
        body = data[:start] + b"\n" + CANARY_PYTHON.encode() + data[data.index(b"tRX."):]
        changes = ["exec code -> canary (stream truncated as theirs is)"]
    return body, changes


# -- picklescan -------------------------------------------------------------------------------

PICKLESCAN_BENIGN = re.compile(
    r"benign|pytorch_model\.bin$|bad_pytorch|not_a_pickle|int_array|object_array")


def picklescan(repo: Path) -> tuple[list[Sample], list[str]]:
    sources = {"tests/test_scanner.py": show(repo, "tests/test_scanner.py").decode()}
    samples, skipped = [], []
    for path, size in listing(repo, "tests/data") + listing(repo, "tests/data2"):
        name = path.rsplit("/", 1)[1]
        tests = tests_naming(sources, name)
        if path.endswith(".py") or name == "__init__.py":
            continue
        if size > MAX_BYTES:
            skipped.append(f"picklescan {path}: {size} bytes (> 2 MB)")
            continue
        if path.startswith("tests/data/"):  # the directory test scans all of tests/data
            tests.append("tests/test_scanner.py::test_scan_directory_path")
        if not tests:
            skipped.append(f"picklescan {path}: no test asserts a verdict on it")
            continue
        label = "benign" if PICKLESCAN_BENIGN.search(name) else "malicious"
        if name == "malicious6.pkl":  # a benign pickle followed by requests.get
            label = "malicious"
        samples.append(Sample("picklescan", path.split("tests/", 1)[1], show(repo, path), label,
                              path, ", ".join(tests)))
    # built inside test_scanner.py (Malicious1/Malicious2/Suspicious, the mocked downloads)
    test = "tests/test_scanner.py::"
    eval_print = Call(Global("builtins", "eval"), ("print('456')",))
    samples += [
        Sample("picklescan", "generated/malicious1_eval.pkl", pickle_of(eval_print, 4),
               "malicious", "", test + "test_scan_pickle_bytes", "Malicious1 at protocol 4"),
        Sample("picklescan", "generated/malicious2_system.pkl",
               pickle_of(Call(Global("posix", "system"), ("ls -la",)), 4), "malicious", "",
               test + "test_scan_url", "Malicious2 (os.system; posix on Linux)"),
        Sample("picklescan", "generated/suspicious_counter.pkl",
               pickle_of(Call(Global("collections", "Counter"), ([1, 2, 3],)), 4), "benign", "",
               test + "test_scan_pickle_bytes_strict",
               "Suspicious: collections.Counter; not dangerous unless strict"),
        Sample("picklescan", "generated/benign_dict.pkl",
               pickle.dumps({"a": 0, "b": 1, "c": 2}), "benign", "", test + "test_scan_url",
               "the mocked benign download"),
        Sample("picklescan", "generated/benign_dict.zip",
               zip_of({"data.pkl": pickle.dumps({"a": 0, "b": 1, "c": 2})}), "benign", "",
               test + "test_scan_url", "the mocked benign zip download"),
        Sample("picklescan", "generated/malicious1.zip",
               zip_of({"data.pkl": pickle_of(eval_print, 4)}), "malicious", "",
               test + "test_scan_zip_bytes", "Malicious1 in data.pkl of a zip"),
        Sample("picklescan", "generated/huggingface_model.bin",
               zip_of({"archive/data.pkl": pickle_of(eval_print, 4)}), "malicious", "",
               test + "test_scan_huggingface_model", "the mocked pytorch_model.bin download"),
    ]
    return samples, skipped


def pickle_of(value: Any, protocol: int) -> bytes:
    return assemble(value, protocol=protocol)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():  # a fixed date: the same bytes on every run
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body)
    return buffer.getvalue()


# -- modelscan --------------------------------------------------------------------------------

def modelscan(repo: Path) -> tuple[list[Sample], list[str]]:
    test = "tests/test_modelscan.py::"
    samples = [
        Sample("modelscan", "data/unsafe_zip_pytorch.pt",
               show(repo, "tests/data/unsafe_zip_pytorch.pt"),
               "malicious", "tests/data/unsafe_zip_pytorch.pt", test + "test_scan_pytorch"),
        Sample("modelscan", "data/password_protected.zip",
               show(repo, "tests/data/password_protected.zip"), "benign",
               "tests/data/password_protected.zip", test + "test_scan_directory_path"),
    ]
    gen = "generated/"
    eval_print = Call(Global("builtins", "eval"), ("print('456')",))
    system = Call(Global("posix", "system"), ("ls -la",))
    for version in (0, 3, 4):
        samples += [
            Sample("modelscan", f"{gen}benign0_v{version}.pkl",
                   pickle.dumps(["a", "b", "c"], protocol=version), "benign", "",
                   test + "test_scan_file_path", f"['a', 'b', 'c'] at protocol {version}"),
            Sample("modelscan", f"{gen}malicious1_v{version}.pkl", pickle_of(eval_print, version),
                   "malicious", "", test + "test_scan_file_path", f"Malicious1 at {version}"),
            Sample("modelscan", f"{gen}malicious2_v{version}.pkl", pickle_of(system, version),
                   "malicious", "", test + "test_scan_file_path", f"Malicious2 at {version}"),
        ]
    raw = {
        "malicious0.pkl": (
            b'c__builtin__\nglobals\n(tRp100\n0c__builtin__\ncompile\n(S\'fl=open("/etc/passwd");'
            b"picklesmashed=fl.read();'\nS''\nS'exec'\ntRp101\n0c__builtin__\neval\n(g101\ng100"
            b"\ntRp102\n0c__builtin__\ngetattr\n(c__builtin__\ndict\nS'get'\ntRp103\n0c__builtin__"
            b"\napply\n(g103\n(g100\nS'picklesmashed'\nltRp104\n0g104\n."),
        "malicious10.pkl": b"(S'print(\"Injection running\")'\ni__builtin__\nexec\n.",
        "malicious11.pkl": _memo_stack_global(b""),
        "malicious12.pkl": _nested_loads(),
        "malicious13.pkl": (b"\x80\x05cbuiltins\neval.__call__\nV__import__(\"os\").system("
                            b"\"echo pwned!!!\")\n\x85R."),
        "malicious14.pkl": _memo_stack_global(b"\n\n\t\t"),
    }
    calls = {
        "malicious3.pkl": (Call(Global("http.client", "HTTPSConnection"), ("127.0.0.1",)), 4,
                           "HTTPSConnection (github.com -> 127.0.0.1)"),
        "malicious4.pickle": (Call(Global("requests.api", "get"), (DISCARD_URL,)), 4,
                              "requests.get (github.com -> 127.0.0.1 discard port)"),
        "malicious5.pickle": (Call(Global("aiohttp.client", "ClientSession")), 4,
                              "aiohttp.ClientSession()"),
        "malicious7.pkl": (Call(Global("socket", "create_connection"), (("127.0.0.1", 9),)), 4,
                           "socket.create_connection (github.com:80 -> 127.0.0.1:9)"),
        "malicious8.pkl": (Call(Global("subprocess", "run"), (["ls", "-l"],)), 4,
                           "subprocess.run(['ls', '-l'])"),
        "malicious9.pkl": (Call(Global("sys", "exit"), (0,)), 4, "sys.exit(0)"),
        "malicious15.pkl": (Call(Global("bdb", "Bdb.run"), (
            Call(Global("bdb", "Bdb")), 'import os\nos.system("whoami")')), 4,
            "bdb.Bdb.run(Bdb(), code); their Bdb instance is pickled by state, ours by a call"),
    }
    for name, body in raw.items():
        samples.append(Sample("modelscan", gen + name, body, "malicious", "",
                              test + "test_scan_file_path", "their bytes, written out"))
    for name, (value, protocol, how) in calls.items():
        samples.append(Sample("modelscan", gen + name, pickle_of(value, protocol), "malicious",
                              "", test + "test_scan_file_path", how))
    samples += [
        Sample("modelscan", gen + "malicious6.pkl",
               pickle.dumps(["a", "b", "c"]) + pickle_of(calls["malicious4.pickle"][0], 4),
               "malicious", "", test + "test_scan_file_path",
               "a benign pickle followed by requests.get (URL -> 127.0.0.1)"),
        Sample("modelscan", gen + "malicious1.zip",
               zip_of({"data.pkl": pickle_of(eval_print, 4)}), "malicious", "",
               test + "test_scan_zip", "Malicious1 in data.pkl of a zip"),
        Sample("modelscan", gen + "bad_pytorch.pt", b"\211PNG\r\n\032\n", "benign", "",
               test + "test_scan_pytorch", "PNG magic with a .pt name"),
        Sample("modelscan", gen + "safe_numpy.npy", _npy_int(), "benign", "",
               test + "test_scan_numpy", "np.save of [[1, 2, 3], [4, 5, 6]]"),
        Sample("modelscan", gen + "unsafe_numpy.npy", _npy_injected(), "malicious", "",
               test + "test_scan_numpy",
               "object-array .npy whose pickle runs exec('print(\"Malicious code!\")') first"),
    ]
    skipped = ["modelscan dill files (benign0_v*.dill, malicious1_v*.dill): dill is not a "
               "dependency; the same objects are in the .pkl samples",
               "modelscan Keras/TensorFlow models (test_scan_keras, test_scan_tensorflow): built "
               "with TensorFlow, not installed here",
               "modelscan safe torch saves (safe_zip_pytorch.pt, safe_old_format_pytorch.pt): "
               "their PyTorchTestModel; torch whole-model saves are in tests/corpus already"]
    return samples, skipped


def _memo_stack_global(tail: bytes) -> bytes:
    return (b"Vos\np2\n0Vsystem\np3\n0Vtorch\np0\n0VLongStorage\np1\n0g2\ng3\n\x93(Vcat flag.txt"
            b"\nt" + b"R." + tail)


def _nested_loads() -> bytes:
    inner = b"\x80\x05cos\nsystem\nVecho pwned!!!\n\x85R."
    return (b"\x80\x05cpickle\nloads\nB" + struct.pack("<I", len(inner)) + inner
            + b"\x85R0N.")


def _npy_header(descr: str, shape: tuple[int, ...]) -> bytes:
    text = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}"
    text += " " * (63 - (10 + len(text)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def _npy_int() -> bytes:
    return _npy_header("<i8", (2, 3)) + struct.pack("<6q", 1, 2, 3, 4, 5, 6)


def _npy_injected() -> bytes:
    call = Call(Global("builtins", "exec"), ('print("Malicious code!")',))
    body = assemble(call, protocol=4)[:-1] + b"0" + pickle.dumps([[1, 2, 3], [4, 5, 6]], 4)[2:]
    return _npy_header("|O", (2, 3)) + body


# -- fickling ---------------------------------------------------------------------------------

FICKLING_TESTS = "test/test_bypasses.py"
_NAMED = {"TupleOne": "TUPLE1", "TupleTwo": "TUPLE2", "TupleThree": "TUPLE3",
          "NoneOpcode": "NONE"}


def fickling_opcode(name: str) -> str:
    if name in _NAMED:
        return _NAMED[name]
    wanted = name.lower()
    for opcode in pickletools.opcodes:
        if opcode.name.replace("_", "").lower() == wanted:
            return opcode.name
    raise ValueError(name)


class _Unsupported(Exception):
    pass


def _value(node: ast.expr, local: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name) and node.id in local:
        return local[node.id]
    if (isinstance(node, ast.Call) and ast.unparse(node.func) == "marshal.dumps"
            and isinstance(node.args[0], ast.Name)):
        return local[node.args[0].id]
    try:
        return ast.literal_eval(node)
    except ValueError as error:
        raise _Unsupported(ast.unparse(node)) from error


def _pickled(node: ast.Call, local: dict[str, Any]) -> bytes:
    out = b""
    for item in node.args[0].elts:  # type: ignore[attr-defined]
        if not isinstance(item, ast.Call):
            raise _Unsupported(ast.unparse(item))
        func = item.func
        create = isinstance(func, ast.Attribute) and func.attr == "create"
        name = func.value.attr if create else func.attr  # type: ignore[attr-defined]
        args = [_value(a, local) for a in item.args]
        opcode = fickling_opcode(name)
        if opcode in ("GLOBAL", "INST") and len(args) == 2:
            args = [f"{args[0]} {args[1]}"]
        out += encode(opcode, args[0] if args else None)
    return out


def fickling(repo: Path) -> tuple[list[Sample], list[str]]:
    text = show(repo, FICKLING_TESTS).decode()
    samples, skipped = [], []
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test")):
            continue
        source = ast.get_source_segment(text, node) or ""
        calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)
                 and ast.unparse(c.func) == "Pickled" and c.args
                 and isinstance(c.args[0], ast.List)]
        if len(calls) != 1 or "subTest" in source:
            continue  # built by fickling_loops below
        if re.search(r"assertGreater(Equal)?\(\s*(check_safety|res)", source):
            label = "malicious"
        elif "LIKELY_SAFE, check_safety" in source or "assertIsNone(detailed" in source:
            label = "benign"
        else:
            skipped.append(f"fickling {node.name}: asserts no verdict")
            continue
        local: dict[str, Any] = {}
        for statement in node.body:
            if (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                    and ast.unparse(statement.value.func) == "compile"):
                # their payload is os.system("id"); the code object is compiled, never run
                code = compile(CANARY_PYTHON, "<string>", "exec")
                import marshal

                local[statement.targets[0].id] = marshal.dumps(code)  # type: ignore[attr-defined]
        try:
            data = _pickled(calls[0], local)
        except (_Unsupported, ValueError) as error:
            skipped.append(f"fickling {node.name}: cannot encode {error}")
            continue
        rewritten, changes = rewrite_pickle(data)
        built = "their opcode list, encoded here" + (
            "; compiled code -> canary" if local else "")
        samples.append(Sample("fickling", f"generated/{node.name}.pkl", rewritten, label, "",
                              f"{FICKLING_TESTS}::{node.name}",
                              built + ("; " + "; ".join(changes) if changes else "")))
    samples += fickling_loops(repo)
    path = "test/fixtures/squeezenet1_0_torchscript_v1_4.pt"
    skipped.append(f"fickling {path}: stored with Git LFS, not in the snapshot")
    skipped.append("fickling test_pickle.py, test_crashes.py, test_polyglot.py, ...: they build "
                   "objects through fickling's own API (not opcode lists)")
    return samples, skipped


def _global_call(module: str, name: str, *args: Any) -> bytes:
    """PROTO 4, GLOBAL module name, the args as a tuple, REDUCE, STOP (their opcode shape)."""
    out = encode("PROTO", 4) + encode("GLOBAL", f"{module} {name}")
    for arg in args:
        out += (encode("SHORT_BINUNICODE", arg) if isinstance(arg, str)
                else encode("BININT2", arg))
    tuples = {0: "EMPTY_TUPLE", 1: "TUPLE1", 2: "TUPLE2", 3: "TUPLE3"}
    return out + encode(tuples[len(args)], None) + encode("REDUCE", None)


def _stack_global(module: str, name: str) -> bytes:
    return (encode("PROTO", 4) + encode("SHORT_BINUNICODE", module)
            + encode("SHORT_BINUNICODE", name) + encode("STACK_GLOBAL", None))


def _framed(body: bytes, declared: int) -> bytes:
    return b"\x80\x05\x95" + struct.pack("<Q", declared) + body


def _frame_divergence() -> bytes:
    hidden = b"cos\nsystem\nVecho pwned\n\x85R"
    return (b"\x80\x05NV" + b"a" * (8192 * 16 - 17) + b"\n0(\x95" + struct.pack("<Q", 2)
            + b"B\x07\x01\x00\x00\x00\x00" + (hidden + b"(").ljust(256 + 5, b"N") + b"1.")


def _class_dict(text: str, name: str) -> dict[str, Any]:
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == name:
            return dict(ast.literal_eval(node.value))  # type: ignore[arg-type]
    raise ValueError(f"{name} not found")


def fickling_loops(repo: Path) -> list[Sample]:
    """The tests that build their pickles in a loop (``subTest``), written out case by case."""
    test = f"{FICKLING_TESTS}::"
    out: list[tuple[str, bytes, str, str, str]] = []  # file, data, label, test, how
    for module, cls, port in (("smtplib", "SMTP", 25), ("imaplib", "IMAP4", 143),
                              ("ftplib", "FTP", 21), ("poplib", "POP3", 110),
                              ("telnetlib", "Telnet", 23), ("nntplib", "NNTP", 119)):
        out.append((f"ssrf_{module}.pkl", _global_call(module, cls, "127.0.0.1", port)
                    + b"}b.", "malicious", "test_network_protocol_ssrf",
                    f"{module}.{cls}('127.0.0.1', {port}) then BUILD {{}}"))
    for module in ("_interpreters", "_xxsubinterpreters"):
        out.append((f"interpreters_{module}.pkl", _stack_global(module, "create") + b")R.",
                    "malicious", "test_private_stdlib_interpreters_blocklisted",
                    f"{module}.create()"))
    for module, name in (("_codecs", "encode"), ("__future__", "annotations")):
        out.append((f"allowlist_{module}_{name}.pkl", _stack_global(module, name) + b".",
                    "benign", "test_private_stdlib_allowlist", f"import of {module}.{name}"))
    out.append(("allowlist___future___ssl_RAND_bytes.pkl",
                _stack_global("__future__", "_ssl.RAND_bytes") + b".", "malicious",
                "test_private_stdlib_allowlist", "import of __future__._ssl.RAND_bytes"))
    out.append(("frame_boundary_divergence.pkl", _frame_divergence(), "malicious",
                "test_frame_boundary_divergence",
                "their hand-assembled bytes: a FRAME of 2 bytes, BINBYTES reading 0x107"))
    straddles = {
        "BINBYTES": _framed(b"B" + struct.pack("<I", 20) + b"A" * 20, 5),
        "SHORT_BINUNICODE": _framed(b"\x8c\x14" + b"A" * 20, 3),
        "GLOBAL_module": _framed(b"cmacos\nsystem\n", 4),
        "GLOBAL_attr": _framed(b"cos\nsystem\n", 7),
        "UNICODE": _framed(b"Vhello world\n", 5),
        "BININT": _framed(b"J" + struct.pack("<i", 7), 2),
        "nested_frame": (b"\x80\x05\x95" + struct.pack("<Q", 30) + b"N\x95"
                         + struct.pack("<Q", 2) + b"N"),
    }
    for name, body in straddles.items():
        out.append((f"frame_straddle_{name}.pkl", body + b".", "malicious",
                    "test_frame_boundary_straddle_variants",
                    f"a FRAME whose declared length ends inside {name}"))
    well_formed = {"small_list": [1, 2, 3, 4], "large_unframed_bytes": b"x" * 100000,
                   "interleaved": [1, b"y" * 100000, 2], "several_frames": list(range(200000)),
                   "nested": {"a": [1, 2, {"b": (3, 4)}], "c": [5, 6]}}
    for name, obj in well_formed.items():
        for protocol in (2, 4, 5):
            out.append((f"well_formed_{name}_p{protocol}.pkl",
                        pickle.dumps(obj, protocol=protocol), "benign",
                        "test_well_formed_frames_are_not_flagged",
                        f"pickle.dumps of their {name} at protocol {protocol}"))
    analysis = show(repo, "fickling/analysis.py").decode()
    for module in _class_dict(analysis, "UNSAFE_MODULES"):
        out.append((f"unsafe_module_{module}.pkl", _global_call(module, "dangerous") + b".",
                    "malicious", "TestUnsafeModuleCoverage::test_all_unsafe_modules_detected",
                    f"{module}.dangerous() (their made-up name), no arguments"))
    for module, funcs in _class_dict(analysis, "UNSAFE_IMPORTS").items():
        for func in funcs:
            out.append((f"unsafe_import_{module}.{func}.pkl",
                        _global_call(module, func) + b".", "malicious",
                        "TestUnsafeModuleCoverage::test_all_unsafe_imports_detected",
                        f"{module}.{func}(), no arguments"))
    return [Sample("fickling", f"generated/{file}", data, label, "", test + name, how)
            for file, data, label, name, how in out]


# -- modelaudit -------------------------------------------------------------------------------

MODELAUDIT_CORPUS = "tests/test_regression_corpus.py"
MODELAUDIT = {
    # path under tests/assets: (label, test)
    **{f"exploits/{n}": ("malicious", "tests/test_regression_corpus.py::"
                         "TestMaliciousFixtures::test_malicious_file_detected") for n in (
        "exploit1_basic_torch_bypass.pkl", "exploit2_advanced_torch_bypass.pkl",
        "exploit3_sophisticated_hybrid.pkl", "exploit4_supply_chain_attack.pkl",
        "exploit5_ultra_high_confidence.pkl", "exploit6_ordereddict_bypass.pkl",
        "exploit7_nested_collections.pkl", "exploit9_manual_construction.pkl",
        "exploit_ultimate_50pct.pkl")},
    **{f"samples/pickles/{n}": ("malicious", "tests/test_regression_corpus.py::"
                                "TestMaliciousFixtures::test_malicious_file_detected") for n in (
        "malicious_system_call.pkl", "malicious_model_realistic.pkl", "decode_exec_chain.pkl",
        "evil.pickle", "nested_pickle_raw.pkl", "nested_pickle_hex.pkl",
        "nested_pickle_base64.pkl", "nested_pickle_multistage.pkl")},
    "samples/safetensors/malicious_import.safetensors": (
        "malicious", "tests/test_regression_corpus.py::TestMaliciousFixtures"),
    "samples/pytorch/malicious_eval.pt": (
        "malicious", "tests/test_regression_corpus.py::TestMaliciousFixtures"),
    "samples/archives/path_traversal.zip": (
        "malicious", "tests/test_regression_corpus.py::TestMaliciousFixtures"),
    **{f"samples/pickles/{n}": ("benign", "tests/test_regression_corpus.py::"
                                "TestSafeFixtures::test_safe_file_clean") for n in (
        "safe_data.pkl", "safe_large_model.pkl", "safe_model_with_binary.pkl",
        "safe_model_with_encoding.pkl", "safe_model_with_tokens.pkl",
        "safe_nested_structure.pkl")},
    "samples/safetensors/safe_model.safetensors": (
        "benign", "tests/test_regression_corpus.py::TestSafeFixtures"),
    "samples/pytorch/safe_model.pt": (
        "benign", "tests/test_regression_corpus.py::TestSafeFixtures"),
    "samples/archives/safe_model.zip": (
        "benign", "tests/test_regression_corpus.py::TestSafeFixtures"),
    "pickles/memo_attack.pkl": (
        "malicious", "tests/scanners/test_pickle_scanner.py::test_memo_object_tracking"),
    "pickles/multiple_stream_attack.pkl": (
        "malicious", "tests/scanners/test_pickle_scanner.py::test_multiple_pickle_streams"),
    "pickles/stack_global_attack.pkl": (
        "malicious", "tests/scanners/test_pickle_scanner.py::test_stack_global_detection"),
    "pickles/nt_alias_attack.pkl": (
        "malicious", "tests/test_os_alias_detection.py::test_nt_alias_detection"),
    "pickles/posix_alias_attack.pkl": (
        "malicious", "tests/test_os_alias_detection.py::test_posix_alias_detection"),
    "samples/pickles/dill_func.pkl": (
        "malicious", "tests/scanners/test_pickle_scanner.py::test_scan_dill_pickle "
                     "(asserts a warning about dill)"),
    "samples/pipeline.skops": (
        "benign", "tests/scanners/test_skops_scanner.py::"
                  "test_scan_real_skops_model_no_cve_false_positives"),
    "scenarios/security_scenarios/mixed_malicious_model/model.pkl": (
        "malicious", "tests/conftest.py (the mixed_malicious_model scenario)"),
}


def modelaudit(repo: Path) -> tuple[list[Sample], list[str]]:
    samples, skipped = [], []
    for path, size in listing(repo, "tests/assets"):
        short = path.removeprefix("tests/assets/")
        if short not in MODELAUDIT:
            if not short.endswith((".py", ".json", ".j2", ".jinja", ".template", ".yaml",
                                   ".csv")) and "LICENSE" not in short:
                skipped.append(f"modelaudit {path}: no test asserts a verdict on it")
            continue
        if size > MAX_BYTES:
            skipped.append(f"modelaudit {path}: {size} bytes (> 2 MB)")
            continue
        label, test = MODELAUDIT[short]
        samples.append(Sample("modelaudit", short, show(repo, path), label, path, test))
    skipped.append("modelaudit jinja2/manifest/licence samples (.json/.j2/.yaml/.csv/.py): "
                   "chat templates and licences, not model files this benchmark compares")
    skipped.append("modelaudit samples its tests build at run time (hundreds, through its "
                   "own generators and ML libraries): not harvested yet")
    return samples, skipped


# -- writing --------------------------------------------------------------------------------

def neutralise(sample: Sample) -> str:
    """Replace a harmful payload in place; say what was done (empty: kept as theirs)."""
    if sample.label != "malicious":
        return ""
    data, changes = rewrite_any(sample.data)
    if not changes:
        return ""
    sample.data = data
    return "rebuilt: " + "; ".join(changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for peer in REPOS:
        parser.add_argument(f"--{peer}", type=Path, required=True,
                            help=f"git dir of github.com/{REPOS[peer][0]}")
    parser.add_argument("--out", type=Path, default=HERE / "model_scanners")
    args = parser.parse_args(argv)
    harvest = {"picklescan": picklescan, "modelscan": modelscan, "fickling": fickling,
               "modelaudit": modelaudit}
    entries, skipped, commits = [], [], {}
    for peer, read in harvest.items():
        repo = getattr(args, peer)
        commits[peer] = git(repo, "rev-parse", "HEAD").decode().strip()
        samples, left_out = read(repo)
        skipped += left_out
        for sample in samples:
            payload = neutralise(sample) or "kept: harmless as theirs is"
            if sample.label == "benign":
                payload = "benign"
            target = args.out / peer / sample.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sample.data)
            entries.append({
                "file": f"{peer}/{sample.file}", "label": sample.label,
                "peer": peer, "source_repo": f"https://github.com/{REPOS[peer][0]}",
                "commit": commits[peer], "path": sample.path or None,
                "built": sample.built or None, "test": sample.test,
                "licence": REPOS[peer][1], "payload": payload,
            })
        licence = "LICENSE" if peer != "fickling" else "LICENSE"
        (args.out / peer / "LICENSE").write_bytes(show(repo, licence))
    document = {"about": "labels of the model-scanner peers' own test samples; see "
                         "benchmarks/vectors/extract_model_scanners.py",
                "commits": commits, "samples": sorted(entries, key=lambda e: str(e["file"])),
                "skipped": skipped}
    (args.out / "labels.json").write_text(json.dumps(document, indent=1) + "\n")
    for peer in REPOS:
        mine = [e for e in entries if e["peer"] == peer]
        bad = sum(e["label"] == "malicious" for e in mine)
        print(f"{peer}: {bad} malicious, {len(mine) - bad} benign")
    print(f"skipped: {len(skipped)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
