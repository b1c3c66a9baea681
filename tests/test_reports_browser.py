"""The HTML report in a real browser: headless Chromium renders it to a DOM and a screenshot.

Skipped, with the reason, where no Chromium is installed (`.ci/run` installs Debian's `chromium`
where it can). The page is opened from a file with the network off, as a reviewer opens a mailed
report; with scripts on the filter bar works, with scripts off every finding is still there.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest

from tests.helpers import EXAMPLES, run
from tests.test_reports import INPUTS, json_findings, parse

BROWSER = next(
    (
        shutil.which(name)
        for name in ("chromium", "chromium-browser", "google-chrome")
        if shutil.which(name)
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium installed (Debian: apt-get install chromium); the browser checks need one",
)


def chromium(tmp_path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}", *extra, url,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser")
    out = directory / "report.html"
    result = run("check", *INPUTS, "--format", "html", "-o", str(out), "--no-cache")
    assert result.returncode == 1, result.err
    return directory, out, json_findings(*INPUTS)


def dom(tmp_path, url: str, *extra: str):
    result = chromium(tmp_path, url, "--dump-dom", *extra)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    text = result.stdout.decode("utf-8")
    assert "</html>" in text
    return text, parse(text)


def test_rendered_with_scripts_every_finding_and_the_filters(page, tmp_path):
    _, out, found = page
    text, parsed = dom(tmp_path, out.as_uri())
    assert Counter((f["rule"], f["msg"]) for f in parsed.findings) == Counter(
        (d["code"], d["message"]) for d in found
    )
    assert '<form id="filters">' in text  # the script showed the filter bar
    assert f"显示 {len(found)} / {len(found)} 条问题" in text
    assert (
        "hidden"
        not in text.split('<main id="files">', 1)[1]
        .split("</main>", 1)[0]
        .split("<li", 1)[1]
        .split(">", 1)[0]
    )


def test_rendered_without_scripts_every_finding_shows(page, tmp_path):
    """Scripts off: the page's Content-Security-Policy set to allow no script at all (the
    browser's own switch for it, --blink-settings=scriptEnabled=false, stops --dump-dom too)."""
    from perflint.formats.html.page import CSP, SCRIPT, script_hash

    _, out, found = page
    off = tmp_path / "noscript.html"
    text = out.read_text(encoding="utf-8")
    assert script_hash(SCRIPT) in text
    q = "&#x27;"  # the policy is an attribute: its quotes are escaped
    assert CSP in text.replace(q, "'")
    off.write_text(text.replace(f"{q}{script_hash(SCRIPT)}{q}", f"{q}none{q}"), encoding="utf-8")
    assert f"script-src {q}none{q}" in off.read_text(encoding="utf-8")
    text, parsed = dom(tmp_path, off.as_uri())
    assert len(parsed.findings) == len(found)
    assert '<form id="filters" hidden="">' in text  # no filter bar that would do nothing
    main = text.split('<main id="files">', 1)[1]
    assert "<li hidden" not in main and 'hidden=""' not in main.split("</main>", 1)[0]


def test_filter_from_the_address_hides_other_findings_and_unmarks_their_cells(page, tmp_path):
    _, out, found = page
    text, parsed = dom(tmp_path, out.as_uri() + "?rule=PF204")
    wanted = sum(1 for d in found if d["code"] == "PF204")
    assert wanted and f"显示 {wanted} / {len(found)} 条问题" in text
    shown = [
        chunk
        for chunk in text.split('<li class="finding')[1:]
        if " hidden" not in chunk.split(">", 1)[0]
    ]
    assert len(shown) == wanted and all(
        'data-rule="PF204"' in chunk.split(">", 1)[0] for chunk in shown
    )
    # a cell flagged only by other rules is no longer highlighted
    assert 'class="flag sev-warning off"' in text or 'class="flag sev-error off"' in text


def test_screenshot(page, tmp_path):
    directory, out, _ = page
    shot = directory / "report.png"
    result = chromium(tmp_path, out.as_uri(), f"--screenshot={shot}", "--window-size=1400,2400")
    assert result.returncode == 0 and shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_print_to_pdf(page, tmp_path):
    """The print stylesheet: the report prints (a PDF of several pages, one file a page at least)."""
    directory, out, _ = page
    pdf = directory / "report.pdf"
    result = chromium(tmp_path, out.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert result.returncode == 0 and pdf.exists()
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and data.count(b"/Type /Page\n") + data.count(
        b"/Type /Page "
    ) + data.count(b"/Type/Page") >= len(list(EXAMPLES.glob("*.*")))
