"""Screenshots of the pages the tests open in headless Chromium.

With ``INTERDICT_SCREENSHOTS=DIR`` (``make screenshots`` sets it to ``docs/screenshots``) each test
that opens a page a person reads saves what it saw there; without it nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SCREENSHOTS = "INTERDICT_SCREENSHOTS"


def screenshot(page: Any, name: str, *, selector: str | None = None, full_page: bool = False) -> Path | None:
    """Save the page (or the element ``selector``) as ``name`` in the screenshot folder, if one is set."""
    folder = os.environ.get(SCREENSHOTS)
    if not folder:
        return None
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if selector is not None:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path
