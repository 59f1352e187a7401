"""These notebooks are data (read by tests/checks/test_pii_notebook_corpus.py), not notebooks to
run: nbval must not collect them, since re-running them would only compare fresh random values
and timings with the stored ones."""

collect_ignore_glob = ["*.ipynb"]
