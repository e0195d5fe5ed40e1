"""The stance timeline and a statement's reply thread in chromium, with the curated stances and relations:
points that lead to their statements, the table alternative, the thread's links, no console errors (the
CSP forbids inline code), and axe's audit."""

import pytest
from axe_playwright_python.sync_playwright import Axe

TIMELINE = "/actors/taliban/stances/intra-afghan-talks/"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def audited(browser):
    # axe is injected as a script; the site's CSP (rightly) forbids that, so the audit context bypasses it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def leader_statement():
    from archive.models import Statement

    return Statement.objects.get(text__contains="vigorously promoting a political settlement")


def test_stance_timeline_points_lead_to_their_statements(site, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(site.url + "/actors/taliban/")
    page.get_by_role("link", name="On intra-afghan talks").click()
    assert page.url == site.url + TIMELINE
    points = page.locator(".stance-chart svg a")
    assert points.count() == 4
    box = page.locator(".stance-chart svg").bounding_box()
    assert box["width"] > 600 and box["height"] > 100
    # The earliest point (2019, opposes) sits lower than the latest ones (supports).
    ys = [float(points.nth(i).locator("circle").get_attribute("cy")) for i in range(4)]
    assert ys[0] > ys[-1]
    assert page.locator(".stance-table tbody tr").count() == 4
    points.last.click()
    assert "/statements/" in page.url
    assert page.get_by_role("heading", name="Stance").is_visible()
    assert errors == []


def test_statement_thread_links_the_answer_to_its_sentence(site, page):
    statement = leader_statement()
    page.goto(site.url + statement.get_absolute_url())
    thread = page.locator(".thread")
    assert thread.get_by_role("heading", name="Replies and answers").is_visible()
    assert "neither the intention nor the will" in thread.inner_text()
    assert thread.locator(".relation-denies").inner_text() == "Denies"
    thread.get_by_role("link", name="neither the intention nor the will", exact=False).click()
    assert "/statements/" in page.url and page.locator(".big-quote").inner_text().count("neither the intention")
    # From the answer's page, its thread leads to the sentence in the article.
    page.locator(".thread .thread-current .statement-source a").click()
    assert "#s-" in page.url
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()


@pytest.mark.parametrize("which", ["timeline", "thread", "shifts"])
def test_stance_pages_have_no_serious_accessibility_violations(site, audited, which):
    path = {"timeline": TIMELINE, "thread": None, "shifts": "/shifts/"}[which] or leader_statement().get_absolute_url()
    response = audited.goto(site.url + path)
    assert response.status == 200
    assert serious_violations(audited) == []


def test_stance_timeline_fits_a_phone(site, phone):
    phone.goto(site.url + TIMELINE)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
