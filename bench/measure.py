"""Prints the budget numbers for a running Tianguis server (see bench/run.sh)."""

import concurrent.futures
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

BASE, PID = sys.argv[1], int(sys.argv[2])
TICKS = 100  # USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

PAGES = {
    "home": "/",
    "catalog /crafts": "/crafts",
    "catalog /crafts filtered": "/crafts?state=oaxaca&category=textiles&q=lana",
    "catalog /events": "/events",
    "listing /crafts/{slug}": "/crafts/tapete-greca-de-mitla-grana",
    "listing /tours/{slug}": "/tours/taller-de-tintes-naturales-teotitlan",
    "listing /events/{slug}": "/events/feria-nacional-del-cobre",
    "cooperative": "/cooperatives/tejedoras-del-picacho",
}


# What a browser says it takes: pages come gzipped, built assets brotli'd.
BROWSER = "gzip, deflate, br"


def fetch(path, encoding=BROWSER):
    req = urllib.request.Request(BASE + path, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(req) as res:  # urllib does not decompress: raw bytes
        return res.read(), res.headers


def assets(html):
    """Everything a first visit downloads besides photos: CSS, JS, wasm."""
    urls = set(re.findall(r'<link[^>]+rel="(?:stylesheet|modulepreload|preload)"[^>]*href="([^"]+)"', html))
    urls |= set(re.findall(r'<link[^>]+href="([^"]+)"[^>]*rel="(?:stylesheet|modulepreload|preload)"', html))
    urls |= set(re.findall(r'<script[^>]+src="([^"]+)"', html))
    urls |= set(re.findall(r'import\(?\s*["\'](/pkg/[^"\']+\.js)["\']', html))
    urls |= set(re.findall(r'["\'](/pkg/[^"\']+\.wasm)["\']', html))
    return sorted(u for u in urls if u.startswith("/") and not u.startswith("//"))


PHONE_WIDTH, PHONE_DPR = 390, 2


def phone_photos(html):
    """The photos a 390 px phone at 2 device pixels per CSS pixel fetches with the page:
    every image not loaded lazily, in the rendition its srcset and sizes pick."""
    picked = []
    for tag in re.findall(r"<img\b[^>]*>", html):
        if 'loading="lazy"' in tag:
            continue
        src = re.search(r'\ssrc="([^"]+)"', tag)
        srcset = re.search(r'srcset="([^"]+)"', tag)
        if not srcset:
            if src:
                picked.append(src.group(1))
            continue
        sizes = re.search(r'sizes="([^"]+)"', tag)
        slot = sizes.group(1).split(",")[-1].strip() if sizes else "100vw"
        css_px = PHONE_WIDTH * float(slot[:-2]) / 100 if slot.endswith("vw") else float(re.sub(r"[^\d.]", "", slot) or PHONE_WIDTH)
        need = css_px * PHONE_DPR
        candidates = sorted((int(w), url) for url, w in re.findall(r"(\S+)\s+(\d+)w", srcset.group(1).replace("&amp;", "&")))
        fits = [c for c in candidates if c[0] >= need]
        picked.append((fits[0] if fits else candidates[-1])[1])
    return picked


def cpu_seconds():
    fields = open(f"/proc/{PID}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_kb():
    for line in open(f"/proc/{PID}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


print(f"server RSS after start: {rss_kb() / 1024:.1f} MiB")
print()
print("first visit, compressed (as a browser asks), photos excluded, then with the photos a phone fetches first:")
for name, path in PAGES.items():
    html, _ = fetch(path)
    plain, _ = fetch(path, "identity")
    total = len(html)
    parts = [f"html {len(html) / 1024:.1f} KB"]
    for url in assets(plain.decode()):
        body, _ = fetch(url)
        total += len(body)
        parts.append(f"{url.rsplit('/', 1)[-1].split('.')[-1]} {len(body) / 1024:.1f} KB")
    print(f"  {name:28} {total / 1024:7.1f} KB  ({', '.join(parts)})")
    photos = phone_photos(plain.decode())
    photo_bytes = sum(len(fetch(url)[0]) for url in photos)
    print(f"  {'':28} {(total + photo_bytes) / 1024:7.1f} KB  with the photos a {PHONE_WIDTH} px phone ({PHONE_DPR}x) fetches first"
          + f" ({len(photos)}: {photo_bytes / 1024:.1f} KB)")

print()
ROUNDS, N = 7, 200
print(f"server CPU per request (user+system; median of {ROUNDS} rounds of {N} sequential requests, compressed as a browser asks;")
print("  rounds go round the pages in turn, so a slow spell on this shared machine spreads over all of them):")
cpu = {name: [] for name in PAGES}
wall = {name: [] for name in PAGES}
for path in PAGES.values():
    fetch(path)  # warm up
for _ in range(ROUNDS):
    for name, path in PAGES.items():
        before, t0 = cpu_seconds(), time.perf_counter()
        for _ in range(N):
            fetch(path)
        cpu[name].append((cpu_seconds() - before) * 1000 / N)
        wall[name].append((time.perf_counter() - t0) * 1000 / N)
for name in PAGES:
    c, w = cpu[name], wall[name]
    print(f"  {name:28} {statistics.median(c):6.2f} ms CPU (min {min(c):.2f}, max {max(c):.2f})   {statistics.median(w):6.2f} ms wall")

print()
print("throughput at 16 connections (wrk, 2 threads, 10 s, compressed as a browser asks):")
for name in ("catalog /crafts", "listing /crafts/{slug}"):
    out = subprocess.run(
        ["wrk", "-t2", "-c16", "-d10s", "-H", "Accept-Encoding: gzip, deflate, br", BASE + PAGES[name]],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    latency = re.search(r"Latency\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(f"  {name:28} {float(rps):8.0f} req/s   mean latency {latency}" + (f"   NON-2XX {errors.group(1)}" if errors else ""))
print()
print(f"server RSS after load: {rss_kb() / 1024:.1f} MiB")

print()
print("junk (issue 20): what the largest form costs, and memory under sustained junk:")
import random
import urllib.error
import urllib.parse


def post(path, body, content_type="application/x-www-form-urlencoded"):
    req = urllib.request.Request(BASE + path, data=body, method="POST", headers={
        "Content-Type": content_type, "Accept-Language": "es"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=60) as res:
            res.read()
            return res.status
    except urllib.error.HTTPError as err:
        err.read()
        return err.code
    except (ConnectionError, urllib.error.URLError):
        return 0  # refused before the body was all sent


def cpu_per_post(path, body, n=100):
    post(path, body)
    before = cpu_seconds()
    statuses = {post(path, body) for _ in range(n)}
    return (cpu_seconds() - before) * 1000 / n, statuses


# The largest form the server reads: 200 fields, just under 64 KiB (each field
# within its 10,000-character bound), refused by the form's own checks (422). To
# /sign-up: a failed sign-in would hash a password and be slowed by its gate.
largest = urllib.parse.urlencode(
    [("email", "no-es-un-correo")] + [(f"f{n}", "x" * 300) for n in range(199)]).encode()
ms, statuses = cpu_per_post("/sign-up", largest)
print(f"  largest accepted form ({len(largest) / 1024:.0f} KiB, 200 fields) to /sign-up: {ms:.2f} ms CPU each {sorted(statuses)}")
many = b"f=&" * 100_000
ms, statuses = cpu_per_post("/sign-in", many)
print(f"  100,000 empty fields ({len(many) / 1024:.0f} KiB) to /sign-in: {ms:.2f} ms CPU each {sorted(statuses)}")
fields_200 = b"f=&" * 300
ms, statuses = cpu_per_post("/order-links", fields_200)
print(f"  300 empty fields ({len(fields_200) / 1024:.1f} KiB) to /order-links: {ms:.2f} ms CPU each {sorted(statuses)}")

JUNK_SECONDS = 60
JUNK_PATHS = ["/sign-in", "/sign-up", "/cart/items", "/checkout", "/order-links",
              "/slots/1/book", "/orders/TG-AAAA/check", "/api/anything", "/forgot-password"]


def junk_body(rng):
    pick = rng.randrange(6)
    if pick == 0:
        return rng.randbytes(rng.randrange(1, 200_000))
    if pick == 1:
        return b"f=&" * rng.randrange(1, 100_000)
    if pick == 2:
        return urllib.parse.urlencode({"email": "a" * rng.randrange(1, 60_000)}).encode()
    if pick == 3:
        return b"name=Ana%00&email=a%40b.mx&k=" + b"K" * rng.randrange(1, 60_000)
    if pick == 4:
        return urllib.parse.urlencode(
            [(f"count_{rng.randrange(1000)}", str(rng.randrange(10**12))) for _ in range(190)]).encode()
    return rng.randbytes(64)


rss_before = rss_kb()
peak = [rss_before]
sent = [0]
stop_at = time.monotonic() + JUNK_SECONDS


def junk_worker(seed):
    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        post(rng.choice(JUNK_PATHS), junk_body(rng),
             rng.choice(["application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "application/json"]))
        sent[0] += 1
        peak[0] = max(peak[0], rss_kb())


every_10s = []


def sample_rss():
    while time.monotonic() < stop_at:
        time.sleep(10)
        every_10s.append(rss_kb())


sampler = threading.Thread(target=sample_rss)
sampler.start()
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(junk_worker, range(8)))
sampler.join()
time.sleep(2)
print(f"  {JUNK_SECONDS} s of junk from 8 clients ({sent[0]} posts): server RSS {rss_before / 1024:.1f} MiB before, "
      f"{peak[0] / 1024:.1f} MiB at most, {rss_kb() / 1024:.1f} MiB after")
print("  RSS every 10 s (MiB): " + ", ".join(f"{kb / 1024:.1f}" for kb in every_10s)
      + "  (the first sign-ins give each password worker its 19 MiB, kept for reuse)")

print()
FLOOD = 300
print(f"a flood of {FLOOD} sign-ups at once (each hashes a password: argon2id, 19 MiB):")
peak = [rss_kb()]
flooding = threading.Event()
flooding.set()


def watch_rss():
    while flooding.is_set():
        peak[0] = max(peak[0], rss_kb())
        time.sleep(0.005)


def sign_up(n):
    body = urllib.parse.urlencode({
        "name": "Visitante", "email": f"flood{n}-{time.time_ns()}@ejemplo.mx",
        "password": "una contraseña larga",
    }).encode()
    req = urllib.request.Request(BASE + "/sign-up", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=120) as res:
            return res.status
    except urllib.error.HTTPError as err:
        return err.code


watcher = threading.Thread(target=watch_rss)
watcher.start()
t0 = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(max_workers=FLOOD) as pool:
    statuses = list(pool.map(sign_up, range(FLOOD)))
flooding.clear()
watcher.join()
counts = {s: statuses.count(s) for s in sorted(set(statuses))}
print(f"  answers {counts} in {time.perf_counter() - t0:.1f} s (303: signed up; 503: asked to try again)")
print(f"  server RSS peak during the flood: {peak[0] / 1024:.1f} MiB; after: {rss_kb() / 1024:.1f} MiB")
