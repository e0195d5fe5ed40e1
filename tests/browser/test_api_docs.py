"""The API documentation page renders in a real browser under the site's Content-Security-Policy."""


def test_swagger_ui_renders_without_csp_violations(live_server, settings, page):
    # The page and the schema read no database rows, so the test needs no database (and leaves it as it is).
    settings.API_ANON_RATE = "off"
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Peace Talks Archive API" in page.inner_text(".swagger-ui .info .title")
    path = page.locator('.opblock-summary-path[data-path="/api/statements/export.{fmt}"]')
    path.wait_for(timeout=20_000)
    hosts = page.evaluate("performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    assert problems == []
    assert set(hosts) == {live_server.url.split("//")[1]}  # every asset and the schema came from the site
