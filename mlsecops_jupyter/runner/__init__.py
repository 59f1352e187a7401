"""Run a notebook headless, the way CI and the quickstart do, and print what its checks found."""

from .execute import NotebookRun, execute_notebook

__all__ = ["NotebookRun", "execute_notebook"]
