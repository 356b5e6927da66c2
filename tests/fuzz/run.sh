#!/bin/sh
# run.sh SECONDS JOBS WORKDIR TARGET...: run each libFuzzer target for
# SECONDS, JOBS at a time, under ASan, UBSan and LeakSanitizer, and fail
# on a crash, a leak, an input slower than one second (-timeout=1) or
# one that needs more than FUZZ_RSS_MB of memory.  Run from the build
# directory (make fuzz, make fuzz-smoke); SRCDIR is the source tree.
#
# WORKDIR/seeds/T is the seed corpus (tests/fuzz/seeds.sh remakes it on
# every run), WORKDIR/corpus/T what the runs learned (kept between
# runs), WORKDIR/T.log each run's output, and WORKDIR/findings/T-*
# the inputs that failed, to be replayed with tests/fuzz/fuzz_T FILE.
set -eu
: "${SRCDIR:=.}"
: "${FUZZ_RSS_MB:=2048}"
: "${FUZZ_FLAGS:=}"

# One target: run.sh --one TARGET SECONDS WORKDIR (xargs calls back).
# Writes WORKDIR/T.log and, last, WORKDIR/T.result ("ok ..." or
# "FAIL: ...").  -timeout counts wall-clock time, so on a busy machine a
# stalled process can look slow: a timeout that runs under the limit in
# three replays is noted and fuzzing goes on; one that does not fails.
if [ "$1" = --one ]; then
	t=$2
	seconds=$3
	work=$4
	log=$work/$t.log
	mkdir -p "$work/corpus/$t" "$work/findings"
	rm -f "$work/$t.result"
	: > "$log"
	# Inputs may grow past the parsers' own limits (a STARTTLS reply
	# of 16 KB, a long host list); the others keep libFuzzer's default,
	# the largest seed or 4 KB.
	case $t in
	starttls) len=-max_len=20000 ;;
	hosts|distrust) len=-max_len=65536 ;;
	*) len= ;;
	esac
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	CHAINAUDIT_SRCDIR=$SRCDIR
	export ASAN_OPTIONS UBSAN_OPTIONS CHAINAUDIT_SRCDIR
	end=$(($(date +%s) + seconds))
	left=$seconds
	stalls=0
	while :; do
		rc=0
		# shellcheck disable=SC2086
		"tests/fuzz/fuzz_$t" -max_total_time="$left" -timeout=1 \
		    -rss_limit_mb="$FUZZ_RSS_MB" -print_final_stats=1 \
		    -artifact_prefix="$work/findings/$t-" $len $FUZZ_FLAGS \
		    "$work/corpus/$t" "$work/seeds/$t" > "$work/$t.run" 2>&1 ||
		    rc=$?
		cat "$work/$t.run" >> "$log"
		[ "$rc" -eq 0 ] && break
		unit=$(sed -n 's/.*Test unit written to //p' "$work/$t.run" |
		    tail -n 1)
		why=$(grep -m 1 -E 'ERROR: |runtime error|ALARM|out-of-memory' \
		    "$work/$t.run" || echo "exit status $rc")
		case $unit in
		*-timeout-*) ;;
		*)	echo "FAIL: $why ${unit:-}" > "$work/$t.result"
			exit 1 ;;
		esac
		slow=0
		for i in 1 2 3; do
			"tests/fuzz/fuzz_$t" -timeout=1 \
			    -rss_limit_mb="$FUZZ_RSS_MB" "$unit" \
			    >> "$work/$t.replay" 2>&1 || slow=1
		done
		stalls=$((stalls + 1))
		if [ "$slow" = 1 ] || [ "$stalls" -gt 5 ]; then
			echo "FAIL: slower than 1 s: $unit" > "$work/$t.result"
			exit 1
		fi
		echo "run.sh: $unit ran under 1 s in 3 replays:" \
		    "the machine stalled; fuzzing on" >> "$log"
		rm -f "$unit"
		left=$((end - $(date +%s)))
		[ "$left" -ge 1 ] || break
	done
	if [ "$stalls" -gt 0 ]; then
		echo "ok ($stalls stall(s) of a busy machine: see $log)" \
		    > "$work/$t.result"
	else
		echo ok > "$work/$t.result"
	fi
	exit 0
fi
seconds=$1
jobs=$2
work=$3
shift 3

mkdir -p "$work"
sh "$SRCDIR/tests/fuzz/seeds.sh" "$SRCDIR" "$work/seeds" > "$work/seeds.log"
started=$(date +%s)
status=0
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh "$0" --one {} "$seconds" \
    "$work" || status=1
ended=$(date +%s)

# Figures from libFuzzer's own lines: the last status line (cov, ft,
# corpus), and the final stats (executions, rate).
printf '%-9s %10s %7s %6s %6s %7s  %s\n' target execs exec/s cov ft corpus \
    result
for t in "$@"; do
	log=$work/$t.log
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
	cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    awk '{ n += $1 } END { if (NR) print n }')
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" |
	    tail -n 1)
	result=$(cat "$work/$t.result" 2>/dev/null ||
	    echo "FAIL: did not finish (see $log)")
	case $result in
	ok*) ;;
	*) status=1 ;;
	esac
	printf '%-9s %10s %7s %6s %6s %7s  %s\n' "$t" "${execs:-?}" \
	    "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
echo "fuzz: $# targets, $seconds s each, $jobs at a time, $((ended - started)) s in all; logs and findings in $work"
exit $status
