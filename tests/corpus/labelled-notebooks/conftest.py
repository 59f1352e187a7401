"""These notebooks are data (read through tests/notebook_corpus.py and tests/static_notebooks.py),
not notebooks to run: nbval must not collect them."""

collect_ignore_glob = ["*.ipynb"]
