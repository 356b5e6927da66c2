#!/usr/bin/env bash
# bench-live.sh: slow audits among healthy handshakes (issue 17 item 2).
#
#   bench/bench-live.sh GEN-HOSTILE CHAINAUDIT [BEFORE]
#
# Starts openssl s_server on 127.0.0.1: one healthy (fixture chain
# good-rsa.pem) and SLOW (default 8) serving bench/gen-hostile's slow
# chains in turn (8 of them, each a leaf and 120 same-name P-256 CAs of
# its own: each audit takes a whole work budget, and the run's signature
# cache cannot share their links).  One host list: HEALTHY (default 400) targets on the
# healthy server with the slow ones spread among them.  Measured per
# binary (CHAINAUDIT, and BEFORE when given), interleaved: the run's wall
# time and CPU time, its timeouts, whether targets came in input order;
# beside them, one slow chain audited from a file (its CPU) and SLOW
# times that: the sum the run would take if audits held up the loop.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${1:?usage: bench-live.sh GEN-HOSTILE CHAINAUDIT [BEFORE]}
BIN=${2:?usage: bench-live.sh GEN-HOSTILE CHAINAUDIT [BEFORE]}
BEFORE=${3:-}
SLOW=${SLOW:-8}
HEALTHY=${HEALTHY:-400}
F=fixtures
AT=2020-01-01T00:00:00Z

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$GEN" "$tmp"

# serve CERT KEY CHAIN: start s_server on a free port, print the port.
serve() {
	local port pid try
	for try in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
		openssl s_server -accept "127.0.0.1:$port" -www -quiet \
		    -no-CAfile -no-CApath -no-CAstore \
		    -cert "$1" -key "$2" -cert_chain "$3" \
		    </dev/null >/dev/null 2>&1 &
		pid=$!
		for _ in $(seq 50); do
			if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
				echo "$pid $port"
				return
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null || true
	done
	echo "cannot start openssl s_server" >&2
	exit 1
}

read -r p good < <(serve $F/chains/good-rsa.pem $F/keys/leaf-good.key $F/ca/int-rsa.pem)
pids+=("$p")
slow=()
for i in $(seq 0 $((SLOW - 1))); do
	k=$((i % 8))
	read -r p port < <(serve "$tmp/slow-leaf-$k.pem" "$tmp/slow-key.pem" "$tmp/slow-cas-$k.pem")
	pids+=("$p")
	slow+=("$port")
done
every=$((HEALTHY / SLOW))
: >"$tmp/hosts"
n=0
for i in $(seq 0 $((HEALTHY - 1))); do
	echo "t$n.example.test:$good 127.0.0.1" >>"$tmp/hosts"
	n=$((n + 1))
	if [ $((i % every)) -eq $((every / 2)) ] && [ $((i / every)) -lt "$SLOW" ]; then
		echo "t$n.example.test:${slow[$((i / every))]} 127.0.0.1" >>"$tmp/hosts"
		n=$((n + 1))
	fi
done

# run BIN: wall s, CPU s, timeouts, in order, into the report line.
run() {
	local t0 t1 cpu
	t0=$(date +%s.%N)
	( "$1" --no-system-ca --ca-file $F/ca/root-rsa.pem --at "$AT" -q \
	    -c 32 --timeout 5 --format jsonl --hosts "$tmp/hosts" \
	    >"$tmp/out" 2>/dev/null || true
	  times >"$tmp/t" )
	t1=$(date +%s.%N)
	cpu=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%.2f", (u[1] + s[1]) * 60 + u[2] + s[2] }' "$tmp/t")
	timeouts=$(grep -c -i 'timed out\|timeout' "$tmp/out" || true)
	if grep -o '"source": *"t[0-9]*\.' "$tmp/out" | grep -o 't[0-9]*' |
	    tr -d t | awk '$1 != NR - 1 { bad = 1 } END { exit bad }'; then
		order=yes
	else
		order=no
	fi
	printf '  %-8s %8.2f %8s %9s %9s\n' "$2" "$(echo "$t1 - $t0" | bc)" \
	    "$cpu" "$timeouts" "$order"
}

cat "$tmp/slow-leaf-0.pem" "$tmp/slow-cas-0.pem" >"$tmp/slow-chain.pem"
one=$( ( "$BIN" --no-system-ca --at "$AT" -q --host slow.test \
    "$tmp/slow-chain.pem" >/dev/null 2>&1 || true
    times) | awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
	printf "%.2f", (u[1] + s[1]) * 60 + u[2] + s[2] }')
echo "bench-live: $n targets ($SLOW slow among $HEALTHY healthy), -c 32, $(nproc) cores shared"
echo "  one slow chain audited alone: $one s CPU; $SLOW of them in a row: $(echo "$one * $SLOW" | bc) s"
printf '  %-8s %8s %8s %9s %9s\n' binary wall-s cpu-s timeouts in-order
[ -n "$BEFORE" ] && run "$BEFORE" before
run "$BIN" after
[ -n "$BEFORE" ] && run "$BEFORE" before
run "$BIN" after
