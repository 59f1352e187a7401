"""Shared fixtures: the model-file corpus (built once per session) and the canary guard.

Every malicious corpus sample carries a payload whose only effect, if it were ever loaded, is to
create ``canary_marker``. The autouse guard checks before and after every test that the marker
does not exist, so a scanner (or a test) that deserialises anything fails loudly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:  # makes the ``corpus`` builder package importable
    sys.path.insert(0, str(TESTS_DIR))

from corpus import Sample, build_corpus  # noqa: E402
from ipshell import loaded_shell  # noqa: E402

CANARY_FIRED = "canary marker {marker} exists: something loaded a malicious corpus sample"


@pytest.fixture(scope="session")
def canary_marker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file a corpus payload would create; its folder holds nothing else."""
    return tmp_path_factory.mktemp("canary") / "CANARY-MARKER"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("modelscan-corpus")


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path, canary_marker: Path) -> list[Sample]:
    """Every corpus sample, written once per session (a few seconds)."""
    samples = build_corpus(corpus_dir, canary_marker)
    assert not canary_marker.exists(), CANARY_FIRED.format(marker=canary_marker)
    return samples


@pytest.fixture(scope="session")
def corpus_by_name(corpus: list[Sample]) -> dict[str, Sample]:
    return {sample.name: sample for sample in corpus}


@pytest.fixture(autouse=True)
def _canary_never_fires(canary_marker: Path) -> Iterator[None]:
    """Fail any test before or after which the canary marker exists."""
    assert not canary_marker.exists(), CANARY_FIRED.format(marker=canary_marker)
    yield
    assert not canary_marker.exists(), CANARY_FIRED.format(marker=canary_marker)


@pytest.fixture(scope="module")
def ip(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A loaded shell per test module, in a fresh working directory."""
    workdir = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    with loaded_shell(workdir) as shell:
        yield shell
