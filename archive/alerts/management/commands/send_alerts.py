"""Mail readers the statements new to their alerts (run it from cron or a systemd timer)."""

from django.core.management.base import BaseCommand, CommandError

from archive.alerts.services import send_alerts


class Command(BaseCommand):
    help = "Mail each confirmed reader the public statements new to their due alerts; safe to re-run."

    def handle(self, *args, **options):
        report = send_alerts()
        if report.already_running:
            self.stdout.write("Another send_alerts run is under way; this one sent nothing.")
            return
        if options["verbosity"] > 0:
            self.stdout.write(
                f"{report.readers_mailed} readers mailed, {report.statements_sent} statements, "
                f"{report.skipped_unconfirmed} readers with no confirmed address skipped, {report.failures} failed."
            )
        if report.failures:
            # A non-zero exit makes cron or systemd report it; the failed mail is sent by the next run.
            raise CommandError(f"{report.failures} alert mails or checks failed; they are tried again by the next run.")
