"""The pickle opcode emulator on real benign pickles, canary-payload pickles and hostile bytes.

Nothing here is ever unpickled. Malicious samples carry a payload that would only create a marker
file under the test's ``tmp_path``; an autouse fixture asserts the marker never appears.
"""

from __future__ import annotations

import collections
import datetime
import decimal
import fractions
import functools
import gzip
import io
import operator
import os
import pickle
import pickletools
import random
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlsecops_jupyter.checks.modelscan.context import ScanContext, ScanLimitReached, ScanState
from mlsecops_jupyter.checks.modelscan.pickle_scan import (
    PickleResult,
    looks_like_pickle,
    scan_pickle,
    scan_pickle_stream,
)
from mlsecops_jupyter.checks.modelscan.source import MemorySource, StreamSource
from mlsecops_jupyter.core.finding import Finding
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

P = pickle  # opcode constants: P.GLOBAL, P.REDUCE, ...


@pytest.fixture
def marker(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "PAYLOAD-RAN"
    yield path
    assert not path.exists(), "a canary payload ran: something unpickled a sample"


@pytest.fixture(autouse=True)
def _marker_guard(marker: Path) -> Iterator[None]:
    assert not marker.exists()
    yield
    assert not marker.exists()


def scan(blob: bytes, settings: Settings | None = None, *, stream: bool = False,
         ) -> tuple[list[PickleResult], list[Finding]]:
    state = ScanState((settings or Settings()).modelscan)
    ctx = ScanContext(state, "sample.pkl")
    if stream:
        source: Any = StreamSource(gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(blob))),
                                   state, "gzip")
    else:
        source = MemorySource(blob)
    return scan_pickle_stream(source, ctx), state.findings


def at_least(findings: list[Finding], severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity >= severity]


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def global_offsets(blob: bytes) -> list[int]:
    """Offsets of GLOBAL/STACK_GLOBAL/INST opcodes (pickletools only parses, never loads)."""
    return [pos for op, _, pos in pickletools.genops(blob)
            if op.name in ("GLOBAL", "STACK_GLOBAL", "INST")]


# -- benign: real objects, every protocol ----------------------------------------------------
def _fitted_models() -> list[Any]:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, 3))
    labels = (features[:, 0] > 0).astype(int)
    categories = np.array([["a"], ["b"], ["c"]] * 20)
    return [
        LogisticRegression().fit(features, labels),
        RandomForestClassifier(n_estimators=3, random_state=0).fit(features, labels),
        make_pipeline(StandardScaler(), LogisticRegression()).fit(features, labels),
        OneHotEncoder().fit(categories),
    ]


BENIGN: dict[str, Callable[[], Any]] = {
    "builtins": lambda: {"a": [1, 2.5, "x", None, True], "b": (1, b"raw", {3}), "c": frozenset()},
    "numpy": lambda: [np.arange(12.0).reshape(3, 4), np.array([1, "a"], dtype=object),
                      np.zeros(2, dtype=[("a", "f4"), ("b", "i8")]), np.float32(1.5),
                      np.random.default_rng(0), np.ma.masked_array([1, 2], [0, 1])],
    "pandas": lambda: pd.DataFrame({
        "int": [1, 2], "float": [0.5, np.nan], "str": ["a", None],
        "cat": pd.Categorical(["x", "y"]), "when": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        "tz": pd.date_range("2024-01-01", periods=2, tz="Europe/Paris"),
        "nullable": pd.array([1, None], dtype="Int64")}),
    "sklearn": _fitted_models,
    "stdlib": lambda: [datetime.datetime(2024, 1, 2, 3, 4), datetime.date(2024, 1, 1),
                       datetime.timedelta(3), decimal.Decimal("1.10"), uuid.UUID(int=7),
                       fractions.Fraction(1, 3), collections.OrderedDict(a=1),
                       collections.defaultdict(list), collections.Counter("abca"),
                       collections.deque([1, 2]), datetime.timezone.utc],
}


@pytest.mark.parametrize("protocol", range(6))
@pytest.mark.parametrize("kind", BENIGN)
def test_benign_objects_raise_nothing(kind: str, protocol: int) -> None:
    blob = pickle.dumps(BENIGN[kind](), protocol=protocol)
    results, findings = scan(blob)
    assert [r.ok for r in results] == [True], results
    assert results[0].end == len(blob)
    assert not at_least(findings, Severity.LOW), findings


def test_benign_protocol_5_pickle_streams_the_same(tmp_path: Path) -> None:
    blob = pickle.dumps(BENIGN["pandas"](), protocol=5)
    memory = scan(blob)
    stream = scan(blob, stream=True)
    assert memory[0][0].globals == stream[0][0].globals
    assert not stream[1]


def test_joblib_file_of_arrays_is_skipped_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "model.joblib"
    arrays = {f"w{i}": np.random.default_rng(i).normal(size=(500, 200)) for i in range(4)}
    joblib.dump({"model": _fitted_models()[1], **arrays, "ints": np.arange(7, dtype=np.int16),
                 "scalar": np.array(3.0), "strings": np.array(["ab", "c"])}, path)
    blob = path.read_bytes()
    results, findings = scan(blob)
    assert [r.ok for r in results] == [True]
    assert results[0].end == len(blob)
    assert not findings, findings
    # the 3.2 MB of float64 never went through the opcode loop
    assert results[0].opcodes < 20_000


def test_joblib_object_array_nested_pickle_is_scanned(tmp_path: Path, marker: Path) -> None:
    path = tmp_path / "objects.joblib"
    joblib.dump({"data": np.ones(1000), "objects": np.array([Payload(marker), 1], dtype=object),
                 "after": np.zeros(10)}, path)
    results, findings = scan(path.read_bytes())
    assert results[0].ok
    assert [f.evidence["name"] for f in by_rule(findings, "MODEL-PICKLE-EXEC")] == ["system"]


def test_joblib_wrapper_that_cannot_be_sized_is_malformed() -> None:
    blob = (b"\x80\x04\x8c\x13joblib.numpy_pickle\x8c\x11NumpyArrayWrapper\x93)\x81}"
            b"(\x8c\x05shape\x8c\x01x\x8c\x05dtypeNub.")
    results, findings = scan(blob)
    assert not results[0].ok
    assert by_rule(findings, "MODEL-MALFORMED")


# -- malicious: canary payloads ----------------------------------------------------------------
class Payload:
    """``os.system("touch <marker>")`` on load."""

    def __init__(self, marker: Path) -> None:
        self.command = f"touch {marker}"

    def __reduce__(self) -> Any:
        return os.system, (self.command,)


def _reducer(func: Any, *args: Any) -> Any:
    class Reducer:
        def __reduce__(self) -> Any:
            return func, args

    return Reducer()


MALICIOUS: dict[str, tuple[Callable[[Path], Any], str, str]] = {
    # name: (object factory, expected dangerous global, rule for it)
    "os.system": (Payload, "system", "MODEL-PICKLE-EXEC"),
    "exec": (lambda m: _reducer(exec, f"open({str(m)!r}, 'w')"), "exec", "MODEL-PICKLE-EXEC"),
    "subprocess": (lambda m: _reducer(subprocess.Popen, ["touch", str(m)]), "Popen",
                   "MODEL-PICKLE-EXEC"),
    "partial": (lambda m: _reducer(functools.partial(os.system, f"touch {m}")), "partial",
                "MODEL-PICKLE-EXEC"),
    "methodcaller": (lambda m: _reducer(operator.methodcaller("__call__", f"touch {m}"),
                                        os.system),
                     "methodcaller", "MODEL-PICKLE-EXEC"),
    "pip.main": (lambda m: _reducer(_import("pip").main, ["install", str(m)]), "main",
                 "MODEL-PICKLE-EXEC"),
    "pkgutil": (lambda m: _reducer(_import("pkgutil").resolve_name, "os:system"),
                "resolve_name", "MODEL-PICKLE-EXEC"),
    "uuid": (lambda m: _reducer(uuid._get_command_stdout, "touch", str(m)),  # type: ignore
             "_get_command_stdout", "MODEL-PICKLE-EXEC"),
    "asyncio": (lambda m: _reducer(_import("asyncio.subprocess").create_subprocess_shell,
                                   f"touch {m}"), "create_subprocess_shell",
                "MODEL-PICKLE-EXEC"),
    "importlib": (lambda m: _reducer(_import("importlib").import_module, "os"),
                  "import_module", "MODEL-PICKLE-EXEC"),
}


def _import(name: str) -> Any:
    return __import__(name, fromlist=["_"])


@pytest.mark.parametrize("protocol", range(6))
@pytest.mark.parametrize("kind", MALICIOUS)
def test_canary_payloads_are_critical(kind: str, protocol: int, marker: Path) -> None:
    factory, name, rule = MALICIOUS[kind]
    blob = pickle.dumps([1, {"model": factory(marker)}], protocol=protocol)
    results, findings = scan(blob)
    assert results[0].ok and results[0].suspicious
    hits = [f for f in findings if f.evidence.get("name") == name]
    assert [f.rule for f in hits] == [rule], findings
    assert hits[0].severity is Severity.CRITICAL
    assert hits[0].location.offset in global_offsets(blob)


def test_functools_partial_also_flags_the_wrapped_global(marker: Path) -> None:
    blob = pickle.dumps(functools.partial(os.system, f"touch {marker}"), protocol=4)
    _, findings = scan(blob)
    rules = {(f.evidence["name"], f.rule) for f in findings}
    assert ("partial", "MODEL-PICKLE-EXEC") in rules
    assert ("system", "MODEL-PICKLE-DANGEROUS-GLOBAL") in rules


def _sbu(text: str) -> bytes:
    raw = text.encode()
    return P.SHORT_BINUNICODE + bytes([len(raw)]) + raw


def _hand_made(marker: Path) -> dict[str, bytes]:
    cmd = f"touch {marker}".encode()
    scmd = b"S'" + cmd + b"'\n"
    return {
        # protocol 0, no PROTO header: header-less text pickles are pickles too
        "proto0-reduce": b"cos\nsystem\n(" + scmd + b"tR.",
        "inst": b"(" + scmd + b"ios\nsystem\n.",
        "obj": b"(cos\nsystem\n" + scmd + b"o.",
        "newobj": b"\x80\x02cos\nsystem\n" + scmd + b"\x85\x81.",
        "newobj-ex": b"\x80\x04cos\nsystem\n" + scmd + b"\x85}\x92.",
        # STACK_GLOBAL fed from the memo after DUP (published picklescan bypass)
        "memo-dup": (b"\x80\x04" + _sbu("torch._utils") + b"\x94" + _sbu("os") + b"2\x94"
                     + _sbu("system") + b"\x94" + b"0h\x01h\x02\x93" + _sbu(cmd.decode())
                     + b"\x85R."),
        # PUT/MEMOIZE mix: the memo index confusion of picklescan issue #14
        "memo-mix": (b"\x80\x04" + _sbu("os") + b"q\x00" + _sbu("system") + b"q\x01"
                     + _sbu("torch._utils") + b"\x94" + _sbu("_rebuild_tensor") + b"\x94"
                     + b"00h\x00h\x01\x93" + _sbu(cmd.decode()) + b"\x85R."),
        "getattr-import": (b"\x80\x04cbuiltins\ngetattr\ncimportlib\nimport_module\n"
                           + _sbu("os") + b"\x85R" + _sbu("system") + b"\x86R"
                           + _sbu(cmd.decode()) + b"\x85R."),
    }


@pytest.mark.parametrize("kind", ["proto0-reduce", "inst", "obj", "newobj", "newobj-ex",
                                  "memo-dup", "memo-mix", "getattr-import"])
@pytest.mark.parametrize("stream", [False, True], ids=["memory", "stream"])
def test_hand_assembled_payloads(kind: str, stream: bool, marker: Path) -> None:
    blob = _hand_made(marker)[kind]
    results, findings = scan(blob, stream=stream)
    assert results[0].ok, results
    critical = at_least(findings, Severity.CRITICAL)
    assert critical, findings
    assert all(f.location.offset in global_offsets(blob) for f in critical)
    assert "MODEL-PICKLE-EXEC" in {f.rule for f in critical}


def test_header_less_protocol_0_is_sniffed_as_pickle(marker: Path) -> None:
    assert looks_like_pickle(_hand_made(marker)["proto0-reduce"])
    assert looks_like_pickle(pickle.dumps({"a": 1}, protocol=0))
    assert looks_like_pickle(pickle.dumps([1, 2], protocol=1))
    assert looks_like_pickle(b"\x80\x05\x95")
    for text in (b"hello world", b"import os\nos.system('x')\n", b"a,b,c\n1,2,3\n",
                 b'{"json": true}', b"", b"\x80\x07", b"\x00\x01\x02"):
        assert not looks_like_pickle(text), text


def test_truncated_right_after_the_payload_keeps_the_finding(marker: Path) -> None:
    blob = pickle.dumps([Payload(marker), list(range(1000))], protocol=4)
    cut = blob[: blob.index(b"R") + 40]
    results, findings = scan(cut)
    assert not results[0].ok and "truncated" in (results[0].error or "")
    assert by_rule(findings, "MODEL-PICKLE-EXEC")
    assert by_rule(findings, "MODEL-MALFORMED")


def test_payload_in_an_appended_second_pickle(marker: Path) -> None:
    first = pickle.dumps({"weights": [1.0, 2.0]}, protocol=4)
    second = pickle.dumps(Payload(marker), protocol=2)
    for stream in (False, True):
        results, findings = scan(first + second, stream=stream)
        assert [r.ok for r in results] == [True, True]
        assert results[1].end == len(first) + len(second)
        exec_finding = by_rule(findings, "MODEL-PICKLE-EXEC")[0]
        assert exec_finding.location.offset == len(first) + global_offsets(second)[0]
        assert by_rule(findings, "MODEL-PICKLE-ANOMALY")


def test_trailing_garbage_is_a_low_anomaly_not_malformed() -> None:
    blob = pickle.dumps([1, 2, 3], protocol=4)
    results, findings = scan(blob + b"\x00\x00 trailing junk")
    assert [r.ok for r in results] == [True]
    assert [(f.rule, f.severity, f.location.offset) for f in findings] == [
        ("MODEL-PICKLE-ANOMALY", Severity.LOW, len(blob))]


def test_unresolved_and_extension_globals_are_high() -> None:
    # the module name is the result of a call: str("os")
    computed = (b"\x80\x04cbuiltins\nstr\n" + _sbu("os") + b"\x85R" + _sbu("system")
                + b"\x93)R.")
    ext = b"\x80\x02\x82\x07)R."
    for blob in (computed, ext):
        _, findings = scan(blob)
        assert [f.severity for f in by_rule(findings, "MODEL-PICKLE-UNRESOLVED-GLOBAL")] == [
            Severity.HIGH]


def test_build_on_an_imported_global_is_reported() -> None:
    # modelscan issue #85: BUILD sets numpy.prod.a = "os" to smuggle names past allowlists
    blob = b"\x80\x04cnumpy\nprod\nN(Va\nVos\nd\x86b0cnumpy\nprod.a\n)R."
    _, findings = scan(blob)
    anomalies = by_rule(findings, "MODEL-PICKLE-ANOMALY")
    assert anomalies and anomalies[0].severity is Severity.HIGH


def test_unknown_globals_are_medium_and_counted_once(tmp_path: Path) -> None:
    blob = pickle.dumps([Unknown(), Unknown(), Unknown()], protocol=4)
    _, findings = scan(blob)
    unknown = by_rule(findings, "MODEL-PICKLE-UNKNOWN-GLOBAL")
    assert len(unknown) == 1 and unknown[0].severity is Severity.MEDIUM
    assert unknown[0].evidence["name"] == "Unknown"
    assert unknown[0].evidence["invoked"] is True
    allowed = Settings().override({"modelscan": {"globals": {f"{__name__}:*": "safe"}}})
    assert not scan(blob, allowed)[1]


class Unknown:
    """A user class: not on the allowlist, so 'unknown' (medium)."""


def test_base_offset_and_globals_seen(marker: Path) -> None:
    blob = pickle.dumps(Payload(marker), protocol=4)
    state = ScanState(Settings().modelscan)
    ctx = ScanContext(state, "f")
    result = scan_pickle(MemorySource(blob), ctx, base_offset=1000)
    assert result.ok and result.end == len(blob)
    assert state.findings[0].location.offset == 1000 + global_offsets(blob)[0]
    assert state.globals_seen == {"posix.system": 1}


# -- hostile input: bounded time, our own errors only -------------------------------------------
HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "binunicode8-2**63": b"\x80\x04\x8d" + (2**63).to_bytes(8, "little") + b"x" * 90,
    "binbytes8-huge": b"\x80\x04\x8e" + (2**62).to_bytes(8, "little") + b"x" * 90,
    "binunicode-4g": b"\x80\x03X\xff\xff\xff\xff" + b"x" * 90,
    "long4-negative": b"\x80\x02\x8b\xff\xff\xff\xff.",
    "frame-huge": b"\x80\x04\x95" + (2**63).to_bytes(8, "little") + b"N.",
    "marks-100k": b"(" * 100_000 + b"N.",
    "lists-100k": b"\x80\x02" + b"]" * 100_000 + b".",
    "tuples-100k": b"\x80\x02N" + b"\x85" * 100_000 + b".",
    "missing-memo": b"\x80\x02h\x05.",
    "missing-memo-long": b"\x80\x02j\xff\xff\xff\x7f.",
    "pop-empty": b"0.",
    "bad-proto": b"\x80\x09N.",
    "stop-empty": b".",
    "put-sparse": b"\x80\x02Nr\xff\xff\xff\x7f\x94j\x01\x00\x00\x00.",
    "line-no-newline": b"cos\nsys",
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_input_is_bounded(kind: str) -> None:
    started = time.perf_counter()
    results, findings = scan(HOSTILE[kind])
    assert time.perf_counter() - started < 5
    if kind in ("marks-100k", "lists-100k", "tuples-100k"):
        assert results[0].ok  # the real unpickler accepts these too
    elif kind == "put-sparse":
        assert results[0].ok  # MEMOIZE after a sparse PUT numbers by len(memo), like pickle
    elif kind == "frame-huge":
        # the C unpickler refuses it, the pure-Python one reads on: keep scanning, say so
        assert results[0].ok and by_rule(findings, "MODEL-PICKLE-ANOMALY")
    elif kind == "empty":
        assert results == []
    else:
        assert not results[0].ok and by_rule(findings, "MODEL-MALFORMED"), results


def test_random_bytes_never_raise_anything_else() -> None:
    rng = random.Random(1234)
    for _ in range(300):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        for prefix in (b"", b"\x80\x04"):
            scan(prefix + blob)


def test_opcode_limit_stops_with_scan_limit_after_emitting(marker: Path) -> None:
    blob = pickle.dumps([Payload(marker)] + list(range(2_000_000)), protocol=4)
    settings = Settings().override({"modelscan": {"max_opcodes": 100_000}})
    state = ScanState(settings.modelscan)
    with pytest.raises(ScanLimitReached):
        scan_pickle(MemorySource(blob), ScanContext(state, "f"))
    assert [f.rule for f in state.findings] == ["MODEL-PICKLE-EXEC"]


def test_memo_cap_turns_a_forgotten_name_into_an_unresolved_import() -> None:
    filler = b"".join(_sbu(f"v{i}") + b"\x94" for i in range(200_000))
    blob = (b"\x80\x04" + _sbu("os") + b"\x94" + _sbu("system") + b"\x94" + b"(" + filler
            + b"1" + b"j\x00\x00\x00\x00j\x01\x00\x00\x00\x93)R.")
    settings = Settings().override({"modelscan": {"max_memo_entries": 1000}})
    results, findings = scan(blob, settings)
    assert results[0].ok
    assert by_rule(findings, "MODEL-PICKLE-UNRESOLVED-GLOBAL")
    _, uncapped = scan(blob)
    assert by_rule(uncapped, "MODEL-PICKLE-EXEC")


def test_getattr_on_an_imported_class_is_judged_as_that_attribute() -> None:
    # getattr(object, "__subclasses__")() walks to every class in the interpreter
    blob = (b"\x80\x04cbuiltins\ngetattr\ncbuiltins\nobject\n" + _sbu("__subclasses__")
            + b"\x86R)R.")
    _, findings = scan(blob)
    critical = at_least(findings, Severity.CRITICAL)
    assert [(f.rule, f.evidence["name"]) for f in critical] == [
        ("MODEL-PICKLE-EXEC", "object.__subclasses__")]


def test_getattr_kept_as_a_value_stays_dangerous() -> None:
    # getattr handed to another call (not invoked on a class) is the universal gadget it is
    blob = b"\x80\x04ccollections\ndefaultdict\ncbuiltins\ngetattr\n\x85R."
    _, findings = scan(blob)
    assert [f.rule for f in at_least(findings, Severity.CRITICAL)] == [
        "MODEL-PICKLE-DANGEROUS-GLOBAL"]


# -- fused fast paths (a list of records is walked record after record in one dispatch) -------
def _records(count: int) -> list[dict[str, Any]]:
    return [{"id": i, "name": f"user{i}", "score": i * 0.5, "tags": ("a", i % 7)}
            for i in range(count)]


def test_records_count_every_opcode_like_pickletools() -> None:
    # ids cross the BININT1, BININT2 and BININT sizes; 5000 records span several FRAMEs
    for blob in (pickle.dumps(_records(5000), protocol=4),
                 pickle.dumps(_records(300) + [{"k": None}, {}, {"x": 1.5}], protocol=5),
                 pickle.dumps(_records(300), protocol=2)):
        results, findings = scan(blob)
        assert results[0].ok and findings == []
        assert results[0].opcodes == sum(1 for _ in pickletools.genops(blob))


@pytest.mark.parametrize("where", ["after-records", "between-records", "inside-a-record"])
def test_payload_right_after_fused_records_is_found(where: str, marker: Path) -> None:
    records: list[Any] = _records(2000)
    if where == "after-records":
        records.append(Payload(marker))
    elif where == "between-records":
        records.insert(1000, Payload(marker))
    else:
        records[1000]["tags"] = ("a", Payload(marker))
    blob = pickle.dumps(records, protocol=4)
    results, findings = scan(blob)
    assert results[0].ok
    assert [f.rule for f in at_least(findings, Severity.CRITICAL)] == ["MODEL-PICKLE-EXEC"]
    assert results[0].opcodes == sum(1 for _ in pickletools.genops(blob))


def test_stack_global_fed_by_a_run_of_memo_references(marker: Path) -> None:
    # BINGET BINGET STACK_GLOBAL: the run of memo references must leave both names on the stack
    blob = (b"\x80\x04]\x94(" + _sbu("os") + b"\x94" + _sbu("system") + b"\x94" + b"h\x01K\x01"
            + b"h\x02h\x01h\x02\x93" + _sbu(f"touch {marker}") + b"\x85Re.")
    results, findings = scan(blob)
    assert results[0].ok, results
    assert [f.rule for f in at_least(findings, Severity.CRITICAL)] == ["MODEL-PICKLE-EXEC"]


def test_fused_setitems_keeps_its_checks() -> None:
    # an odd item count inside a run of records is still the SETITEMS error, not a misparse
    odd = b"\x80\x04]\x94(}\x94(" + _sbu("a") + b"\x94K\x01h\x02h\x02K\x02u}\x94(e."
    results, _ = scan(odd)
    assert not results[0].ok and results[0].error == "odd number of items for SETITEMS"


def test_records_cut_anywhere_are_truncated_not_misread() -> None:
    blob = pickle.dumps(_records(40), protocol=4)
    for cut in range(12, len(blob) - 1, 7):
        results, findings = scan(blob[:cut])
        assert not results[0].ok and "truncated" in (results[0].error or ""), cut
        assert {f.rule for f in findings} <= {"MODEL-MALFORMED", "MODEL-PICKLE-ANOMALY"}


def test_memo_eviction_keeps_imports_and_the_names_that_fed_them(marker: Path) -> None:
    # an import and the two names of another import are memoized first, then far more records
    # than the memo cap; fetching them back after eviction must still resolve both imports
    filler = b"".join(_sbu(f"v{i}") + b"\x940" for i in range(200_000))  # > 1 MB: evicts
    blob = (b"\x80\x04cos\nsystem\n\x94" + _sbu("subprocess") + b"\x94" + _sbu("getoutput")
            + b"\x94" + b"\x93\x94" + b"00" + filler
            + b"h\x00" + _sbu(f"touch {marker}") + b"\x85R0"
            + b"h\x01h\x02\x93" + _sbu(f"touch {marker}") + b"\x85R.")
    settings = Settings().override({"modelscan": {"max_memo_entries": 1000}})
    results, findings = scan(blob, settings)
    assert results[0].ok, results
    assert not by_rule(findings, "MODEL-PICKLE-UNRESOLVED-GLOBAL")
    assert {f.evidence["name"] for f in by_rule(findings, "MODEL-PICKLE-EXEC")} == {
        "system", "getoutput"}


def test_memoized_getattr_fetched_back_as_a_value_stays_dangerous() -> None:
    # getattr is memoized and used once as getattr(object, "__subclasses__"), then fetched back
    # from the memo and handed to defaultdict: that second use keeps getattr reported
    blob = (b"\x80\x04cbuiltins\ngetattr\n\x94cbuiltins\nobject\n" + _sbu("__subclasses__")
            + b"\x86R)R0ccollections\ndefaultdict\nh\x00\x85R.")
    results, findings = scan(blob)
    assert results[0].ok, results
    critical = {(f.rule, f.evidence["name"]) for f in at_least(findings, Severity.CRITICAL)}
    assert critical == {("MODEL-PICKLE-EXEC", "object.__subclasses__"),
                        ("MODEL-PICKLE-DANGEROUS-GLOBAL", "getattr")}


def test_cyclic_gc_is_restored_after_a_scan_even_when_it_fails() -> None:
    """The emulator pauses the cyclic collector for speed; it must never leave it off."""
    import gc

    from mlsecops_jupyter.checks.modelscan import scan_model

    assert gc.isenabled()
    scan_model(pickle.dumps([{"a": i} for i in range(100)]))
    assert gc.isenabled()
    scan_model(b"\x80\x04\x95" + b"\xff" * 20)  # a broken stream
    assert gc.isenabled()
    gc.disable()
    try:
        scan_model(pickle.dumps([1, 2, 3]))
        assert not gc.isenabled(), "a caller's disabled collector must stay disabled"
    finally:
        gc.enable()


def _module_persistent_id(module: str, name: str) -> bytes:
    """A legacy torch.save module class: ``("module", cls, source file, source)`` as BINPERSID."""
    return (b"(" + _sbu("module") + f"c{module}\n{name}\n".encode() + _sbu("net.py")
            + _sbu("class Net: ...") + b"tQ")


def test_legacy_torch_module_class_from_a_persistent_id_is_judged_as_its_import() -> None:
    # torch.load(weights_only=False) of a legacy file returns the class of a "module" id, which
    # the stream then instantiates (NEWOBJ): that is an import of the class, not a computed call
    net = (b"\x80\x02" + _module_persistent_id("torch.nn.modules.linear", "Linear")
           + b")\x81}b.")
    _, findings = scan(net)
    assert findings == []
    payload = b"\x80\x02" + _module_persistent_id("os", "system") + _sbu("touch x") + b"\x85R."
    _, findings = scan(payload)
    assert [(f.rule, f.severity) for f in findings] == [
        ("MODEL-PICKLE-EXEC", Severity.CRITICAL)]


def test_other_persistent_ids_stay_data_and_calling_them_is_high() -> None:
    blob = b"\x80\x02(" + _sbu("storage") + b"tQ)R."
    _, findings = scan(blob)
    assert [(f.rule, f.severity) for f in findings] == [
        ("MODEL-PICKLE-ANOMALY", Severity.HIGH)]
