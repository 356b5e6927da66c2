#!/usr/bin/env python3
"""diffrun.py: run two chainaudit binaries over the same inputs and
compare their JSON reports.

usage: diffrun.py [--shared DIR] [--fixtures DIR] [--limbo FILE] OLD NEW

Inputs, each audited at a pinned --at with pinned trust anchors:
  - every certificate file under fixtures/, twice: against the fixture
    roots with -H good.example.test, and --bundle against Mozilla's store;
  - every certificate file of the shared data (--bundle, Mozilla's store,
    two instants), and every chains/<case>/ chain against its own roots
    and alternates at two instants;
  - every x509-limbo SERVER case: its trusted certificates as the only
    anchors, its intermediates, its peer name and validation time.
Reports the number of runs, of changed verdicts (a target's verdict,
trust or worst severity), of changed findings (a target's multiset of
finding codes) and of any other difference (exit status, report bytes,
stderr); exits 1 when anything differs.  The shared data and limbo are
skipped, saying so, when absent.
"""
import json
import os
import subprocess
import sys
import tempfile

CERT_EXT = (".pem", ".der", ".crt", ".cer", ".p7b", ".p7c")
FIXTURE_ROOTS = ("ca/root-rsa.pem", "ca/root-ec.pem", "ca/root-old.pem")


def run(binary, args):
    p = subprocess.run([binary, "-f", "json"] + args, capture_output=True,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


def targets(out):
    try:
        return json.loads(out).get("targets", [])
    except ValueError:
        return None


def codes(t):
    return sorted(f.get("code", "") for f in t.get("findings") or [])


class Tally:
    def __init__(self):
        self.runs = self.targets = 0
        self.verdicts = self.findings = self.other = 0
        self.examples = []

    def note(self, what, msg):
        if len(self.examples) < 20:
            self.examples.append("%s: %s" % (what, msg))

    def compare(self, old, new, args, what):
        a, b = run(old, args), run(new, args)
        self.runs += 1
        ta, tb = targets(a[1]), targets(b[1])
        if ta is not None and tb is not None and len(ta) == len(tb):
            for x, y in zip(ta, tb):
                self.targets += 1
                key = ("verdict", "trusted", "worst_severity", "error")
                if any(x.get(k) != y.get(k) for k in key):
                    self.verdicts += 1
                    self.note(what, "verdict %s -> %s" % (
                        [x.get(k) for k in key], [y.get(k) for k in key]))
                if codes(x) != codes(y):
                    self.findings += 1
                    self.note(what, "findings %s -> %s" % (codes(x),
                                                           codes(y)))
        elif ta != tb:
            self.verdicts += 1
            self.note(what, "the reports do not compare")
        if a != b:
            self.other += 1
            self.note(what, "exit %d -> %d, report or stderr differs" %
                      (a[0], b[0]))


def cert_files(top):
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            if f.lower().endswith(CERT_EXT) or f.endswith(".bin"):
                yield os.path.join(d, f)


def fixtures(t, old, new, top):
    roots = []
    for r in FIXTURE_ROOTS:
        roots += ["--ca-file", os.path.join(top, r)]
    for f in cert_files(top):
        if "/keys/" in f:
            continue
        t.compare(old, new, ["--no-system-ca"] + roots + [
            "--at", "2026-01-01T00:00:00Z", "-H", "good.example.test", f],
            f)
        t.compare(old, new, ["--bundle", "--trust-store", "mozilla",
                             "--at", "2020-06-01T00:00:00Z", "-H",
                             "localhost", f], f + " (bundle)")


def shared(t, old, new, top):
    data = os.path.join(top, "data")
    for f in cert_files(data):
        for at in ("2016-06-01T00:00:00Z", "2026-01-01T00:00:00Z"):
            t.compare(old, new, ["--bundle", "--trust-store", "mozilla",
                                 "--at", at, f], f + " (bundle " + at + ")")
    chains = os.path.join(data, "chains")
    for case in sorted(os.listdir(chains)):
        d = os.path.join(chains, case)
        if not os.path.isfile(os.path.join(d, "chain.pem")):
            continue
        args = ["--no-system-ca"]
        if os.path.isfile(os.path.join(d, "roots.pem")):
            args += ["--ca-file", os.path.join(d, "roots.pem")]
        if os.path.isfile(os.path.join(d, "alternates.pem")):
            args += ["--intermediates", os.path.join(d, "alternates.pem")]
        for at in ("2016-06-01T00:00:00Z", "2026-01-01T00:00:00Z"):
            t.compare(old, new, args + ["--at", at, "-H", "www.example.com",
                                        os.path.join(d, "chain.pem")],
                      d + " at " + at)


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def limbo(t, old, new, path):
    with open(path) as f:
        cases = json.load(f)["testcases"]
    with tempfile.TemporaryDirectory(prefix="diffrun-") as tmp:
        for i, c in enumerate(cases):
            if c.get("validation_kind") != "SERVER":
                continue
            files = {}
            for name, key in (("trusted", "trusted_certs"),
                              ("inter", "untrusted_intermediates"),
                              ("peer", "peer_certificate")):
                files[name] = os.path.join(tmp, "%d-%s.pem" % (i, name))
                with open(files[name], "w") as out:
                    out.write("\n".join(as_list(c.get(key))) + "\n")
            at = (c.get("validation_time") or "2024-01-01T00:00:00")[:19]
            args = ["--no-system-ca", "--no-known-intermediates",
                    "--ca-file", files["trusted"], "--at", at + "Z"]
            if as_list(c.get("untrusted_intermediates")):
                args += ["--intermediates", files["inter"]]
            peer = c.get("expected_peer_name") or {}
            if peer.get("value"):
                args += ["-H", peer["value"]]
            t.compare(old, new, args + [files["peer"]], c.get("id", str(i)))


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.dirname(here)
    ap.add_argument("--fixtures", default=os.path.join(src, "fixtures"))
    ap.add_argument("--shared", default=os.environ.get(
        "CHAINAUDIT_SHARED", os.path.join(src, "..", "shared")))
    ap.add_argument("--limbo", default=None)
    ap.add_argument("--only", default=None,
                    help="fixtures, shared or limbo: that part alone")
    ap.add_argument("old")
    ap.add_argument("new")
    a = ap.parse_args(argv)
    limbo_json = a.limbo or os.path.join(a.shared, "data", "limbo",
                                         "limbo.json")
    parts = [("fixtures", lambda t: fixtures(t, a.old, a.new, a.fixtures))]
    if os.path.isdir(os.path.join(a.shared, "data")):
        parts.append(("shared", lambda t: shared(t, a.old, a.new,
                                                 a.shared)))
    else:
        print("SKIP: shared data: %s/data not present" % a.shared)
    if os.path.isfile(limbo_json):
        parts.append(("limbo", lambda t: limbo(t, a.old, a.new,
                                               limbo_json)))
    else:
        print("SKIP: limbo: %s not present" % limbo_json)
    bad = 0
    for name, fn in parts:
        if a.only is not None and name != a.only:
            continue
        t = Tally()
        fn(t)
        print("%-9s %5d runs %6d targets: %d changed verdicts, %d changed "
              "findings, %d other differences" % (name, t.runs, t.targets,
                                                  t.verdicts, t.findings,
                                                  t.other))
        for e in t.examples:
            print("  " + e)
        bad += t.verdicts + t.findings + t.other
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
