#!/bin/sh
# bench-instr.sh: instructions per chain under callgrind for bench's
# measurements on a fixed small input, which the load of a shared
# machine does not move.  make bench runs it after the timed run.
#
#     bench/bench-instr.sh BENCH [CHAINS]    (default 500 chains)
#
# Runs "BENCH -p PROFILE -n CHAINS -s CHAINS -r 1" under callgrind once
# per key profile and reads the inclusive instructions of each
# measurement's slice function (bench.c: slice_verify, slice_parse,
# slice_cached, slice_uncached, slice_gnutls), divided by CHAINS: each
# runs on all CHAINS chains in that one round.  Certificate generation
# runs under valgrind too but is not counted.  Skips, saying so, when
# valgrind is not installed.
set -eu

bench=$1
n=${2:-500}
if ! command -v valgrind > /dev/null 2>&1 ||
    ! command -v callgrind_annotate > /dev/null 2>&1; then
	echo "instructions per chain: valgrind is not installed, skipped" \
	    "(apt-get install valgrind)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chainaudit-bench-instr.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo
echo "instructions per chain (callgrind, $n chains, one round; inclusive" \
    "instructions of each measurement / $n)"
printf '  %-12s %12s %12s %12s %12s %12s %9s\n' profile "A verify" \
    "B parse" chainaudit "no cache" GnuTLS "vs A + B"
for p in ecdsa rsa; do
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$p" \
	    "$bench" -p "$p" -n "$n" -s "$n" -r 1 > "$tmp/out.$p" \
	    2> "$tmp/log.$p" || {
		echo "bench-instr: $bench -p $p failed under callgrind:" >&2
		tail -n 5 "$tmp/log.$p" "$tmp/out.$p" >&2
		exit 1
	}
	# The summary's lines: "COUNT (PCT%)  FILE:FUNCTION [OBJECT]".
	callgrind_annotate --inclusive=yes --auto=no --threshold=100 \
	    "$tmp/cg.$p" 2> /dev/null | tr -d , | awk -v p="$p" -v n="$n" '
		{ for (i = 2; i <= NF; i++) if ($i ~ /:slice_[a-z]*$/) {
			f = $i; sub(/.*:/, "", f)
			if (!(f in v)) v[f] = $1 } }
		END {
			a = v["slice_verify"] / n; b = v["slice_parse"] / n
			c = v["slice_cached"] / n
			printf "  %-12s %12.0f %12.0f %12.0f %12.0f %12.0f %8.2fx\n", p,
			    a, b, c, v["slice_uncached"] / n, v["slice_gnutls"] / n,
			    (a + b > 0 ? c / (a + b) : 0)
		}'
done
echo "  (vs A + B: chainaudit with run caches; lower is better)"
