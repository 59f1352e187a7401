"""Settings: discovery of ``[tool.mlsec]`` / ``mlsec.toml``, environment and per-call overrides.

Every test passes ``environ`` explicitly so the developer's own ``MLSEC_*`` variables cannot leak
in, and works in a fresh temporary folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsecops_jupyter.core import MLSecConfigError, Settings, Severity

NO_ENV: dict[str, str] = {}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_error(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    return message


def test_defaults_without_any_config(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path, environ=NO_ENV)
    assert settings.fail_on is None
    assert settings.modelscan.max_archive_depth == 4
    assert settings.source == "defaults"


def test_pyproject_tool_mlsec_is_found_from_a_subfolder(tmp_path: Path) -> None:
    config = _write(tmp_path / "pyproject.toml", """
[project]
name = "demo"

[tool.mlsec]
fail_on = "high"

[tool.mlsec.modelscan]
max_archive_depth = 2
globals = { "mylib.models:Net" = "safe" }
""")
    settings = Settings.load(tmp_path / "notebooks" / "deep", environ=NO_ENV)
    assert settings.fail_on is Severity.HIGH
    assert settings.modelscan.max_archive_depth == 2
    assert settings.modelscan.globals == {"mylib.models:Net": "safe"}
    assert settings.source == str(config.resolve())


def test_pyproject_without_tool_mlsec_is_passed_over(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", 'fail_on = "critical"\n')
    _write(tmp_path / "project" / "pyproject.toml", '[project]\nname = "x"\n')
    settings = Settings.load(tmp_path / "project", environ=NO_ENV)
    assert settings.fail_on is Severity.CRITICAL
    assert settings.source.endswith("mlsec.toml")


def test_mlsec_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.mlsec]\nfail_on = "low"\n')
    _write(tmp_path / "mlsec.toml", '[tool.mlsec]\nfail_on = "medium"\n')
    assert Settings.load(tmp_path, environ=NO_ENV).fail_on is Severity.MEDIUM


def test_nearest_config_wins(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", 'fail_on = "low"\n')
    _write(tmp_path / "team" / "mlsec.toml", 'fail_on = "high"\n')
    assert Settings.load(tmp_path / "team", environ=NO_ENV).fail_on is Severity.HIGH
    assert Settings.load(tmp_path, environ=NO_ENV).fail_on is Severity.LOW


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", 'fail_on = "low"\n[modelscan]\nmax_members = 10\n')
    env = {
        "MLSEC_FAIL_ON": "critical",
        "MLSEC_MODELSCAN__MAX_ARCHIVE_DEPTH": "7",
        "MLSEC_LINEAGE_FILE": "/elsewhere/lineage.jsonl",  # not a setting: left to its owner
        "HOME": "/root",
    }
    settings = Settings.load(tmp_path, environ=env)
    assert settings.fail_on is Severity.CRITICAL
    assert settings.modelscan.max_archive_depth == 7
    assert settings.modelscan.max_members == 10
    assert "environment" in settings.source


def test_environment_can_switch_strict_mode_off(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", 'fail_on = "low"\n')
    assert Settings.load(tmp_path, environ={"MLSEC_FAIL_ON": "none"}).fail_on is None


def test_bad_severity_in_environment_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(MLSecConfigError) as excinfo:
        Settings.load(tmp_path, environ={"MLSEC_FAIL_ON": "severe"})
    message = _one_line_error(excinfo)
    assert "severe" in message and "critical" in message


def test_per_call_override_returns_a_new_object(tmp_path: Path) -> None:
    base = Settings.load(tmp_path, environ=NO_ENV)
    changed = base.override({"fail_on": "medium", "modelscan.max_archive_depth": "3"})
    assert changed.fail_on is Severity.MEDIUM and changed.modelscan.max_archive_depth == 3
    assert base.fail_on is None and base.modelscan.max_archive_depth == 4
    nested = base.override(modelscan={"max_members": 5})
    assert nested.modelscan.max_members == 5


def test_user_globals_extend_rather_than_replace(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", '[modelscan.globals]\n"a:b" = "safe"\n')
    settings = Settings.load(tmp_path, environ=NO_ENV)
    merged = settings.override({"modelscan.globals": {"c:d": "critical"}})
    assert merged.modelscan.globals == {"a:b": "safe", "c:d": "critical"}


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"fail_onn": "high"}, "fail_onn"),
        ({"modelscan.max_depth": 3}, "max_depth"),
        ({"leakage.threshold": 0.5}, "leakage"),
        ({"source": "me"}, "source"),
    ],
)
def test_unknown_key_is_a_one_line_config_error(values: dict[str, object], named: str) -> None:
    with pytest.raises(MLSecConfigError) as excinfo:
        Settings().override(values)
    assert named in _one_line_error(excinfo)


def test_unknown_key_in_a_file_fails_loading(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.mlsec.modelscan]\nmax_archive_dept = 2\n')
    with pytest.raises(MLSecConfigError) as excinfo:
        Settings.load(tmp_path, environ=NO_ENV)
    assert "max_archive_dept" in _one_line_error(excinfo)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"fail_on": "severe"}, "severe"),
        ({"fail_on": 3}, "3"),
        ({"modelscan.max_archive_depth": "deep"}, "deep"),
        ({"modelscan.max_members": True}, "max_members"),
    ],
)
def test_bad_values_are_one_line_config_errors(values: dict[str, object], named: str) -> None:
    with pytest.raises(MLSecConfigError) as excinfo:
        Settings().override(values)
    assert named in _one_line_error(excinfo)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", "fail_on = \n")
    with pytest.raises(MLSecConfigError) as excinfo:
        Settings.load(tmp_path, environ=NO_ENV)
    assert "mlsec.toml" in str(excinfo.value)


def test_explicit_config_file_replaces_discovery(tmp_path: Path) -> None:
    _write(tmp_path / "mlsec.toml", 'fail_on = "low"\n')
    chosen = _write(tmp_path / "ci" / "strict.toml", 'fail_on = "critical"\n')
    settings = Settings.load(tmp_path, environ=NO_ENV, config=chosen)
    assert settings.fail_on is Severity.CRITICAL
    assert settings.source == str(chosen)
    # the environment still has the last word, as with discovery
    env = {"MLSEC_FAIL_ON": "medium"}
    assert Settings.load(tmp_path, environ=env, config=chosen).fail_on is Severity.MEDIUM


def test_explicit_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(MLSecConfigError) as excinfo:
        Settings.load(tmp_path, environ=NO_ENV, config=tmp_path / "nope.toml")
    assert "nope.toml" in _one_line_error(excinfo)


def test_as_dict_is_plain_data() -> None:
    data = Settings().override({"fail_on": "high"}).as_dict()
    assert data["fail_on"] == "high"
    assert data["modelscan"]["max_archive_depth"] == 4
    assert data["source"] == "defaults"
