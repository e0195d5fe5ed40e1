"""The agreement pages in chromium, on a desktop and on a phone, with the curated agreements."""

import pytest
from django.urls import reverse

AGREEMENT = "/agreements/us-taliban-agreement/"


def test_nav_leads_to_the_agreement_and_a_provision(site, page):
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agreements").click()
    page.get_by_role("link", name="US–Taliban agreement").click()
    assert page.url == site.url + AGREEMENT
    assert page.get_by_role("heading", level=1).inner_text() == "US–Taliban agreement"
    page.get_by_role("link", name="US forces down to 8,600 within 135 days").click()
    assert page.url.endswith("/agreements/us-taliban-agreement/reduce-to-8600/")
    assert "13 July 2020" in page.locator("#deadlines-h + ul").inner_text()


def test_agreement_page_on_desktop(site, page):
    page.goto(site.url + AGREEMENT)
    items = page.locator(".provision-item")
    assert items.count() == 19
    withdrawal = page.locator("#withdrawal-14-months")
    assert "Intermediate" in withdrawal.locator(".status-badge").inner_text()
    assert "29 April 2021" in withdrawal.inner_text()
    # The strip is drawn, as wide as its card, with one band per period and a mark per deadline.
    strip = withdrawal.locator(".status-strip svg")
    box = strip.bounding_box()
    assert box["width"] > 500 and box["height"] > 20
    assert withdrawal.locator("svg rect").count() == 3
    assert withdrawal.locator("svg line.deadline-mark").count() == 1
    # Its table alternative opens and lists the same periods.
    withdrawal.get_by_text("Status over time as a table").click()
    rows = withdrawal.locator("table tbody tr")
    assert rows.count() == 3 and rows.nth(2).locator("td").nth(1).inner_text() == "Intermediate"
    claims = page.locator("#intra-afghan-negotiations").inner_text()
    assert "Taliban: 2 kept, 0 broken" in claims
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.parametrize("path", [AGREEMENT, AGREEMENT + "intra-afghan-negotiations/", "/agreements/"])
def test_agreement_pages_fit_a_phone(site, phone, path):
    response = phone.goto(site.url + path)
    assert response.status == 200
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_phone_agreement_strip_and_statuses_are_visible(site, phone):
    phone.goto(site.url + AGREEMENT)
    item = phone.locator("#reduce-to-8600")
    item.scroll_into_view_if_needed()
    assert item.locator(".status-badge").is_visible() and item.locator(".status-badge").inner_text() == "Full"
    box = item.locator(".status-strip svg").bounding_box()
    assert 250 < box["width"] <= 375


def test_provision_page_links_a_claim_to_its_sentence(site, page):
    page.goto(site.url + reverse("archive:provision_detail", args=["us-taliban-agreement", "no-use-of-afghan-soil"]))
    column = page.locator(".compare-column", has=page.locator("h3", has_text="Pentagon")).or_(
        page.locator(".compare-column", has=page.locator("h3", has_text="United States government"))
    )
    column.first.get_by_role("link", name="sever ties with al Qaeda").first.click()
    assert "/statements/" in page.url
    assert "Claims broken" in page.locator(".provision-links").inner_text()
