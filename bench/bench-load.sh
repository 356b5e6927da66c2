#!/bin/sh
# bench-load.sh: loading is linear (issue 17 item 4).  Generates a user
# distrust file of N lines (default 100,000, distinct keys, one duplicate
# at the end) and measures the CPU time (user + system) of one audit of a
# fixture chain with it, against the same audit with a 1,000-line file, in
# the same run.  Linear loading makes the ratio about N / 1,000 at most
# of the load's share; the old quadratic duplicate check made 100,000
# lines take over ten seconds.
#
# The same for the other lists a user can make large, each against a
# list of 1,000 in the same run:
#   --hosts with N lines of .invalid names (each an error target at once,
#   no DNS asked: the run is the list's load and N error lines), and
#   --ca-file with N / 10 self-signed CA certificates (made by
#   $GEN_TRUST, bench/gen-trust; skipped when it is not set), then the
#   audit of one fixture chain; and those certificates as one chain
#   file, one audit (the policy's checks over what was sent).
#
# usage: [GEN_TRUST=bench/gen-trust] bench/bench-load.sh CHAINAUDIT [N]
set -eu
bin=${1:?usage: bench-load.sh CHAINAUDIT [N]}
n=${2:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() {
	awk -v n="$1" 'BEGIN {
		print "#format 1"
		for (i = 0; i < n; i++)
			printf "Big\tchrome\t2020-01-01\tspki:%064x\tall\tgenerated %d\n", i, i
		printf "Big\tchrome\t2020-01-01\tspki:%064x\tall\tthe duplicate\n", 7
	}' > "$2"
}
gen "$n" "$tmp/big.tsv"
gen 1000 "$tmp/small.tsv"

cpu() {
	"$bin" -q --no-system-ca --ca-file "$here/fixtures/ca/root-rsa.pem" \
	    --at 2016-03-01T00:00:00Z --distrust "$1" \
	    "$here/fixtures/chains/good-rsa.pem" >/dev/null 2>"$tmp/err" || true
	grep -q duplicate "$tmp/err" || { echo "no duplicate reported" >&2; exit 1; }
	times >"$tmp/t"
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%.3f\n", (u[1] + s[1]) * 60 + u[2] + s[2] }' "$tmp/t"
}
small=$( (cpu "$tmp/small.tsv") )
big=$( (cpu "$tmp/big.tsv") )
echo "bench-load: one audit with a user distrust file, CPU seconds:"
echo "  1,000 lines: $small s"
printf '  %d lines: %s s\n' "$n" "$big"

# CPU seconds of the command line "$@" (output dropped), in a subshell.
cpu_of() {
	"$@" >/dev/null 2>&1 || true
	times >"$tmp/t"
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%.3f\n", (u[1] + s[1]) * 60 + u[2] + s[2] }' "$tmp/t"
}
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "h%d.invalid\n", i }' \
    > "$tmp/hosts-big"
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "h%d.invalid\n", i }' \
    > "$tmp/hosts-small"
small=$( (cpu_of "$bin" -q --no-system-ca --hosts "$tmp/hosts-small") )
big=$( (cpu_of "$bin" -q --no-system-ca --hosts "$tmp/hosts-big") )
echo "bench-load: a --hosts list of .invalid names (each an error), CPU seconds:"
echo "  1,000 lines: $small s"
printf '  %d lines: %s s\n' "$n" "$big"

if [ -z "${GEN_TRUST:-}" ]; then
	echo "bench-load: GEN_TRUST not set, trust file skipped (make bench-load)"
	exit 0
fi
ntrust=$((n / 10))
"$GEN_TRUST" "$ntrust" "$tmp/trust-big.pem"
"$GEN_TRUST" 1000 "$tmp/trust-small.pem"
trust_cpu() {
	cpu_of "$bin" -q --no-system-ca --ca-file "$1" \
	    --ca-file "$here/fixtures/ca/root-rsa.pem" \
	    --at 2016-03-01T00:00:00Z "$here/fixtures/chains/good-rsa.pem"
}
small=$( (trust_cpu "$tmp/trust-small.pem") )
big=$( (trust_cpu "$tmp/trust-big.pem") )
echo "bench-load: one audit with a --ca-file of CA certificates, CPU seconds:"
echo "  1,000 certificates: $small s"
printf '  %d certificates: %s s\n' "$ntrust" "$big"
chain_cpu() {
	cpu_of "$bin" -q --no-system-ca --at 2016-03-01T00:00:00Z "$1"
}
small=$( (chain_cpu "$tmp/trust-small.pem") )
big=$( (chain_cpu "$tmp/trust-big.pem") )
echo "bench-load: one audit of those certificates sent as one chain, CPU seconds:"
echo "  1,000 certificates: $small s"
printf '  %d certificates: %s s\n' "$ntrust" "$big"
