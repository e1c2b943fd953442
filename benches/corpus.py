#!/usr/bin/env python3
"""Corpus benchmark: demarche's end-to-end extract speed and memory at scale.

Deterministically synthesises a news corpus (default 200 MB) from the
articles in data/samples (or --from DIR) -- party names, dates and numbers varied with a
fixed seed -- then times, over the same bytes:

  * demarche extract --jobs 1 (one core), with peak RSS;
  * demarche extract on every core (--jobs N, one process), with peak RSS;
  * `wc -w` (merely splitting the text into words), a floor;
  * `rg -c -i -w -F -f <every lexicon phrase>` (merely finding the
    lexicon's words), a second floor, when ripgrep is installed.

Usage: python3 benches/corpus.py [--mb 200] [--dir /tmp/demarche-corpus]
       [--bin target/release/demarche] [--from DIR] [--no-rg] [--keep]
Build first: cargo build --release
"""

import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Pairs of (party, counterpart, leader, counterpart leader, capital, other capital).
CASTS = [
    ("Russia", "Ukraine", "Putin", "Zelenskyy", "Moscow", "Kyiv"),
    ("Azerbaijan", "Armenia", "Aliyev", "Pashinyan", "Baku", "Yerevan"),
    ("Israel", "Hamas", "Netanyahu", "Sinwar", "Jerusalem", "Gaza"),
    ("China", "Taiwan", "Xi", "Lai", "Beijing", "Taipei"),
    ("Rwanda", "Congo", "Kagame", "Tshisekedi", "Kigali", "Kinshasa"),
    ("India", "Pakistan", "Modi", "Sharif", "New Delhi", "Islamabad"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def samples(folder):
    return [open(os.path.join(folder, f), encoding="utf-8").read()
            for f in sorted(os.listdir(folder)) if f.endswith(".txt")]


def vary(text, rng):
    """One variant of a sample: another cast, date and numbers."""
    base = CASTS[0]
    cast = rng.choice(CASTS)
    for old, new in zip(base, cast):
        text = re.sub(r"\b%s\b" % re.escape(old), new, text)
    text = re.sub(r"\b\d{1,3}\b", lambda m: str(rng.randint(2, 999)), text)
    date = "%s %d, %d" % (rng.choice(MONTHS), rng.randint(1, 28), rng.randint(2022, 2026))
    return "%s (Wire) - %s\n%s" % (cast[4].upper(), date, text)


def synthesise(directory, megabytes, source, seed=20261125):
    rng = random.Random(seed)
    texts = samples(source)
    os.makedirs(directory, exist_ok=True)
    total, index = 0, 0
    target = megabytes * 1_000_000
    while total < target:
        # Files of about 64 KB: a day's wire of one desk.
        parts, size = [], 0
        while size < 64_000:
            article = vary(rng.choice(texts), rng)
            parts.append(article)
            size += len(article.encode("utf-8"))
        body = "\n\n".join(parts)
        with open(os.path.join(directory, "wire%06d.txt" % index), "w", encoding="utf-8") as f:
            f.write(body)
        total += len(body.encode("utf-8"))
        index += 1
    return total, index


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v: (seconds, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, stdout=stdout, check=True)
        elapsed = time.perf_counter() - start
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t.read())
    return elapsed, int(rss.group(1)) / 1024 if rss else float("nan")


def lexicon_phrases(path):
    phrases = set()
    for name, column in (("parties.csv", "alias"), ("issues.csv", "phrase")):
        with open(os.path.join(ROOT, "data", name), encoding="utf-8") as f:
            rows = (line for line in f if not line.startswith("#"))
            for row in csv.DictReader(rows):
                phrases.add(row[column].rstrip("*"))
    with open(os.path.join(ROOT, "data", "cues.csv"), encoding="utf-8") as f:
        rows = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(rows):
            for word in re.findall(r"[a-z][a-z' ]+", row["pattern"]):
                phrases.add(word.strip())
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(p for p in phrases if p)))
    return len(phrases)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "demarche-corpus"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "demarche"))
    ap.add_argument("--keep", action="store_true", help="keep the synthesised corpus")
    ap.add_argument("--from", dest="source", default=os.path.join(ROOT, "data", "samples"),
                    help="articles (.txt) to vary (default data/samples; e.g. ../shared/eval/dev/articles "
                         "for real articles, which carry fewer claims per byte)")
    ap.add_argument("--no-rg", action="store_true", help="skip the ripgrep floor (minutes on 200 MB)")
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit("corpus.py: %s not found: run cargo build --release first" % a.bin)

    shutil.rmtree(a.dir, ignore_errors=True)
    size, files = synthesise(a.dir, a.mb, a.source)
    mb = size / 1e6
    paths = sorted(os.path.join(a.dir, f) for f in os.listdir(a.dir))
    print("corpus: %.1f MB in %d files (%s), from %s" % (mb, files, a.dir, a.source))

    secs, rss = timed([a.bin, "extract", "--quiet", "--jobs", "1", a.dir])
    print("demarche extract, 1 core:   %6.2f s  %6.1f MB/s  peak RSS %.0f MB" % (secs, mb / secs, rss))

    cores = os.cpu_count() or 1
    par, par_rss = timed([a.bin, "extract", "--quiet", "--jobs", str(cores), a.dir])
    print("demarche extract, %d cores:  %6.2f s  %6.1f MB/s  peak RSS %.0f MB  (%.2fx one core)"
          % (cores, par, mb / par, par_rss, secs / par))

    wc, _ = timed(["wc", "-w"] + paths)
    print("wc -w floor:                  %6.2f s  demarche/wc = %.1fx" % (wc, secs / wc))
    rg = shutil.which("rg")
    if rg and not a.no_rg:
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as phrases:
            n = lexicon_phrases(phrases.name)
            rgs, _ = timed([rg, "-c", "-i", "-w", "-F", "-f", phrases.name, a.dir])
        print("rg lexicon scan (%d phrases): %6.2f s  demarche/rg = %.2fx" % (n, rgs, secs / rgs))
    else:
        print("rg lexicon scan: skipped (%s)" % ("--no-rg" if rg else "ripgrep not installed"))
    if not a.keep:
        shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
