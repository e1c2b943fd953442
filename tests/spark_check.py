#!/usr/bin/env python3
"""Runs the README's Apache Spark recipe once, in local mode, and checks
that its claims equal a single-process run over the same JSONL corpus.

demarche is a streaming filter (`demarche extract --format jsonl -`: JSONL
articles in, JSONL claims out), so Spark runs it unchanged on each
partition with `rdd.pipe`. This script builds a JSONL corpus from the
articles it finds (../shared/eval/dev/articles when present, else
data/samples, each also in a few varied copies), runs

  * demarche extract --format jsonl corpus.jsonl          (one process)
  * rdd.pipe("demarche extract --format jsonl -")         (Spark, local[2])

and compares the two sets of claim lines. Needs Java and pyspark
(`pip install pyspark`). Exit status 0 when they are equal.

Usage: python3 tests/spark_check.py [--bin target/release/demarche]
       [--partitions 4]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def articles():
    shared = os.path.join(ROOT, "..", "shared", "eval", "dev", "articles")
    folder = shared if os.path.isdir(shared) else os.path.join(ROOT, "data", "samples")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                yield name[:-4], f.read()


def corpus(path, copies=5):
    """Writes the JSONL corpus: every article `copies` times under new ids,
    each copy with its paragraphs rotated so that copies differ."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for stem, text in articles():
            paragraphs = text.split("\n")
            for copy in range(copies):
                k = copy % max(len(paragraphs), 1)
                body = "\n".join(paragraphs[k:] + paragraphs[:k])
                record = {"id": "%s-%d" % (stem, copy), "text": body, "source": "spark-check"}
                out.write(json.dumps(record) + "\n")
                n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "demarche"))
    ap.add_argument("--partitions", type=int, default=4)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.path.exists(binary):
        sys.exit("spark_check.py: %s not found: run cargo build --release first" % binary)
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError:
        sys.exit("spark_check.py: pyspark is not installed (pip install pyspark)")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "corpus.jsonl")
        documents = corpus(path)
        single = subprocess.run(
            [binary, "extract", "--format", "jsonl", "--quiet", path],
            check=True, capture_output=True, text=True,
        ).stdout.splitlines()

        conf = SparkConf().setMaster("local[2]").setAppName("demarche-spark-check")
        sc = SparkContext(conf=conf)
        sc.setLogLevel("ERROR")
        try:
            # The README's recipe.
            rdd = sc.textFile(path, minPartitions=a.partitions)
            claims = rdd.pipe("%s extract --format jsonl --quiet -" % binary)
            spark = claims.collect()
            partitions = rdd.getNumPartitions()
        finally:
            sc.stop()

    print("corpus: %d documents; single process: %d claims; Spark (%d partitions): %d claims"
          % (documents, len(single), partitions, len(spark)))
    if sorted(single) != sorted(spark):
        only_single = sorted(set(single) - set(spark))[:3]
        only_spark = sorted(set(spark) - set(single))[:3]
        sys.exit("spark_check.py: DIFFERENT\n  only single: %s\n  only Spark: %s" % (only_single, only_spark))
    if not single:
        sys.exit("spark_check.py: no claims at all: nothing was compared")
    print("ok: Spark's claims equal the single-process run")


if __name__ == "__main__":
    main()
