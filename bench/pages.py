"""Server CPU per public page at the catalog's present size (bench/scale.sh).

Usage: pages.py BASE_URL SERVER_PID DATABASE_URL LABEL. Prints one line per page:
the median over rounds of the server's CPU per request (user + system, from
/proc/PID/stat) and of the wall time per request, for sequential requests; and the
database statements the page took, when the server counts them
(TIANGUIS_COUNT_QUERIES=yes: the fewest over the rounds, background work aside).
"""

import os
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

BASE, PID, DB, LABEL = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
TICKS = 100  # USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
PER_PAGE = 12  # domain::catalog::CatalogFilter::PER_PAGE
MAX_PAGE = 84  # CatalogFilter::MAX_PAGE: deeper pages are refused (400)
# PAGES_ROUNDS and PAGES_N make a quick look cheaper (a 100,000-listing catalog page
# can take a tenth of a second before issue 23's indexes).
ROUNDS = int(os.environ.get("PAGES_ROUNDS", 5))
N = int(os.environ.get("PAGES_N", 100))

COUNT_CRAFTS = "SELECT count(*) FROM listing WHERE kind = 'craft' AND status = 'published'"
if DB.startswith("sqlite:"):
    path = DB.removeprefix("sqlite://").removeprefix("sqlite:").split("?")[0]
    crafts = sqlite3.connect(path).execute(COUNT_CRAFTS).fetchone()[0]
else:
    crafts = int(subprocess.check_output(["psql", DB, "-Atqc", COUNT_CRAFTS], text=True))
last_page = min(MAX_PAGE, max(1, -(-crafts // PER_PAGE)))

PAGES = {
    "home": "/",
    "/crafts": "/crafts",
    "/crafts one word": "/crafts?q=tapete",
    "/crafts three words, filters": "/crafts?q=tapete+lana+azul&state=oaxaca&category=textiles",
    "/crafts with a typo": "/crafts?q=tapate",
    "/crafts last page (84 at most)": f"/crafts?page={last_page}",
    "/tours": "/tours",
    "/events": "/events",
    "/search (one box)": "/search?q=barro",
    "craft page": "/crafts/tapete-greca-de-mitla-grana",
    "tour page": "/tours/taller-de-tintes-naturales-teotitlan",
    "event page": "/events/feria-nacional-del-cobre",
    "cooperative": "/cooperatives/tejedoras-del-picacho",
    "community": "/communities/teotitlan-del-valle",
    "fund": "/communities/teotitlan-del-valle/fund",
}


queries = {name: [] for name in PAGES}


def fetch(path, name=None):
    req = urllib.request.Request(BASE + path, headers={"Accept-Encoding": "gzip, deflate, br"})
    with urllib.request.urlopen(req) as res:
        count = res.headers.get("x-queries")
        if name and count is not None:
            queries[name].append(int(count))
        return res.status, res.read()


def cpu_seconds():
    fields = open(f"/proc/{PID}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def wait_until_idle(limit=60.0):
    """Waits for the server's start-up work to end (its first background rounds: the
    release of shares read the whole history, 0.35 s of CPU at a million postings),
    which would otherwise be counted in the first pages measured: until its CPU time
    stays still for a second."""
    deadline = time.monotonic() + limit
    last = cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = cpu_seconds()
        if now == last:
            return
        last = now


wait_until_idle()
for name, path in PAGES.items():
    status, _ = fetch(path)  # warm up, and every page must be there
    assert status == 200, f"{path}: {status}"
cpu = {name: [] for name in PAGES}
wall = {name: [] for name in PAGES}
for _ in range(ROUNDS):
    for name, path in PAGES.items():
        before, t0 = cpu_seconds(), time.perf_counter()
        for _ in range(N):
            fetch(path, name)
        cpu[name].append((cpu_seconds() - before) * 1000 / N)
        wall[name].append((time.perf_counter() - t0) * 1000 / N)
print(f"{LABEL}: {crafts} published crafts (last page {last_page})")
for name in PAGES:
    counted = f"   {min(queries[name]):3} queries" if queries[name] else ""
    print(f"  {name:30} {statistics.median(cpu[name]):6.2f} ms CPU   {statistics.median(wall[name]):6.2f} ms wall{counted}")
