"""The pandas path without dask: dask is an optional extra (``mlsecops-jupyter[dask]``).

Runs whether or not dask is installed: the child process blocks dask's import itself.
"""

from __future__ import annotations

from pathlib import Path


def test_the_package_and_the_pandas_checks_work_without_dask(tmp_path: Path) -> None:
    """dask is an optional extra: with its import blocked, the package imports, the pandas
    checks run, and a dask-only request names the extra to install."""
    import subprocess
    import sys

    script = tmp_path / "no_dask.py"
    script.write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('dask', 'distributed', 'dask_expr'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pandas as pd\n"
        "import mlsecops_jupyter\n"
        "from mlsecops_jupyter import check_leakage, scan_pii, check_bias, check_drift\n"
        "from mlsecops_jupyter.core import Settings\n"
        "df = pd.DataFrame({'a': range(200), 'b': [i % 7 for i in range(200)]})\n"
        "r = check_leakage(df, df.iloc[:20], settings=Settings())\n"
        "print(sorted(f.rule for f in r.findings))\n"
        "print(len(scan_pii(pd.DataFrame({'e': ['x@example.com'] * 5}),"
        " settings=Settings()).findings))\n"
        "print(len(check_bias([0, 1, 1, 0], [0, 1, 0, 0], ['F', 'M', 'F', 'M'],"
        " settings=Settings().override({'bias.figures': False})).metrics['by_group']))\n"
        "from mlsecops_jupyter.cli import main\n"
        "print(main(['leakage', '--engine', 'dask', '--train', 'x', '--test', 'y']))\n"
        "assert 'dask' not in sys.modules and 'distributed' not in sys.modules\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert "LEAK-DUPLICATE-ROWS" in lines[0]
    assert lines[1] == "1"
    assert lines[3] == "2"
    assert "mlsecops-jupyter[dask]" in done.stderr
