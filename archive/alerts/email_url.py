"""EMAIL_URL → Django's EMAIL_* settings (plain parsing: the settings module imports it).

    smtp://user:password@host:25       plain SMTP (add ?tls=1 for STARTTLS)
    smtp+tls://user:password@host:587  STARTTLS (also "submission://")
    smtps://user:password@host:465     SMTP over TLS (also "smtp+ssl://")
    console:                           print each message (development)
    file:///var/mail/archive           one file per message
    locmem:                            kept in memory (tests)
User name and password are percent-decoded, so an "@" in a user name is written %40.
"""

from urllib.parse import parse_qs, unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
SMTP_SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "submission": (True, False)}
SMTP_SCHEMES |= {"smtps": (False, True), "smtp+ssl": (False, True)}
DEFAULT_PORTS = {(False, False): 25, (True, False): 587, (False, True): 465}


def email_settings(url: str) -> dict:
    """The EMAIL_* settings an EMAIL_URL stands for; ValueError for a scheme it does not know."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in BACKENDS:
        found = {"EMAIL_BACKEND": BACKENDS[scheme]}
        if scheme == "file":
            found["EMAIL_FILE_PATH"] = unquote(parts.path)
        return found
    if scheme not in SMTP_SCHEMES:
        raise ValueError(f"EMAIL_URL: unknown scheme {scheme!r} (smtp, smtp+tls, smtps, console, file, locmem).")
    tls, ssl = SMTP_SCHEMES[scheme]
    options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
    tls = tls or options.get("tls") in {"1", "true", "yes", "on"}
    ssl = ssl or options.get("ssl") in {"1", "true", "yes", "on"}
    if tls and ssl:
        raise ValueError("EMAIL_URL: choose STARTTLS or TLS, not both.")
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or DEFAULT_PORTS[(tls, ssl)],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
    }
