#!/bin/sh
# seeds.sh SRCDIR OUTDIR: write the fuzzers' seed corpora into
# OUTDIR/TARGET/, from the fixtures (and from ../shared's real chains and
# hybrid certificates when they are there), so that thousands of files
# need not live in git.  Only the hand-made seeds of the text protocols
# are committed (tests/fuzz/seeds/).  Needs a POSIX shell, awk and
# base64 (coreutils).
set -eu
src=$1
out=$2
shared=$src/../shared/data

rm -rf "$out"
for t in pem cert asn1 altsig distrust hosts starttls audit; do
	mkdir -p "$out/$t"
done

# Copy file into OUTDIR/TARGET under a name made from its path.
put() {
	cp "$2" "$out/$1/$(printf '%s' "$2" | sed "s|^$src/||; s|[/ ]|_|g")"
}

# Every CERTIFICATE block of a PEM file, as DER, into each target given.
split_der() {
	f=$1
	shift
	base=$(printf '%s' "$f" | sed "s|^$src/||; s|[/ ]|_|g")
	tmp=$out/.split
	rm -rf "$tmp"
	mkdir -p "$tmp"
	awk -v dir="$tmp" '
		/^-----BEGIN CERTIFICATE-----/ { n++; on = 1; next }
		/^-----END CERTIFICATE-----/ { on = 0; next }
		on { sub(/\r$/, ""); print > (dir "/" n ".b64") }
	' "$f"
	for b in "$tmp"/*.b64; do
		[ -f "$b" ] || continue
		n=$(basename "$b" .b64)
		base64 -d < "$b" > "$tmp/der" 2>/dev/null || continue
		for t in "$@"; do
			cp "$tmp/der" "$out/$t/$base.$n.der"
		done
	done
	rm -rf "$tmp"
}

# Certificate files: whole for the decoders and the audit, and each
# certificate in them for the certificate parsers.
for f in "$src"/fixtures/chains/* "$src"/fixtures/bad/* \
    "$src"/fixtures/real/*.pem "$src"/fixtures/hybrid/*.pem; do
	[ -f "$f" ] || continue
	put pem "$f"
	put audit "$f"
done
for f in "$src"/fixtures/ca/*.pem; do
	put pem "$f"
done
for f in "$src"/fixtures/ca/*.pem "$src"/fixtures/chains/*.pem \
    "$src"/fixtures/bad/*.pem "$src"/fixtures/real/*.pem; do
	split_der "$f" cert asn1
done
for f in "$src"/fixtures/chains/*.der "$src"/fixtures/bad/*.der; do
	put cert "$f"
	put asn1 "$f"
done
for f in "$src"/fixtures/hybrid/*.pem; do
	split_der "$f" cert asn1 altsig
done
split_der "$src"/fixtures/ca/root-rsa.pem altsig

# Slices of real data, when ../shared is there: served chains, and the
# hybrid certificates of other implementations.
if [ -d "$shared" ]; then
	for f in "$shared"/chains/*/chain.pem; do
		[ -f "$f" ] || continue
		cp "$f" "$out/audit/shared_$(basename "$(dirname "$f")").pem"
		cp "$f" "$out/pem/shared_$(basename "$(dirname "$f")").pem"
		split_der "$f" cert
	done
	for f in "$shared"/hybrid/*/*.der; do
		[ -f "$f" ] || continue
		n=shared_$(basename "$(dirname "$f")")_$(basename "$f")
		cp "$f" "$out/altsig/$n"
		cp "$f" "$out/asn1/$n"
	done
fi

# The distrust policy: the shipped file in slices of 10 lines (one slice
# is a few entries of real decisions), the demo's, and the hand-made ones.
awk -v dir="$out/distrust" '
	{ print > (dir "/builtin." int((NR - 1) / 10)) }
' "$src"/db/distrust.tsv
put distrust "$src"/db/demo-distrust.tsv

# The text protocols' hand-made seeds.
for t in distrust hosts starttls; do
	for f in "$src"/tests/fuzz/seeds/$t/*; do
		[ -f "$f" ] && cp "$f" "$out/$t/"
	done
done
# Inputs the fuzzers found too slow, made here so that every run, the
# CI smoke included, replays them under the one-second limit (their
# Criterion tests check the verdict).  An SMTP reply of 3,270 "250-"
# lines a byte per read (tests/test_starttls.c many_lines_a_byte_at_a_time).
{
	printf '\200220 x\r\n'
	awk 'BEGIN { for (i = 0; i < 3270; i++) printf "250-\n" }'
} > "$out/starttls/slow-smtp-lines"

for t in pem cert asn1 altsig distrust hosts starttls audit; do
	printf '%s: %s seeds\n' "$t" "$(ls "$out/$t" | wc -l)"
done
