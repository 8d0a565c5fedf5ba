"""The HTML report in a real browser: headless Chromium driven by Selenium.

A translation full of markup (`<script>`, an attribute breaking out of its quotes, an
`<img onerror>`) must show up as text, run nothing, and the filters must hide and show
rows. Needs the Debian packages chromium and chromium-driver (.ci/system-deps.sh
installs them); skipped with that reason when they are absent.

Set MTCHECK_SCREENSHOTS=DIR to keep the screenshots.
"""
from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _reports import HOSTILE, sample_report
from mtcheck.render import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian packages chromium and chromium-driver (run .ci/system-deps.sh as root)",
)


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str):
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def hostile_page() -> str:
    return render(sample_report(hostile=True), "html")


def test_hostile_text_is_escaped_in_the_page(hostile_page):
    tags = _tags(hostile_page)
    assert [t for t, _ in tags].count("script") == 1, "only the report's own script"
    assert "img" not in [t for t, _ in tags]
    handlers = [(t, a) for t, attrs in tags for a in attrs if a.lower().startswith("on")]
    assert handlers == []
    assert "<script>window.__pwned" not in hostile_page
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in hostile_page
    assert "&quot; onmouseover=&quot;window.__pwned=2&quot;" in hostile_page
    # The flag message (with its own markup) survives intact inside a title attribute.
    titles = [a.get("title", "") for _, a in tags]
    assert any('untranslated (minor): <img src=x onerror="window.__pwned=4">' in t for t in titles)
    # Nothing to fetch: no external address, and a policy that forbids fetching anyway.
    for _, attrs in tags:
        for name in ("src", "href"):
            assert not attrs.get(name, "#").lower().startswith(("http:", "https:", "//")), attrs
    csp = [a["content"] for t, a in tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian packages chromium and chromium-driver (run .ci/system-deps.sh as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(driver, page: str, path: Path):
    from selenium.webdriver.support.ui import WebDriverWait

    path.write_text(page, encoding="utf-8")
    driver.get(path.resolve().as_uri())
    # The report's script marks the page ready: proof that the policy lets it run.
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.documentElement.getAttribute('data-ready')") == "1"
    )


def _screenshot(driver, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("MTCHECK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(1400, max(900, min(6000, driver.execute_script(
        "return document.documentElement.scrollHeight"))))
    target = folder / name
    assert driver.save_screenshot(str(target))
    assert target.stat().st_size > 10_000  # a real picture, not an empty page
    return target


def _visible_rows(driver) -> list[str]:
    return [row.get_attribute("id") for row in driver.find_elements("css selector", "table.pairs > tbody > tr")
            if row.is_displayed()]


def _box(driver, kind: str, value: str):
    return driver.find_element("css selector", f'input[data-filter="{kind}"][value="{value}"]')


@needs_browser
def test_page_renders_and_runs_no_injected_code(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    _open(browser, render(sample_report(hostile=True), "html"), tmp_path / "report.html")
    assert len(_visible_rows(browser)) == 7
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - raises when no alert is open
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.find_elements("css selector", "img") == []
    # The hostile translation is shown as text, exactly.
    cell = browser.find_element("css selector", "#pair-6 td:nth-child(3) .text")
    assert cell.text == HOSTILE.strip()
    # Flags are highlighted at their spans, with the message on hover.
    marks = browser.find_elements("css selector", "#pair-2 mark.flag")
    assert [m.text for m in marks] == ["il", " a dit"]
    assert "duplication (major)" in marks[0].get_attribute("title")
    assert "casing (minor)" in marks[0].get_attribute("title")
    # An out-of-range span is clipped to the whole sentence.
    clipped = browser.find_elements("css selector", "#pair-3 mark.flag")
    assert "".join(m.text for m in clipped) == browser.find_element(
        "css selector", "#pair-3 td:nth-child(3) .text").text
    # The chart is drawn inline, with a marker per flagged pair.
    assert len(browser.find_elements("css selector", "svg.chart polyline")) >= 2
    assert len(browser.find_elements("css selector", "svg.chart rect.marker")) == 6
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    _screenshot(browser, tmp_path, "hostile.png")


@needs_browser
def test_filters_hide_and_show_rows(browser, tmp_path):
    _open(browser, render(sample_report(), "html"), tmp_path / "report.html")
    everything = ["pair-0", "pair-1", "pair-2", "pair-3", "pair-4", "pair-5"]
    assert _visible_rows(browser) == everything

    _box(browser, "code", "duplication").click()
    # pair 1 has only a duplication flag; pair 2 also has a casing flag, so it stays.
    assert _visible_rows(browser) == ["pair-0", "pair-2", "pair-3", "pair-4", "pair-5"]
    _box(browser, "code", "casing").click()
    assert "pair-2" not in _visible_rows(browser)
    _box(browser, "code", "duplication").click()
    _box(browser, "code", "casing").click()
    assert _visible_rows(browser) == everything

    _box(browser, "severity", "critical").click()
    assert "pair-4" not in _visible_rows(browser)
    _box(browser, "severity", "critical").click()

    browser.find_element("id", "show-clean").click()
    assert _visible_rows(browser) == everything[1:]
    assert browser.find_element("id", "shown").text == "showing 5 of 6 pairs"

    browser.find_element("id", "all-off").click()
    assert _visible_rows(browser) == []
    browser.find_element("id", "all-on").click()
    assert _visible_rows(browser) == everything
    _box(browser, "severity", "minor").click()
    _screenshot(browser, tmp_path, "filtered.png")


@needs_browser
def test_search_shows_the_pairs_whose_texts_match(browser, tmp_path):
    _open(browser, render(sample_report(hostile=True), "html"), tmp_path / "report.html")
    search = browser.find_element("id", "search")
    search.send_keys("TELEGRAM")  # case does not matter
    assert _visible_rows(browser) == ["pair-5"]
    search.clear()
    search.send_keys("<script>")  # searches the text as shown, markup included
    assert _visible_rows(browser) == ["pair-6"]
    search.send_keys("nothing in the texts")
    assert _visible_rows(browser) == []
    browser.find_element("id", "all-on").click()
    assert len(_visible_rows(browser)) == 7


@needs_browser
def test_next_and_previous_flag_visit_the_shown_flagged_pairs(browser, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, render(sample_report(), "html"), tmp_path / "report.html")
    _box(browser, "code", "omission").click()  # pair 4 hidden: the walk skips it

    def current():
        return [r.get_attribute("id") for r in browser.find_elements(By.CSS_SELECTOR, "tr.current")]

    visited = []
    for _ in range(5):
        browser.find_element(By.ID, "next-flag").click()
        visited += current()
    assert visited == ["pair-1", "pair-2", "pair-3", "pair-5", "pair-1"]
    browser.find_element(By.ID, "prev-flag").click()
    assert current() == ["pair-5"]
    browser.find_element(By.TAG_NAME, "body").send_keys("n")
    assert current() == ["pair-1"]


# --- the sample article, through the real command line ------------------------------------------
@pytest.fixture(scope="module")
def sample_html(sample_dir, tmp_path_factory):
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("sample") / "nato.html"
    result = subprocess.run(
        [sys.executable, "-m", "mtcheck", "check", str(sample_dir / "source.en.txt"),
         str(sample_dir / "target.fr.txt"), "--ref", str(sample_dir / "reference.fr.txt"),
         "--format", "html", "-o", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return out


@needs_browser
def test_sample_report_renders_with_its_defects_marked(browser, sample_html, tmp_path):
    _open(browser, sample_html.read_text(encoding="utf-8"), tmp_path / "nato.html")
    rows = _visible_rows(browser)
    assert len(rows) > 15
    # The stray reporting clause is highlighted where it is, with the message on hover.
    # (A casing flag on "il" overlaps it, so the clause may be cut into several marks.)
    said = []
    for row in browser.find_elements("css selector", "table.pairs > tbody > tr"):
        marks = [m for m in row.find_elements("css selector", "mark.flag")
                 if "duplication" in m.get_attribute("title")]
        if "".join(m.text for m in marks).strip() == "il a dit":
            said.append(row)
    assert len(said) == 1
    # Hiding additions hides the boilerplate rows at the end, and only flagged rows go.
    boilerplate = [r.get_attribute("id") for r in browser.find_elements("css selector", "table.pairs > tbody > tr")
                   if "Telegram" in r.text or "*****" in r.text or "soutien" in r.text]
    assert boilerplate
    _box(browser, "code", "addition").click()
    hidden = set(rows) - set(_visible_rows(browser))
    assert set(boilerplate) <= hidden
    for row_id in hidden:
        flags = browser.find_element("id", row_id).get_attribute("data-flags")
        assert "addition" in flags
    _box(browser, "code", "addition").click()
    assert _visible_rows(browser) == rows
    _screenshot(browser, tmp_path, "nato.png")
