"""GGUF files written byte by byte from the GGUF specification (ggml's docs/gguf.md).

The ``gguf`` package is not installed, so ``gguf_file`` below writes the layout the spec
describes: magic, version, tensor count, key/value count, typed values, tensor infos, aligned
data. Hostile chat templates are server-side template injection probes whose only effect, if a
runtime ever rendered them unsandboxed, would be to create the canary marker.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from corpus.canary import Canary
from corpus.format_writers import CHATML, WITH_TOOLS, base_metadata, gguf_file

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity


def templates(report: Report) -> list[Severity]:
    return [f.severity for f in report.findings if f.rule == "MODEL-GGUF-TEMPLATE"]


@pytest.mark.parametrize("template", [None, CHATML, WITH_TOOLS,
                                      CHATML + "{{ '__end__' if loop.last }}"])
def test_benign_gguf_is_recognised_and_quiet(tmp_path: Path, template: str | None) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(gguf_file(base_metadata(template), tensors=3))
    report = scan_model(path)
    assert report.findings == []
    (entry,) = report.metrics["files"]
    assert entry["format"] == "gguf" and entry["tensors"] == 3
    assert entry["architecture"] == "llama"
    assert entry["chat_templates"] == (template is not None)


def probes(marker: Path) -> dict[str, tuple[str, Severity]]:
    shell = Canary(marker).shell
    return {
        "lipsum-globals": ("{{ lipsum.__globals__['os'].popen('" + shell + "').read() }}",
                           Severity.CRITICAL),
        "subclasses": ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
                       "{% if 'Popen' in c.__name__ %}{{ c('" + shell + "', shell=True) }}"
                       "{% endif %}{% endfor %}", Severity.CRITICAL),
        "escaped-attr-filter": ("{{ cycler|attr('\\x5f\\x5finit\\x5f\\x5f')|attr("
                                "'\\x5f\\x5fglobals\\x5f\\x5f') }}", Severity.HIGH),
        "concatenated": ("{% set a = '__' ~ 'class' ~ '__' %}{{ ''|attr(a) }}", Severity.HIGH),
    }


@pytest.mark.parametrize("name", ["lipsum-globals", "subclasses", "escaped-attr-filter",
                                  "concatenated"])
@pytest.mark.parametrize("key", ["tokenizer.chat_template", "tokenizer.chat_template.tool_use"])
def test_template_injection_probes(tmp_path: Path, canary_marker: Path, name: str,
                                   key: str) -> None:
    template, severity = probes(canary_marker)[name]
    path = tmp_path / "evil.gguf"
    path.write_bytes(gguf_file(base_metadata(CHATML + template, key)))
    assert templates(scan_model(path)) == [severity]


def test_truncated_gguf_is_malformed(tmp_path: Path) -> None:
    data = gguf_file(base_metadata(CHATML))
    path = tmp_path / "cut.gguf"
    path.write_bytes(data[:200])
    report = scan_model(path)
    assert [f.rule for f in report.findings] == ["MODEL-MALFORMED"]


def test_absurd_counts_stop_at_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 1, 2**63) + b"\x00" * 64)
    assert [f.rule for f in scan_model(path).findings] == ["MODEL-MALFORMED"]
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 1, 1) + struct.pack("<Q", 2**62))
    assert [f.rule for f in scan_model(path).findings] == ["MODEL-MALFORMED"]
