#!/bin/sh
# bench-startup.sh: the known-CA corpus's cost on one single-chain audit,
# the whole process from exec to exit, as the ratio
#     (audit with the corpus) / (the same audit with --no-known-intermediates)
# measured in the same run.  Goal (issue 12): at most 1.5x.
#
# usage: bench/bench-startup.sh CHAINAUDIT [ROUNDS [RUNS]]
#
# Three audits, each a whole process:
#   chain     fixtures/chains/good-rsa.pem, its root by --ca-file, no
#             system store: the smallest start-up, where a fixed cost of
#             the corpus would show most
#   system    the same chain against the system store (the default)
#   leaf      a real Let's Encrypt leaf served alone, ISRG Root X1 by
#             --ca-file: the corpus must find R3 (the case it exists for;
#             without it the path is incomplete, so the work differs)
# Each round runs RUNS audits with the corpus and RUNS without, in turn
# (A B A B ...), and takes the CPU time (user + system, from the shell's
# `times`) of each batch; the ratio is A/B per round, and the median of
# the rounds is reported.  Where valgrind is installed, instructions per
# audit under callgrind are given too: they do not depend on the load of
# a shared machine.
set -eu
bin=${1:?usage: bench-startup.sh CHAINAUDIT [ROUNDS [RUNS]]}
rounds=${2:-5}
runs=${3:-40}
here=$(cd "$(dirname "$0")/.." && pwd)
fx=$here/fixtures
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
at=--at=2023-07-01T00:00:00Z

chain_args="--no-system-ca --ca-file $fx/ca/root-rsa.pem --at=2016-03-01T00:00:00Z $fx/chains/good-rsa.pem"
system_args="--at=2016-03-01T00:00:00Z $fx/chains/good-rsa.pem"
leaf_args="--no-system-ca --ca-file $fx/real/isrg-root-x1.pem $at $fx/real/letsencrypt-cryptography.io-leaf.pem"

# CPU milliseconds (children's user + system) of RUNS runs of the
# audit, read with the shell's `times` in the subshell that ran them.
cpu_of() {
	args=$1
	shift
	i=0
	while [ $i -lt "$runs" ]; do
		# shellcheck disable=SC2086
		"$bin" -q "$@" $args >/dev/null 2>&1 || true
		i=$((i + 1))
	done
	times >"$tmp"
	awk 'NR == 2 {
		split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%d\n", ((u[1] + s[1]) * 60 + u[2] + s[2]) * 1000 }' "$tmp"
}

median() {
	sort -n | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench-startup: $rounds rounds of $runs runs each way; CPU per audit"
echo "(user + system), with / without the corpus, median of per-round ratios"
for case in chain system leaf; do
	eval "args=\$${case}_args"
	ratios=
	with_all=
	without_all=
	r=0
	while [ $r -lt "$rounds" ]; do
		a=$(cpu_of "$args")
		b=$(cpu_of "$args" --no-known-intermediates)
		[ "$b" -gt 0 ] || b=1
		ratios="$ratios $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", a / b}')"
		with_all="$with_all $a"
		without_all="$without_all $b"
		r=$((r + 1))
	done
	ratio=$(echo "$ratios" | tr ' ' '\n' | grep . | median)
	wa=$(echo "$with_all" | tr ' ' '\n' | grep . | median)
	wb=$(echo "$without_all" | tr ' ' '\n' | grep . | median)
	printf '%-7s %.2fx  (%.2f ms vs %.2f ms per audit; rounds:%s)\n' \
	    "$case" "$ratio" \
	    "$(awk -v t="$wa" -v n="$runs" 'BEGIN {print t / n}')" \
	    "$(awk -v t="$wb" -v n="$runs" 'BEGIN {print t / n}')" \
	    "$ratios"
done

if command -v valgrind >/dev/null 2>&1; then
	echo "instructions per audit (callgrind), with / without the corpus:"
	for case in chain system leaf; do
		eval "args=\$${case}_args"
		for flag in "" --no-known-intermediates; do
			# shellcheck disable=SC2086
			valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			    "$bin" -q $flag $args >/dev/null 2>"$tmp" || true
			grep -o 'Collected : [0-9]*' "$tmp" |
			    awk '{print $3}'
		done | paste -sd' ' - | awk -v c="$case" \
		    '{printf "%-7s %.2fx  (%d vs %d)\n", c, $1 / $2, $1, $2}'
	done
fi
img=$(dirname "$bin")/known-cas.img
if [ -f "$img" ]; then
	echo "corpus: $(wc -c < "$here/db/known-cas.pem") bytes as db/known-cas.pem," \
	    "$(wc -c < "$img") bytes as the image in the program" \
	    "($(wc -c < "$bin") bytes)"
fi
