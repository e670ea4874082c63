"""Check in headless Chromium that the provider tabs of a built site fit the page.

    python docs/hooks/check_tabs.py SITE_DIR [--page errors/ ...] [--width 1280 ...]
                                              [--screenshots DIR]

The built ``SITE_DIR`` is served on 127.0.0.1, and each page is opened at each width (a
viewport of that many CSS pixels) in Debian's Chromium, driven by the ``playwright``
package (``executable_path``: no browser is downloaded). A script in the page reports, for
every displayed ``.tabbed-labels`` strip, whether it scrolls (``scrollWidth >
clientWidth``), whether a label lies outside the strip or the window or has its text cut
off, and whether Material's tab scroll buttons are shown. Any of these fails the check,
naming the page and the width; ``--screenshots`` also saves what each check saw, scrolled
to the first tabs.

Exit status: 0 when every strip fits, 1 when one does not, 2 when the check could not run
(no Chromium or playwright, a page without tabs, a page that did not load).
``nox -s docs_check`` builds the site and runs this. Not a mkdocs hook: it is kept here
because ``hooks/`` stays out of the site."""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

PAGES = ("errors/", "tools/", "async/")
WIDTHS = (1280, 390)
HEIGHT = 900
# no traffic beyond 127.0.0.1
_FLAGS = [
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_PROBE = """() => {
  const strips = [];
  for (const strip of document.querySelectorAll(".tabbed-labels")) {
    if (!strip.offsetParent) continue;  // not displayed (e.g. inside a closed tab)
    const box = strip.getBoundingClientRect();
    const problems = [];
    if (strip.scrollWidth > strip.clientWidth) {
      problems.push(`the strip scrolls (scrollWidth ${strip.scrollWidth} px > clientWidth `
        + `${strip.clientWidth} px)`);
    }
    for (const label of strip.querySelectorAll(":scope > label")) {
      const r = label.getBoundingClientRect();
      const where = `${Math.round(r.left)}..${Math.round(r.right)} px`;
      const name = JSON.stringify(label.textContent.trim());
      if (r.width < 1 || r.height < 1 || getComputedStyle(label).visibility === "hidden") {
        problems.push(`label ${name} is not displayed`);
      } else if (r.left < box.left - 1 || r.right > box.right + 1) {
        problems.push(`label ${name} (${where}) lies outside the strip `
          + `(${Math.round(box.left)}..${Math.round(box.right)} px)`);
      } else if (r.left < -1 || r.right > innerWidth + 1) {
        problems.push(`label ${name} (${where}) lies outside the window`);
      } else if (label.scrollWidth > label.clientWidth + 1) {
        problems.push(`label ${name} has its text cut off`);
      }
    }
    for (const button of strip.parentElement.querySelectorAll(":scope > .tabbed-control")) {
      if (!button.hidden && getComputedStyle(button).display !== "none") {
        problems.push(`a tab scroll button is shown (${button.className})`);
      }
    }
    strips.push({problems});
  }
  return {width: innerWidth, strips};
}"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt: str, *args: Any) -> None:  # quiet
        pass


def find_chromium() -> str | None:
    """Debian's Chromium (``apt-get install chromium``)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def check(browser: Any, url: str, width: int, screenshot: Path | None) -> list[str]:
    """The problems of the page at ``width`` px (empty: every tab strip fits)."""
    tab = browser.new_page(viewport={"width": width, "height": HEIGHT})
    try:
        response = tab.goto(url, wait_until="networkidle")
        if response is None or not response.ok:
            raise RuntimeError(f"{url} answered {response.status if response else 'nothing'}")
        report = tab.evaluate(_PROBE)
        if screenshot is not None:
            tab.locator(".tabbed-set").first.scroll_into_view_if_needed()
            tab.screenshot(path=str(screenshot))
    finally:
        tab.close()
    if report["width"] != width:
        raise RuntimeError(f"the window is {report['width']} px wide, not {width}")
    if not report["strips"]:
        raise RuntimeError("no provider tabs on the page")
    # strips with the same problems (every strip of a page, usually) are reported once
    alike: dict[tuple[str, ...], list[str]] = {}
    for n, strip in enumerate(report["strips"], 1):
        if strip["problems"]:
            alike.setdefault(tuple(strip["problems"]), []).append(f"{n}")
    total = len(report["strips"])
    return [
        f"tab strip{'s' if len(strips) > 1 else ''} {', '.join(strips)} of {total}: {problem}"
        for problems, strips in alike.items()
        for problem in problems
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site built by `mkdocs build`")
    parser.add_argument("--page", action="append", help=f"default: {' '.join(PAGES)}")
    parser.add_argument("--width", action="append", type=int, help="default: 1280 and 390")
    parser.add_argument("--screenshots", type=Path, help="also save a screenshot per check")
    args = parser.parse_args(argv)
    pages, widths = args.page or list(PAGES), args.width or list(WIDTHS)
    chromium = find_chromium()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        sync_playwright = None
    if chromium is None or sync_playwright is None:
        need = (
            "Chromium is missing (apt-get install chromium)"
            if chromium is None
            else (
                "the playwright package is missing (pip install playwright; it drives the "
                "system Chromium, no browser is downloaded)"
            )
        )
        for page in pages:
            for width in widths:
                print(f"ERROR {page} at {width} px: cannot check, {need}", file=sys.stderr)
        return 2
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: not a built site (no index.html)", file=sys.stderr)
        return 2
    if args.screenshots is not None:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Handler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failed, broken = 0, 0
    try:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=chromium, args=_FLAGS)
            except Error as error:
                reason = str(error).strip().splitlines()[0]
                for page in pages:
                    for width in widths:
                        print(f"ERROR {page} at {width} px: {chromium} did not start: {reason}")
                return 2
            for page in pages:
                for width in widths:
                    shot = None
                    if args.screenshots is not None:
                        shot = args.screenshots / f"{page.strip('/').replace('/', '-')}-{width}.png"
                    try:
                        problems = check(browser, base + page, width, shot)
                    except (RuntimeError, Error) as error:
                        print(f"ERROR {page} at {width} px: {error}")
                        broken += 1
                        continue
                    if problems:
                        failed += 1
                        print(f"FAIL  {page} at {width} px:")
                        for problem in problems:
                            print(f"        {problem}")
                    else:
                        print(f"ok    {page} at {width} px: every tab strip fits")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    checks = len(pages) * len(widths)
    print(
        f"{checks - failed - broken} of {checks} page widths fit, {failed} do not, {broken} errors"
    )
    return 2 if broken else 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
