#!/usr/bin/env bash
# bench-tls.sh: live handshakes per second, chainaudit against openssl
# s_time, same local server, same run.
#
#   bench/bench-tls.sh [-n HANDSHAKES] [-t SECONDS] [CHAINAUDIT]
#
# Starts one `openssl s_server` on 127.0.0.1 (a free port) serving the
# fixture chain good-rsa.pem (RSA 2048 leaf + intermediate), then:
#   * openssl s_time -new for SECONDS (full handshakes, one at a time);
#   * chainaudit on N copies of the target at -c 1, 16, 64 and 256
#     (every handshake is also audited: path, signatures, findings).
# Prints handshakes per second and the ratio to s_time.  The server is
# single-threaded and shares the machine's cores with the client, so the
# server's own handshake cost bounds both tools: the ratio says how close
# chainaudit comes to that bound, not how fast a real server farm would be.
set -euo pipefail
cd "$(dirname "$0")/.."

N=2000
SECS=5
while getopts n:t: opt; do
	case $opt in
	n) N=$OPTARG ;;
	t) SECS=$OPTARG ;;
	*) echo "usage: $0 [-n HANDSHAKES] [-t SECONDS] [CHAINAUDIT]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
BIN=${1:-./src/chainaudit}
F=fixtures

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# A free port on 127.0.0.1 (retried if someone takes it first).
for try in 1 2 3 4 5; do
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	openssl s_server -accept "127.0.0.1:$port" -www -quiet \
	    -no-CAfile -no-CApath -no-CAstore \
	    -cert $F/chains/good-rsa.pem -key $F/keys/leaf-good.key \
	    -cert_chain $F/ca/int-rsa.pem </dev/null >"$tmp/server.log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			break 2
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	pid=
done
[ -n "$pid" ] || { echo "cannot start openssl s_server" >&2; exit 1; }

echo "server: openssl s_server 127.0.0.1:$port (single process), $(nproc) cores shared"

# Reference: openssl s_time, full handshakes, sequential.
st=$(openssl s_time -connect "127.0.0.1:$port" -new -time "$SECS" 2>/dev/null |
    awk '/connections in [0-9.]+ real seconds/ { print $1 / $4; exit }')
printf "%-26s %10s\n" "openssl s_time -new" "$(printf '%.0f hs/s' "$st")"

for i in $(seq "$N"); do echo "good.example.test:$port 127.0.0.1"; done >"$tmp/hosts"
printf "%-26s %10s %8s %10s %8s\n" "chainaudit" "handshakes" "seconds" "hs/s" "ratio"
for c in 1 16 64 256; do
	t0=$(date +%s.%N)
	"$BIN" --no-system-ca --ca-file $F/ca/root-rsa.pem \
	    --at 2016-03-01T00:00:00Z --format json -o "$tmp/report.json" \
	    -c "$c" --hosts "$tmp/hosts" 2>"$tmp/err" || true
	t1=$(date +%s.%N)
	errors=$(grep -c . "$tmp/err" || true)
	awk -v c="$c" -v n="$N" -v a="$t0" -v b="$t1" -v st="$st" -v e="$errors" 'BEGIN {
		s = b - a; r = n / s
		printf "%-26s %10d %8.2f %10.0f %7.2fx%s\n", "  -c " c, n, s, r,
		    (st > 0 ? r / st : 0), (e > 0 ? "  (" e " errors)" : "")
	}'
done
