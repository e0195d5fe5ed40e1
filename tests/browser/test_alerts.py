"""A reader in the browser: sign up, confirm, save a search, see the alerts list; each page audited by axe."""

import re

import pytest

from tests.browser.test_accessibility import serious_violations

PASSWORD = "a-reader-pass-phrase-9"


@pytest.fixture
def reader_page(browser):
    # axe is injected as a script, which the site's CSP forbids: the audit context bypasses it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_reader_signs_up_confirms_and_saves_a_search(site, reader_page, mailoutbox):
    from archive.alerts.models import Subscription

    page = reader_page
    page.goto(site.url + "/accounts/signup/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Sign Up"
    assert serious_violations(page) == []
    page.get_by_label("Email").fill("browser.reader@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    (confirmation,) = mailoutbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", confirmation.body).group(1)
    page.goto(site.url + link)
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/alerts/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your alerts"
    assert serious_violations(page) == []

    page.goto(site.url + "/search/?q=Khalilzad&topic=ceasefire")
    form = page.locator(".save-search-form")
    assert serious_violations(page) == []
    form.get_by_label("Name").fill("Envoy on the ceasefire")
    form.get_by_label("How often").select_option("weekly")
    form.get_by_role("button", name="Save this search").click()
    page.wait_for_url("**/alerts/")
    assert page.get_by_role("status").inner_text().strip() == "Saved “Envoy on the ceasefire”."
    item = page.locator(".alert-item")
    assert item.get_by_role("link", name="Envoy on the ceasefire", exact=True).get_attribute("href") == (
        "/search/?q=Khalilzad&topic=ceasefire"
    )
    assert "Weekly" in item.inner_text()
    assert serious_violations(page) == []
    alert = Subscription.objects.get(user__email="browser.reader@example.org")
    assert (alert.query, alert.frequency) == ("q=Khalilzad&topic=ceasefire", "weekly")

    item.get_by_role("button", name="Pause “Envoy on the ceasefire”").click()
    page.wait_for_url("**/alerts/")
    assert page.locator(".alert-item").get_by_role("button", name="Resume “Envoy on the ceasefire”").is_visible()

    # Edit it, then follow an actor from the actor's page; both forms audited.
    page.locator(".alert-item").get_by_role("link", name="Edit “Envoy on the ceasefire”").click()
    page.wait_for_url("**/edit/")
    assert serious_violations(page) == []
    page.get_by_label("How often").select_option("daily")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/alerts/")
    assert "Daily" in page.locator(".alert-item").inner_text()
    page.goto(site.url + "/actors/zalmay-khalilzad/")
    page.get_by_role("link", name="By email").click()
    page.wait_for_url("**/alerts/follow/actor/*/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Follow").click()
    page.wait_for_url("**/alerts/")
    assert page.locator(".alert-item").count() == 2
