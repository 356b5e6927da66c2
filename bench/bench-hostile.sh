#!/bin/sh
# bench-hostile.sh: the worst inputs for one audit's work budget (issue
# 17 item 1).  bench/gen-hostile writes them; each is audited as a whole
# process and its CPU time (user + system) measured, by CHAINAUDIT and,
# when given, by BEFORE (another build, such as main's) in the same run,
# interleaved.  The goal is under one second of CPU for each input.
# BEFORE runs are stopped after BENCH_HOSTILE_LIMIT seconds (default
# 120) and then shown as "> LIMIT".
#
# usage: bench/bench-hostile.sh GEN-HOSTILE CHAINAUDIT [BEFORE]
set -eu
gen=${1:?usage: bench-hostile.sh GEN-HOSTILE CHAINAUDIT [BEFORE]}
bin=${2:?usage: bench-hostile.sh GEN-HOSTILE CHAINAUDIT [BEFORE]}
before=${3:-}
limit=${BENCH_HOSTILE_LIMIT:-120}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$gen" "$tmp"
at=2020-01-01T00:00:00Z

# args NAME: the command line of input NAME (after the program).
args() {
	case $1 in
	rsa16k) echo "--host huge.test $tmp/rsa16k.pem" ;;
	ring521) echo "--host ring.test $tmp/ring521.pem" ;;
	nc) echo "--ca-file $tmp/nc-ca.pem --host www.zone19999.test $tmp/nc-leaf.pem" ;;
	bundle103) echo "--bundle $tmp/bundle103.pem" ;;
	esac
}

# cpu BIN NAME TAG: CPU seconds of one audit, its report in $tmp/NAME.TAG.
cpu() {
	# shellcheck disable=SC2046
	( ulimit -t "$limit"
	  rc=0
	  "$1" --no-system-ca --no-known-intermediates --at "$at" \
	    --format json $(args "$2") >"$tmp/$2.$3" 2>/dev/null || rc=$?
	  times >"$tmp/t"
	  echo "$rc" >"$tmp/rc" )
	awk -v rc="$(cat "$tmp/rc")" 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		t = (u[1] + s[1]) * 60 + u[2] + s[2]
		if (rc > 128) printf "> %.0f (killed)\n", t; else printf "%.3f\n", t }' "$tmp/t"
}

# codes NAME TAG: the finding codes of that run, counted.
codes() {
	grep -o '"code": *"[a-z0-9-]*"' "$tmp/$1.$2" 2>/dev/null |
	    sed 's/.*"\([a-z0-9-]*\)"$/\1/' | sort | uniq -c |
	    awk '{ printf "%s%s x%d", sep, $2, $1; sep = ", " }'
}

echo "bench-hostile: one audit per input, CPU seconds (user + system); goal < 1 s"
printf '  %-10s %12s %12s\n' input after before
for name in rsa16k ring521 nc bundle103; do
	b=-
	[ -n "$before" ] && b=$(cpu "$before" "$name" before)
	a=$(cpu "$bin" "$name" after)
	printf '  %-10s %12s %12s\n' "$name" "$a" "$b"
	printf '      after:  %s\n' "$(codes "$name" after)"
	[ -n "$before" ] && printf '      before: %s\n' "$(codes "$name" before)"
done
