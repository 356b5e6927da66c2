#!/usr/bin/env python3
"""make-known-cas.py: rebuild the known-CA corpus (db/known-cas.pem and
db/known-cas.tsv) from ../shared, or online from CCADB's public report.

usage: db/make-known-cas.py [--shared DIR] [--online] [--out-dir DIR]

Sources, in this order (a certificate found in several keeps every source):
  ccadb      ../shared/data/pool/ccadb-all-ca-certs.pem: every CA certificate
             disclosed to CCADB (crtsh/ccadb_data archive, 2025-01..2026-08);
             with --online, CCADB's AllCertificatePEMsCSVFormat report for
             every NotBeforeYear from 1994 to this year instead
  cfssl      ../shared/data/pool/all-collected-certs.pem, the rows that
             INDEX.tsv marks as CA certificates (cfssl_trust's CA and
             intermediate bundles 2014-2026, badssl.com, limbo assets); leaves
             are left out: the corpus holds issuers only

Writes known-cas.pem (each certificate once, sorted by subject then SHA-256,
each block after a "# sha256=HEX subject=DN" line) and known-cas.tsv (sha256,
subject, not_after, sources).  Certificates are public data; no third-party
code is copied.  Needs only Python 3's standard library.
"""
import argparse
import base64
import csv
import datetime
import hashlib
import io
import os
import re
import sys
import urllib.request

PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----\s*(.*?)\s*"
                    rb"-----END CERTIFICATE-----", re.S)
CCADB_URL = ("https://ccadb.my.salesforce-sites.com/ccadb/"
             "AllCertificatePEMsCSVFormat?NotBeforeYear=%d")


def pem_blocks(data):
    """DER of every PEM certificate block in data."""
    for m in PEM_RE.finditer(data):
        body = re.sub(rb"\s+", b"", m.group(1))
        yield base64.b64decode(body, validate=True)


def tsv_rows(path):
    with open(path, newline="") as f:
        rd = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rd)
        for row in rd:
            yield dict(zip(header, row))


def from_shared(shared, add):
    pool = os.path.join(shared, "data", "pool")
    facts = {}
    for row in tsv_rows(os.path.join(pool, "ccadb-INDEX.tsv")):
        facts[row["sha256"]] = row
    with open(os.path.join(pool, "ccadb-all-ca-certs.pem"), "rb") as f:
        for der in pem_blocks(f.read()):
            add(der, "ccadb", facts)
    index = {}
    for row in tsv_rows(os.path.join(pool, "INDEX.tsv")):
        index[row["sha256"]] = row
    with open(os.path.join(pool, "all-collected-certs.pem"), "rb") as f:
        for der in pem_blocks(f.read()):
            row = index.get(hashlib.sha256(der).hexdigest())
            if row is None or row.get("is_ca") != "True":
                continue
            add(der, "cfssl", index)


def from_ccadb_online(add):
    year = datetime.date.today().year
    for y in range(1994, year + 1):
        url = CCADB_URL % y
        print("make-known-cas: fetching %s" % url, file=sys.stderr)
        with urllib.request.urlopen(url, timeout=120) as r:
            text = r.read().decode("utf-8", "replace")
        # The certificate column's name has changed over the years: take
        # every cell that holds a PEM block, or bare base64 DER ("MII...").
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if "BEGIN CERTIFICATE" in cell:
                    for der in pem_blocks(cell.encode()):
                        add(der, "ccadb-online", {})
                elif cell.startswith("MII") and len(cell) > 400:
                    try:
                        der = base64.b64decode(re.sub(r"\s+", "", cell),
                                               validate=True)
                    except ValueError:
                        continue
                    add(der, "ccadb-online", {})


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(here, "..", "..",
                                                     "shared"))
    ap.add_argument("--online", action="store_true",
                    help="CCADB's public report instead of ../shared's "
                    "archived copy (the cfssl source still comes from "
                    "--shared when it exists)")
    ap.add_argument("--out-dir", default=here)
    args = ap.parse_args()

    certs = {}          # sha256 -> [der, subject, not_after, sources]

    def add(der, source, facts):
        h = hashlib.sha256(der).hexdigest()
        if h in certs:
            if source not in certs[h][3]:
                certs[h][3].append(source)
            return
        row = facts.get(h, {})
        certs[h] = [der, row.get("subject", ""), row.get("not_after", "").replace("+00:00", "Z"),
                    [source]]

    if args.online:
        from_ccadb_online(add)
        if os.path.isdir(args.shared):
            pool = os.path.join(args.shared, "data", "pool")
            index = {r["sha256"]: r for r in
                     tsv_rows(os.path.join(pool, "INDEX.tsv"))}
            with open(os.path.join(pool, "all-collected-certs.pem"),
                      "rb") as f:
                for der in pem_blocks(f.read()):
                    row = index.get(hashlib.sha256(der).hexdigest())
                    if row is not None and row.get("is_ca") == "True":
                        add(der, "cfssl", index)
    else:
        if not os.path.isdir(os.path.join(args.shared, "data", "pool")):
            sys.exit("make-known-cas: %s/data/pool not found (give "
                     "--shared DIR, or --online)" % args.shared)
        from_shared(args.shared, add)

    order = sorted(certs.items(), key=lambda kv: (kv[1][1].lower(), kv[0]))
    pem_path = os.path.join(args.out_dir, "known-cas.pem")
    tsv_path = os.path.join(args.out_dir, "known-cas.tsv")
    with open(pem_path + ".tmp", "w") as f:
        f.write("# chainaudit known-CA corpus: CA certificates for path "
                "building, never trusted.\n"
                "# Made by db/make-known-cas.py; sources per certificate in "
                "db/known-cas.tsv, described in db/README.\n")
        for h, (der, subject, _, _) in order:
            b64 = base64.b64encode(der).decode()
            f.write("# sha256=%s subject=%s\n-----BEGIN CERTIFICATE-----\n"
                    % (h, subject))
            for i in range(0, len(b64), 64):
                f.write(b64[i:i + 64] + "\n")
            f.write("-----END CERTIFICATE-----\n")
    with open(tsv_path + ".tmp", "w") as f:
        f.write("# sha256\tsubject\tnot_after\tsources\n")
        for h, (_, subject, not_after, sources) in order:
            f.write("%s\t%s\t%s\t%s\n" % (h, subject, not_after,
                                          ",".join(sources)))
    os.replace(pem_path + ".tmp", pem_path)
    os.replace(tsv_path + ".tmp", tsv_path)
    by = {}
    for _, (_, _, _, sources) in order:
        for s in sources:
            by[s] = by.get(s, 0) + 1
    print("make-known-cas: %d certificates (%s) -> %s, %s" % (
        len(order), ", ".join("%s %d" % kv for kv in sorted(by.items())),
        pem_path, tsv_path), file=sys.stderr)


if __name__ == "__main__":
    main()
