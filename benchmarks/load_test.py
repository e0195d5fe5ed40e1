"""Load test: gunicorn on 127.0.0.1 under wrk, then the same load with editors saving in parallel.

Builds a throwaway archive (SQLite + Whoosh in a temporary folder: the curated corpus plus
--extra synthetic articles), serves it with gunicorn and the production static set-up, and drives
home, article, actor, topic and search pages with wrk for --duration seconds. It prints requests per
second, p50/p95/p99 latency and the error count. A second run adds --editors processes that save
articles (as the admin does: model save, history, index update) for the whole run; afterwards every
edit must be in the database and the index must match the database (`manage.py check_index`).

    .venv/bin/python benchmarks/load_test.py                  # 60 s per run
    .venv/bin/python benchmarks/load_test.py --duration 10    # a quick run

Exit status 1 when any request failed, an edit was lost or the index disagrees with the database.
Only 127.0.0.1 is ever contacted; both runs stop by themselves.
"""

import argparse
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

WRK_SCRIPT = r"""
local paths = {}
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  responses = 0
  for line in io.lines(os.getenv("LOAD_PATHS")) do table.insert(paths, line) end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  responses = responses + 1
  if status >= 400 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %.3f, \"http_errors\": %d, \"socket_errors\": %d, "
      .. "\"status_errors\": %d, \"p50_ms\": %.2f, \"p95_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f}\n",
    summary.requests, summary.duration / 1e6, bad, socket_errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(folder: Path, port: int, workers: int, secret: str, database_url: str = "") -> dict:
    """The environment of a production-style site (gunicorn, manifest static files, DEBUG off) with its
    own SQLite database, index and static files in `folder`, or the PostgreSQL database given."""
    env = dict(
        os.environ,
        ARCHIVE_VAR_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_SECRET_KEY=secret,
        DJANGO_DEBUG="0",
        DJANGO_MANIFEST_STATIC="1",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        GUNICORN_ACCESS_LOG=str(folder / "access.log"),
        GUNICORN_WORKERS=str(workers),
        PORT=str(port),
    )
    env.pop("ELASTICSEARCH_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def add_synthetic_articles(count: int) -> None:
    """Published articles with a quoted statement each, so pages and search have some weight."""
    from archive import indexing
    from archive.models import Actor, Article, Source, Statement, Topic

    rng = random.Random(7)
    speakers = list(Actor.objects.filter(kind=Actor.Kind.PERSON)[:20])
    topics = list(Topic.objects.all())
    source = Source.objects.order_by("name").first()
    words = (
        "talks negotiators ceasefire prisoners withdrawal Doha Kabul delegation agreement violence "
        "government Taliban envoy meeting region security peace council schedule framework"
    ).split()
    with indexing.deferred_indexing():
        for n in range(count):
            sentences = [" ".join(rng.choice(words) for _ in range(14)).capitalize() + "." for _ in range(12)]
            quote = " ".join(rng.choice(words) for _ in range(10)).capitalize()
            speaker = rng.choice(speakers)
            body = "\n\n".join(sentences[:6]) + f"\n\n“{quote},” {speaker.name} said.\n\n" + "\n\n".join(sentences[6:])
            article = Article.objects.create(
                title=f"Load test report {n}: {rng.choice(words)} and {rng.choice(words)}",
                body=body,
                raw_text=body,
                source=source,
                status=Article.Status.PUBLISHED,
                published_date=f"20{rng.randint(18, 21)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                date_precision=Article.DatePrecision.DAY,
            )
            article.topics.set(rng.sample(topics, 2))
            start = body.index(quote)
            Statement.objects.create(
                article=article,
                speaker=speaker,
                text=quote,
                start=start,
                end=start + len(quote),
                review_status=Statement.ReviewStatus.VERIFIED,
            )


def page_paths() -> list[str]:
    from archive.models import Actor, Article, Topic

    paths = ["/"]
    paths += [a.get_absolute_url() for a in Article.objects.published().order_by("pk")[:40]]
    paths += [a.get_absolute_url() for a in Actor.objects.with_statement_counts().filter(statement_count__gt=0)[:30]]
    paths += [t.get_absolute_url() for t in Topic.objects.all()]
    queries = [
        "ceasefire",
        "Khalilzad",
        "prisoner release",
        '"peace talks"',
        "Baradar ceasefire",
        "withdrawal -troops",
        "Doha OR Kabul",
        "speaker:khalilzad",
        "ceasfire",
        "negotiate",
    ]
    paths += [f"/search/?q={urllib.request.quote(q)}" for q in queries]
    return paths


def editor(env: dict, article_ids: list[int], stop_at: float, results: "multiprocessing.Queue") -> None:
    """Saves its own articles' titles over and over until stop_at; reports the last title of each."""
    django_setup(env)
    from archive.models import Article

    last, saves = {}, 0
    while time.time() < stop_at:
        for pk in article_ids:
            if time.time() >= stop_at:
                break
            article = Article.objects.get(pk=pk)
            base = article.title.split(" [edit ")[0]
            article.title = f"{base} [edit {saves}]"
            article.save()
            last[pk] = article.title
            saves += 1
    results.put({"saves": saves, "last": last})


def found_by_phrase(title: str) -> set[int]:
    """Ids of the articles the index finds for the exact phrase of a title."""
    from haystack.inputs import Exact
    from haystack.query import SearchQuerySet

    from archive.models import Article

    words = " ".join(title.replace("[", " ").replace("]", " ").replace(":", " ").split())
    results = SearchQuerySet().models(Article).filter(content=Exact(words))
    return {int(result.pk) for result in results[:50]}


def run_wrk(url: str, paths_file: Path, duration: int, connections: int, threads: int, lua: Path) -> dict:
    env = dict(os.environ, LOAD_PATHS=str(paths_file))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(lua), url]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
            return result
    raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")


def wait_until_up(url: str, process: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds} s")


def report(label: str, result: dict) -> None:
    print(
        f"{label}: {result['requests']} requests in {result['seconds']:.1f} s = {result['rps']:.1f} req/s; "
        f"latency p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"max {result['max_ms']:.1f} ms; errors: {result['http_errors']} HTTP, {result['socket_errors']} socket"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--extra", type=int, default=300, help="synthetic articles added to the corpus")
    parser.add_argument("--editors", type=int, default=2, help="editor processes in the second run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    folder = Path(tempfile.mkdtemp(prefix="archive-load-"))
    port = free_port()
    env = site_environment(folder, port, args.workers, secret="load-test-" + "x" * 50)
    server = None
    try:
        print(f"Preparing the archive in {folder} ...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "load_corpus")
        manage(env, "collectstatic", "--noinput")
        django_setup(env)
        add_synthetic_articles(args.extra)
        manage(env, "rebuild_index", "--noinput")
        from archive.models import Article, Statement

        print(
            f"Corpus: {Article.objects.published().count()} articles, {Statement.objects.public().count()} statements"
        )
        paths = page_paths()
        paths_file = folder / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        lua = folder / "load.lua"
        lua.write_text(WRK_SCRIPT)

        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=open(folder / "gunicorn.log", "w"),
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/", server)
        for path in paths:  # every page answers before the clock starts
            with urllib.request.urlopen(url + path, timeout=30) as response:
                assert response.status == 200, path
        print(
            f"{len(paths)} distinct pages (home, articles, actors, topics, searches); gunicorn: {args.workers} "
            f"workers; wrk: {args.threads} threads, {args.connections} connections, {args.duration} s per run"
        )

        failures = 0
        first = run_wrk(url, paths_file, args.duration, args.connections, args.threads, lua)
        report("Readers only", first)
        failures += first["http_errors"] + first["socket_errors"]

        ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True)[: 10 * args.editors])
        queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
        stop_at = time.time() + args.duration
        editors = [
            multiprocessing.get_context("spawn").Process(
                target=editor, args=(env, ids[i :: args.editors], stop_at, queue)
            )
            for i in range(args.editors)
        ]
        for process in editors:
            process.start()
        second = run_wrk(url, paths_file, args.duration, args.connections, args.threads, lua)
        outcomes = [queue.get(timeout=120) for _ in editors]
        for process in editors:
            process.join(timeout=60)
        report(f"Readers + {args.editors} editors", second)
        failures += second["http_errors"] + second["socket_errors"]
        saves = sum(o["saves"] for o in outcomes)
        expected = {pk: title for o in outcomes for pk, title in o["last"].items()}
        lost = [pk for pk, title in expected.items() if Article.objects.get(pk=pk).title != title]
        unsearchable = [pk for pk, title in expected.items() if pk not in found_by_phrase(title)]
        print(
            f"Editors: {saves} saves ({saves / args.duration:.1f}/s), {len(lost)} edits lost in the database, "
            f"{len(unsearchable)} last edits not found by searching their title"
        )
        failures += len(lost) + len(unsearchable)
        check = subprocess.run(
            [PYTHON, "manage.py", "check_index"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        print("Index check:", check.stdout.strip().replace("\n", "; "), check.stderr.strip())
        failures += check.returncode != 0
        print("RESULT: PASS" if not failures else f"RESULT: FAIL ({failures} problems)")
        return 0 if not failures else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
