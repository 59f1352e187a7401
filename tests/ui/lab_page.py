"""Reading and driving JupyterLab's page in the browser tests: cells, menus, theme, colours."""

from __future__ import annotations

import time
from typing import Any

from labserver import Server

PANEL = "#mlsecops-panel"
TIMEOUT = 90_000


def active_cell(page: Any) -> int:
    """The index of the active cell of the visible notebook (-1 when none)."""
    return int(page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-Notebook .jp-Cell')).findIndex(c => c.classList.contains('jp-mod-active'))"))


def wait_for_active_cell(page: Any, index: int, seconds: float = 10) -> int:
    """Poll until cell ``index`` is active (selection scrolls first); the last index seen."""
    deadline = time.monotonic() + seconds
    while active_cell(page) != index and time.monotonic() < deadline:
        time.sleep(0.1)
    return active_cell(page)


def menu(page: Any, top: str, *items: str) -> None:
    """Click a main-menu entry and its sub-entries by their labels."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    for item in items:
        page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page: Any) -> None:
    """Run every cell once the kernel is idle (before that, "Run All" is lost)."""
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=TIMEOUT)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    menu(page, "Run", "Run All Cells")


def luminance(css_color: str) -> float:
    """Relative luminance (0 black .. 1 white) of an ``rgb()``/``rgba()`` colour."""
    inner = css_color[css_color.index("(") + 1:css_color.rindex(")")]
    red, green, blue = (float(part) for part in inner.split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def panel_strings(page: Any) -> list[str]:
    """Every text and every attribute value inside the panel: what a user can see or hover."""
    return list(page.evaluate(
        """() => {
          const panel = document.querySelector('#mlsecops-panel');
          const out = [panel.innerText];
          for (const node of panel.querySelectorAll('*')) {
            for (const attr of node.attributes) { out.push(attr.value); }
            if (node.value) { out.push(String(node.value)); }
          }
          return out;
        }"""))


def open_with_panel(browser: Any, server: Server, notebook: str, cells: int) -> tuple[Any, Any]:
    """A fresh browser context on ``notebook`` (its first ``cells`` cells drawn) with the panel
    open; page errors are collected in ``page.errors``. Returns ``(context, page)``."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{server.base}/lab/tree/{notebook}?reset&token={server.token}",
              wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").nth(cells - 1).wait_for(timeout=TIMEOUT)
    tab = page.locator('.jp-SideBar.jp-mod-left li[data-id="mlsecops-panel"]')
    tab.wait_for(state="visible", timeout=TIMEOUT)
    tab.click()
    page.locator(PANEL).wait_for(state="visible", timeout=TIMEOUT)
    return context, page
