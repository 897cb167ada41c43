#!/usr/bin/env python3
"""Why search reads matches in key order instead of ranking them (issue 23).

Builds 100,000 listings from the demo catalog's 69, varied as `tianguis seed --listings`
varies them (a colour and a size in each title), into SQLite's FTS5 and PostgreSQL's
tsvector + GIN (database `engines` on 127.0.0.1, dropped and made again), and times the
first twelve crafts for a few queries: ranked by the engine's own function (`bm25`,
`ts_rank`), read in key order (what Tianguis does, per tier), and counted up to 1,001.
Text is folded and crudely stemmed here: the engines' cost is measured, not the stemmer.
Prints; asserts nothing. Usage: bench/search_engines.py [N]  (about 3 minutes)
"""
import csv, os, re, sqlite3, statistics, subprocess, sys, tempfile, time, unicodedata, json

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
HERE = os.path.dirname(os.path.abspath(__file__))
demo = json.load(open(os.path.join(HERE, "..", "server", "demo", "catalog.json")))
COLOURS = [("azul añil", "indigo blue"), ("rojo grana", "cochineal red"), ("amarillo cempasúchil", "marigold yellow"),
           ("verde musgo", "moss green"), ("negro carbón", "charcoal black"), ("blanco crudo", "natural white"),
           ("rosa mexicano", "Mexican pink"), ("café nogal", "walnut brown"), ("morado jacaranda", "jacaranda purple"),
           ("naranja tierra", "earth orange")]
SIZES = [("chico", "small"), ("mediano", "medium"), ("grande", "large"), ("de colección", "collector's")]
STOP = set("de la el en y a los las del con por para un una su sus que se al lo es the of and a in on with for to an its by from is as at".split())
QUERIES = [["tapet"], ["tapet", "lan", "azul"], ["barr", "negr"], ["mezcal"]]


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


def stem(w):
    for suffix in ("es", "s", "a", "o", "e"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def words(s):
    return " ".join(stem(w) for w in re.findall(r"\w+", fold(s or "")) if w not in STOP)


def corpus():
    templates = [("craft", c) for c in demo["crafts"]] + [("tour", t) for t in demo["tours"]] + [("event", e) for e in demo["events"]]
    coops = {c["slug"]: c for c in demo["cooperatives"]}
    for n in range(N):
        kind, t = templates[n % len(templates)]
        ces, cen = COLOURS[n % 10]
        ses, sen = SIZES[(n // 10) % 4]
        about = f"{coops[t['cooperative']]['name']} San Juan Yaxé"
        yield (n + 1, kind, words(f"{t['title']['es']} {ces} {ses}"), words(f"{t['title']['en']} {cen} {sen}"),
               words(" ".join(t[f][l] or "" for f in ("summary", "description") for l in ("es", "en"))), words(about))


def median_ms(run, reps=7):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sqlite(rows, path):
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE VIRTUAL TABLE fts USING fts5(kind, title_es, title_en, body, about, content='');
    """)
    with db:
        db.executemany("INSERT INTO fts(rowid, kind, title_es, title_en, body, about) VALUES (?,?,?,?,?,?)", rows)
    print(f"SQLite FTS5, {N} listings:")
    for q in QUERIES:
        match = "kind:craft AND " + " AND ".join(q)
        ranked = lambda: db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 16, 8, 4, 1) LIMIT 12", (match,)).fetchall()
        in_order = lambda: db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT 12", (match,)).fetchall()
        capped = lambda: db.execute("SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1001)", (match,)).fetchone()
        matches = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        print(f"  {' '.join(q):16} {matches:6} matches   bm25 top 12 {median_ms(ranked):7.2f} ms"
              f"   key order {median_ms(in_order):6.2f} ms   count to 1,001 {median_ms(capped):6.2f} ms")


def postgres(rows, csv_path):
    with open(csv_path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run(psql + ["-c", "DROP DATABASE IF EXISTS engines", "-c", "CREATE DATABASE engines"], check=True)
    subprocess.run(psql + ["engines"], check=True, input=f"""
        CREATE TABLE doc(id int PRIMARY KEY, kind text, title_es text, title_en text, body text, about text);
        \\copy doc FROM '{csv_path}' CSV
        ALTER TABLE doc ADD COLUMN terms tsvector;
        UPDATE doc SET terms = setweight(to_tsvector('simple', title_es), 'A') || setweight(to_tsvector('simple', title_en), 'B')
            || setweight(to_tsvector('simple', body), 'C') || setweight(to_tsvector('simple', about), 'D');
        CREATE INDEX ON doc USING gin(terms);
        CREATE INDEX ON doc(kind, id);
        VACUUM ANALYZE doc;
    """, text=True)

    def execution_ms(sql):
        out = []
        for _ in range(5):
            plan = subprocess.run(psql + ["engines", "-At", "-c", "EXPLAIN ANALYZE " + sql], check=True,
                                  capture_output=True, text=True).stdout
            out.append(float(re.search(r"Execution Time: ([\d.]+)", plan).group(1)))
        return statistics.median(out)

    print(f"PostgreSQL tsvector + GIN, {N} listings (execution time, as EXPLAIN ANALYZE reports it):")
    for q in QUERIES:
        tsq = f"to_tsquery('simple', '{' & '.join(q)}')"
        where = f"kind = 'craft' AND terms @@ {tsq}"
        matches = subprocess.run(psql + ["engines", "-At", "-c", f"SELECT count(*) FROM doc WHERE {where}"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        ranked = execution_ms(f"SELECT id FROM doc WHERE {where} ORDER BY ts_rank(terms, {tsq}) DESC, id DESC LIMIT 12")
        in_order = execution_ms(f"SELECT id FROM doc WHERE {where} ORDER BY id DESC LIMIT 12")
        capped = execution_ms(f"SELECT count(*) FROM (SELECT 1 FROM doc WHERE {where} LIMIT 1001) m")
        print(f"  {' '.join(q):16} {int(matches):6} matches   ts_rank top 12 {ranked:7.2f} ms"
              f"   key order {in_order:6.2f} ms   count to 1,001 {capped:6.2f} ms")
    subprocess.run(psql + ["-c", "DROP DATABASE engines"], check=True)


with tempfile.TemporaryDirectory() as work:
    rows = list(corpus())
    sqlite(rows, os.path.join(work, "engines.sqlite3"))
    postgres(rows, os.path.join(work, "corpus.csv"))
