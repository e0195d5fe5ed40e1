"""Soak: 60 s of everything at once against gunicorn on 127.0.0.1, then a check that nothing was lost.

On a throwaway archive (the curated corpus plus synthetic articles; SQLite + Whoosh in a temporary
folder, or the PostgreSQL database given with --database-url, which is emptied first):

- readers fetch pages, searches and API lists and exports over HTTP the whole time;
- two editors save through the admin's change forms (the same article, one its title and the other its
  notes, and each its own articles): a save over a newer version must get the conflict page (409), so
  that an edit is never silently lost;
- an import of synthetic files is killed with SIGKILL half-way, then run again to completion;
- the search index is rebuilt (`rebuild_index`) while all this goes on.

It reports 5xx responses (other than throttling), lost edits, conflicts, "database is locked" (in the
server log and the editors), `check_index`, and the largest RSS of any process it started.

    .venv/bin/python benchmarks/soak.py [--duration 60] [--database-url postgres://…/pa_soak]

Exit status 1 when a 5xx, a lost edit, a "database is locked" or an index difference was seen.
"""

import argparse
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable

from benchmarks.load_test import (  # noqa: E402
    add_synthetic_articles,
    django_setup,
    free_port,
    manage,
    page_paths,
    site_environment,
)
from benchmarks.synthetic import write_articles  # noqa: E402

LOCKED = re.compile(r"database is locked|database table is locked", re.IGNORECASE)


# --- Process memory ------------------------------------------------------------------------------------


class RssWatcher(threading.Thread):
    """Samples the RSS of this process and all its descendants; keeps the largest per command."""

    def __init__(self):
        super().__init__(daemon=True)
        self.largest: dict[str, int] = {}
        self.stop = threading.Event()

    def descendants(self) -> list[int]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
        found, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(child for child, parent in parents.items() if parent == pid)
        return found

    def run(self):
        while not self.stop.is_set():
            for pid in self.descendants():
                try:
                    with open(f"/proc/{pid}/status") as status:
                        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
                    with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                        parts = cmd.read().split(b"\0")
                    name = " ".join(p.decode(errors="replace").rsplit("/", 1)[-1] for p in parts[:3] if p)[:60]
                except (OSError, StopIteration):
                    continue
                self.largest[name] = max(self.largest.get(name, 0), rss)
            self.stop.wait(0.5)


# --- Readers -------------------------------------------------------------------------------------------


def reader(url: str, paths: list[str], stop_at: float, statuses: Counter, failures: list, seed: int) -> None:
    n = seed
    while time.time() < stop_at:
        path = paths[n % len(paths)]
        n += 7
        try:
            with urllib.request.urlopen(url + path, timeout=30) as response:
                response.read()
                statuses[response.status] += 1
        except urllib.error.HTTPError as error:
            statuses[error.code] += 1
            if error.code >= 500:
                failures.append(f"{error.code} {path}")
        except OSError as error:
            statuses["socket"] += 1
            failures.append(f"socket {path}: {error}")


# --- Editors through the admin ----------------------------------------------------------------------------


def form_data(response) -> dict:
    """The change form as a browser posts it back unchanged."""
    data = {"_archive_version": response.context["archive_version"]}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                data[f"{sub.prefix}-{name}"] = "" if value is None else value
    return data


def editor(env: dict, name: str, field: str, shared: int, own: list[int], stop_at: float, results) -> None:
    """Saves `field` of the shared article and of its own articles through the admin's change form."""
    django_setup(env)
    from django.contrib.auth import get_user_model
    from django.db import OperationalError
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # response.context, as the test client gives it
    user = get_user_model().objects.get(username=name)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    saved, conflicts, locked, errors, n, opens, saves = {}, 0, 0, [], 0, [], []
    targets = [shared, *own]
    while time.time() < stop_at:
        pk = targets[n % len(targets)]
        n += 1
        url = reverse("admin:archive_article_change", args=[pk])
        began = time.perf_counter()
        try:
            data = form_data(client.get(url))
            opens.append(time.perf_counter() - began)
            time.sleep(0.05)  # an editor reads before saving: the other one may save meanwhile
            value = f"{name} edit {n}" if field == "editor_notes" else f"Soak article {pk} by {name}, edit {n}"
            data[field] = value
            posted = time.perf_counter()
            response = client.post(url, data)
            saves.append(time.perf_counter() - posted)
        except OperationalError as error:
            locked += bool(LOCKED.search(str(error)))
            errors.append(str(error)[:200])
            continue
        if response.status_code == 302:
            saved[pk] = value
        elif response.status_code == 409:
            conflicts += 1
        else:
            body = response.content.decode(errors="replace")
            locked += bool(LOCKED.search(body))
            errors.append(f"{response.status_code} on {pk}")
    results.put({"name": name, "field": field, "saved": saved, "conflicts": conflicts, "locked": locked,
                 "errors": errors, "saves": len(saved), "attempts": n,
                 "open": sorted(opens)[len(opens) // 2] if opens else 0,
                 "save": sorted(saves)[len(saves) // 2] if saves else 0, "max": max(saves, default=0)})  # fmt: skip


# --- Import killed half-way, and a rebuild ----------------------------------------------------------------


def killed_import(env: dict, folder: Path, files: int, report: dict) -> None:
    """Import files, SIGKILL the import half-way, import them again; report what the archive holds."""
    source = folder / "import"
    write_articles(source, count=files, seed=4242)
    command = [PYTHON, "manage.py", "import_articles", str(source), "--no-progress"]
    from archive.models import Article

    before = Article.objects.count()
    started = time.time()
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Killed half-way: once about half the files are in the archive.
    while first.poll() is None and Article.objects.count() - before < files // 2 and time.time() - started < 300:
        time.sleep(0.2)
    killed = first.poll() is None
    killed_after = round(time.time() - started, 1)
    if killed:
        os.kill(first.pid, signal.SIGKILL)
    first.wait()
    report["after_kill"] = Article.objects.count() - before
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    report.update(
        killed_after=killed_after if killed else None,
        after_rerun=Article.objects.count() - before,
        rerun_status=second.returncode,
        rerun_summary=(second.stdout.strip().splitlines() or [""])[-1],
        rerun_locked=len(LOCKED.findall(second.stdout + second.stderr)),
    )


def rebuild(env: dict, delay: float, report: dict) -> None:
    time.sleep(delay)
    started = time.time()
    done = subprocess.run(
        [PYTHON, "manage.py", "rebuild_index", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    report.update(status=done.returncode, seconds=round(time.time() - started, 1),
                  locked=len(LOCKED.findall(done.stdout + done.stderr)), tail=done.stderr.strip()[-300:])  # fmt: skip


# --- Main ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--readers", type=int, default=4, help="reader threads")
    parser.add_argument("--extra", type=int, default=150, help="synthetic published articles")
    parser.add_argument("--import-files", type=int, default=120, help="files of the killed import")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--database-url", default="", help="a PostgreSQL database to empty and use")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="archive-soak-"))
    port = free_port()
    env = site_environment(folder, port, args.workers, "soak-test-key-" + "k7Qz" * 14, args.database_url)
    server, watcher = None, RssWatcher()
    try:
        print(f"Preparing the archive in {folder} ({'PostgreSQL' if args.database_url else 'SQLite'}) ...", flush=True)
        if args.database_url:
            import psycopg

            # Emptied entirely, so that the migrations' own data (the topic vocabulary) is there again.
            with psycopg.connect(args.database_url, autocommit=True) as db:
                db.execute("DROP SCHEMA public CASCADE")
                db.execute("CREATE SCHEMA public")
        manage(env, "migrate", "--noinput")
        manage(env, "load_corpus")
        manage(env, "collectstatic", "--noinput")
        django_setup(env)
        add_synthetic_articles(args.extra)
        manage(env, "rebuild_index", "--noinput")
        from django.contrib.auth import get_user_model

        from archive.models import Actor, Article, Topic

        for name in ("amina", "bilal"):
            get_user_model().objects.create_superuser(name, f"{name}@example.org", "a-long-pass-phrase")
        paths = page_paths()
        slugs = [a.slug for a in Actor.objects.public().order_by("pk")[:10]]
        topics = [t.slug for t in Topic.objects.order_by("pk")[:5]]
        paths += ["/api/articles/", "/api/statements/?ordering=-date", "/api/actors/", "/api/search/?q=ceasefire"]
        paths += [f"/api/actors/{slug}/statements.csv" for slug in slugs[:5]]
        paths += [f"/api/topics/{slug}/" for slug in topics] + ["/search/?q=Khalilzad&type=statement", "/timeline/"]
        ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True)[:7])
        from django.db import connections

        connections.close_all()

        watcher.start()
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=ROOT, env=env, stdout=open(folder / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=5).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        print(f"{len(paths)} distinct pages, searches and API calls; {args.readers} readers; "
              f"{args.duration} s", flush=True)  # fmt: skip

        stop_at = time.time() + args.duration
        statuses, failures = Counter(), []
        readers = [
            threading.Thread(target=reader, args=(url, paths, stop_at, statuses, failures, i))
            for i in range(args.readers)
        ]
        spawn = multiprocessing.get_context("spawn")
        results = spawn.Queue()
        shared = ids[0]
        editors = [
            spawn.Process(target=editor, args=(env, "amina", "title", shared, ids[1:4], stop_at, results)),
            spawn.Process(target=editor, args=(env, "bilal", "editor_notes", shared, ids[4:7], stop_at, results)),
        ]
        import_report, rebuild_report = {}, {}
        side = [
            threading.Thread(target=killed_import, args=(env, folder, args.import_files, import_report)),
            threading.Thread(target=rebuild, args=(env, args.duration / 2, rebuild_report)),
        ]
        for thread in [*readers, *side]:
            thread.start()
        for process in editors:
            process.start()
        outcomes = [results.get(timeout=args.duration + 300) for _ in editors]
        for thread in [*readers, *side]:
            thread.join(timeout=900)
        for process in editors:
            process.join(timeout=60)
        elapsed = args.duration

        # --- What the archive holds now ---
        lost = []
        for outcome in outcomes:
            for pk, value in outcome["saved"].items():
                stored = Article.objects.filter(pk=pk).values_list(outcome["field"], flat=True).first()
                if stored != value:
                    lost.append((outcome["name"], pk, outcome["field"], value, stored))
        check = subprocess.run([PYTHON, "manage.py", "check_index"], cwd=ROOT, env=env, capture_output=True, text=True)
        server_log = (folder / "gunicorn.log").read_text(errors="replace")
        locked = len(LOCKED.findall(server_log)) + sum(o["locked"] for o in outcomes)
        locked += import_report.get("rerun_locked", 0) + rebuild_report.get("locked", 0)
        five = sum(n for code, n in statuses.items() if isinstance(code, int) and code >= 500)
        total = sum(statuses.values())
        watcher.stop.set()
        watcher.join(timeout=5)

        print(f"Readers: {total} requests in {elapsed} s ({total / elapsed:.1f}/s); statuses "
              f"{dict(sorted(statuses.items(), key=str))}; 5xx (not throttling): {five}")  # fmt: skip
        for failure in failures[:5]:
            print("  ", failure)
        for o in outcomes:
            print(f"Editor {o['name']} ({o['field']}): {o['attempts']} saves tried (median: open the form "
                  f"{o['open']:.2f} s, save {o['save']:.2f} s; slowest save {o['max']:.2f} s), {o['saves']} articles with a save of theirs, "
                  f"{o['conflicts']} conflicts answered 409, errors {o['errors'][:3]}")  # fmt: skip
        print(f"Lost edits: {len(lost)} {lost[:3]}")
        print(f"Killed import of {args.import_files} files: SIGKILL after {import_report.get('killed_after')} s with "
              f"{import_report.get('after_kill')} articles in; re-run exit {import_report.get('rerun_status')}: "
              f"{import_report.get('rerun_summary')}; {import_report.get('after_rerun')} articles in")  # fmt: skip
        print(f"Rebuild during the soak: exit {rebuild_report.get('status')} in {rebuild_report.get('seconds')} s "
              f"{rebuild_report.get('tail', '') if rebuild_report.get('status') else ''}")  # fmt: skip
        print(
            "check_index:",
            check.returncode,
            check.stdout.strip().replace("\n", "; ")[:600],
            check.stderr.strip()[-300:],
        )
        print(f'"database is locked": {locked}')
        largest = sorted(watcher.largest.items(), key=lambda item: -item[1])[:5]
        print("Largest RSS:", "; ".join(f"{kb / 1024:.0f} MB {name}" for name, kb in largest))
        problems = five + len(lost) + locked + (check.returncode != 0) + bool(import_report.get("rerun_status"))
        problems += bool(rebuild_report.get("status")) + sum(len(o["errors"]) for o in outcomes)
        print("RESULT: PASS" if not problems else f"RESULT: FAIL ({problems} problems)")
        return 0 if not problems else 1
    finally:
        watcher.stop.set()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
