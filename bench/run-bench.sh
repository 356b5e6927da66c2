#!/bin/sh
# run-bench.sh: build bench/bench and run it.  The output goes to the
# terminal and to bench/out/latest.txt, which is replaced only when the
# run succeeds.  Arguments are passed on to bench (bench -h lists them).
#
# Needs a configured tree (./bootstrap && ./configure); name an
# out-of-tree build directory with BUILDDIR=dir.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir}
outdir=$srcdir/bench/out

if [ ! -f "$builddir/Makefile" ]; then
	echo "run-bench.sh: $builddir: not configured" \
	    "(run ./bootstrap && ./configure)" >&2
	exit 2
fi
make -s -C "$builddir" bench/bench
mkdir -p "$outdir"
tmp=$(mktemp "$outdir/latest.txt.XXXXXX")
trap 'rm -f "$tmp" "$tmp.status"' EXIT

rev=$(git -C "$srcdir" describe --always --dirty 2>/dev/null || echo unknown)
{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), chainaudit $rev," \
	    "$(uname -srm)"
	"$builddir/bench/bench" "$@" || echo $? >"$tmp.status"
	[ -s "$tmp.status" ] ||
	    sh "$srcdir/bench/bench-instr.sh" "$builddir/bench/bench" ||
	    echo $? >"$tmp.status"
} | tee "$tmp"

if [ -s "$tmp.status" ]; then
	echo "run-bench.sh: bench failed; $outdir/latest.txt left as it" \
	    "was" >&2
	exit 1
fi
mv "$tmp" "$outdir/latest.txt"
trap - EXIT
echo "run-bench.sh: wrote $outdir/latest.txt" >&2
