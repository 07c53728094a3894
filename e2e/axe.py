# SPDX-License-Identifier: AGPL-3.0-or-later
"""axe-core accessibility checks (WCAG 2.1 A and AA) for a Playwright page."""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TIMEOUT_MS = 30_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(
    page: Page, *, context: object = "document", disabled_rules: tuple[str, ...] = ()
) -> list[dict]:
    """context: an axe context (e.g. {"exclude": [["#id"]]}); disabled_rules: rule
    ids not to run, only for markup we do not write (say why where it is used)."""
    # page.evaluate goes through the DevTools protocol, so the site's strict CSP
    # (no 'unsafe-inline') does not block it the way add_script_tag would be blocked.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    # Started without awaiting and then waited for, so that a run that never
    # settles fails after a timeout instead of hanging (page.evaluate has none).
    page.evaluate(
        """([tags, context, disabled]) => {
            window.samverkaAxe = undefined;
            const rules = Object.fromEntries(disabled.map(id => [id, {enabled: false}]));
            axe.run(context === "document" ? document : context,
                    {runOnly: {type: 'tag', values: tags}, rules})
               .then(results => { window.samverkaAxe = {violations: results.violations}; },
                     error => { window.samverkaAxe = {error: String(error)}; });
        }""",
        [WCAG_TAGS, context, list(disabled_rules)],
    )
    page.wait_for_function("() => window.samverkaAxe !== undefined", timeout=AXE_TIMEOUT_MS)
    outcome = page.evaluate("() => window.samverkaAxe")
    if "error" in outcome:
        raise RuntimeError(f"axe failed on {page.url}: {outcome['error']}")
    return outcome["violations"]


def format_violations(violations: list[dict], where: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)
