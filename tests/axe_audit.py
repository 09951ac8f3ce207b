"""axe-core (npm, pinned in tests/browsers/package.json) run on a loaded nnweb page.

The script is served by the tests' server from the site's own origin (``AXE_ROUTE``), so the
site's Content-Security-Policy (script-src 'self') lets it in unchanged: the page is audited
under the policy it ships with. axe walks open shadow roots by default, which is where Panel
and Bokeh render every widget (test_site_a11y.py plants a violation in one to prove it).
"""
from __future__ import annotations

from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parent / "browsers" / "node_modules" / "axe-core" / "axe.min.js"
AXE_ROUTE = "/axe-core.js"
BLOCKING = ("critical", "serious")  # the impacts the page must have none of

# A function, not a string: Playwright would eval a string, which the site's CSP refuses.
RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
  }));
}"""


def axe_files() -> dict[str, bytes]:
    """The server's ``extra_files`` that make axe loadable by the page (see tests/conftest.py)."""
    if not AXE_SOURCE.exists():
        raise FileNotFoundError(f"{AXE_SOURCE} is missing: `make deps` installs it (npm ci in tests/browsers)")
    return {AXE_ROUTE: AXE_SOURCE.read_bytes()}


def audit(page) -> list[dict]:
    """Every violation axe finds on ``page`` (a Page or a Frame) now, loading axe first if needed."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_ROUTE)
        page.wait_for_function("() => typeof window.axe !== 'undefined'")
    return page.evaluate(RUN)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict], where: str = "") -> str:
    """One line per violation and node: rule, impact, target (shadow hosts joined by ' >> '), summary."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " >> ".join(t if isinstance(t, str) else " > ".join(t) for t in node["target"])
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"{where}{v['rule']} [{v['impact']}] {target}: {summary}")
    return "\n".join(lines)


def counts(violations: list[dict]) -> dict[str, int]:
    """Nodes per rule (for the report of what was found)."""
    return {f"{v['rule']} ({v['impact']})": len(v["nodes"]) for v in violations}
