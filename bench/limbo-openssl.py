#!/usr/bin/env python3
"""limbo-openssl.py: run `openssl verify` on the x509-limbo cases that
bench/limbo runs, with the same skips, evaluation times and peer names,
so README's table compares chainaudit, GnuTLS and OpenSSL on the same
cases.  OpenSSL is set up as upstream limbo's OpenSSL harness sets up
its X509_STORE: -x509_strict, -partial_chain, -auth_level 2, purpose
sslserver, the case's max_chain_depth as -verify_depth, and neither the
system CApath nor CAstore.

usage: limbo-openssl.py limbo.json   (prints "passed/run, skipped")
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

DEFAULT_TIME = 1704067200  # 2024-01-01T00:00:00Z, as bench/limbo.c
SERVER_EKUS = {"serverAuth"}
SERVER_KUS = {"digitalSignature", "keyEncipherment"}


def skip_reason(t):
    """The reason bench/limbo.c skips t, or None."""
    name = t.get("expected_peer_name")
    if name is not None and name.get("kind") not in ("DNS", "IP"):
        return "e-mail (RFC822) peer name"
    if t["validation_kind"] != "SERVER":
        return "CLIENT validation kind"
    if t.get("signature_algorithms"):
        return "signature_algorithms constraint"
    if not set(t.get("key_usage") or []) <= SERVER_KUS:
        return "key_usage constraint"
    if not set(t.get("extended_key_usage") or []) <= SERVER_EKUS:
        return "extended_key_usage constraint"
    if t.get("expected_peer_names"):
        return "several expected peer names"
    return None


def when(t):
    v = t.get("validation_time")
    if v is None:
        return DEFAULT_TIME
    return int(datetime.datetime.fromisoformat(
        v.replace("Z", "+00:00")).timestamp())


def verify(t, d):
    """1 when openssl verify accepts t."""
    def write(name, pems):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write("".join(pems))
        return path
    argv = ["openssl", "verify", "-x509_strict", "-partial_chain",
            "-auth_level", "2", "-purpose", "sslserver", "-no-CApath",
            "-no-CAstore", "-attime", str(when(t)),
            "-CAfile", write("trusted.pem", t["trusted_certs"])]
    if t["untrusted_intermediates"]:
        argv += ["-untrusted",
                 write("untrusted.pem", t["untrusted_intermediates"])]
    if t.get("crls"):
        argv += ["-crl_check", "-CRLfile", write("crls.pem", t["crls"])]
    if t.get("max_chain_depth") is not None:
        argv += ["-verify_depth", str(t["max_chain_depth"])]
    name = t.get("expected_peer_name")
    if name is not None:
        argv += ["-verify_ip" if name["kind"] == "IP" else
                 "-verify_hostname", name["value"]]
    argv.append(write("peer.pem", [t["peer_certificate"]]))
    r = subprocess.run(argv, capture_output=True)
    return r.returncode == 0


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        cases = json.load(f)["testcases"]
    passed = run = skipped = nonclient = 0
    with tempfile.TemporaryDirectory() as d:
        for t in cases:
            why = skip_reason(t)
            nonclient += t["validation_kind"] == "SERVER"
            if why is not None:
                skipped += 1
                continue
            run += 1
            ok = verify(t, d)
            passed += ok == (t["expected_result"] == "SUCCESS")
    v = subprocess.run(["openssl", "version"], capture_output=True,
                       text=True).stdout.strip()
    print("%s: %d/%d passed, %d skipped; %d of the %d non-client cases"
          % (v, passed, run, skipped, passed, nonclient))
    return 0


if __name__ == "__main__":
    sys.exit(main())
