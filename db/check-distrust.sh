#!/bin/bash
# check-distrust.sh: validate the shipped distrust policy (format 1).
#
# usage: db/check-distrust.sh [-v] [distrust.tsv [distrust-certs.pem]]
#
# Checks db/distrust.tsv line by line (6 TAB-separated fields, vendor,
# dates, match and rule syntax, hash length, one entry per key/vendor/rule,
# order by ca, vendor, effective) and db/distrust-certs.pem against it: each
# certificate's SHA-256 and SubjectPublicKeyInfo SHA-256 are recomputed with
# openssl; the certificate must be referenced by an spki: (or cert:) entry
# of the same ca, and the comment line before it must name that ca and its
# certificate hash.  Prints how many keys have a certificate and how many
# are hash-only.  -v also prints the entry counts per ca and vendor.
# Exits 1 on any error.
set -euo pipefail
export LC_ALL=C

verbose=0
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi
here=$(cd "$(dirname "$0")" && pwd)
tsv=${1:-$here/distrust.tsv}
pem=${2:-$here/distrust-certs.pem}

for f in "$tsv" "$pem"; do
	if [ ! -r "$f" ]; then
		echo "check-distrust: cannot read $f" >&2
		exit 1
	fi
done
command -v openssl >/dev/null || { echo "check-distrust: openssl not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
errors=0

# ---------------------------------------------------------------- the TSV
# Errors go to stderr; one "spki|cert HASH CA RULE" line per entry goes to
# $tmp/keys for the cross-check below.
if ! awk -F'\t' -v file="$tsv" -v keys="$tmp/keys" '
function err(msg) { printf "%s:%d: %s\n", file, NR, msg > "/dev/stderr"; bad++ }
function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
function valid_date(s,    y, m, d, mdays) {
	if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/)
		return 0
	y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return 0
	split("31 28 31 30 31 30 31 31 30 31 30 31", mdays, " ")
	if (m == 2 && leap(y))
		return d <= 29
	return d <= mdays[m]
}
function valid_time(s) {
	if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z$/)
		return 0
	if (!valid_date(substr(s, 1, 10)))
		return 0
	return substr(s, 12, 2) + 0 <= 23 && substr(s, 15, 2) + 0 <= 59 &&
	    substr(s, 18, 2) + 0 <= 59
}
BEGIN { bad = 0; entries = 0; format = 0 }
/\r$/ { err("carriage return") }
/[ \t]$/ { err("trailing whitespace") }
/^#/ {
	if ($0 == "#format 1") {
		if (entries > 0)
			err("#format 1 after the first entry")
		format++
	} else if ($0 ~ /^#[ \t]*format/)
		err("unknown format line: " $0)
	next
}
/^$/ { next }
{
	entries++
	if (!format && entries == 1)
		err("no \"#format 1\" line before the first entry")
	if ($1 == "ca" && $2 == "vendor") {
		err("header line: format 1 has none (the columns are documented in comments)")
		next
	}
	if (NF != 6) {
		err("expected 6 TAB-separated fields (ca vendor effective match rule source), got " NF)
		next
	}
	ca = $1; vendor = $2; eff = $3; match_ = $4; rule = $5; src = $6
	if (ca == "" || ca ~ /^ | $/)
		err("empty ca or ca with leading/trailing space")
	if (vendor !~ /^(chrome|mozilla|apple|microsoft)$/)
		err("unknown vendor \"" vendor "\"")
	if (!valid_date(eff))
		err("effective \"" eff "\" is not a valid YYYY-MM-DD date")
	if (match_ ~ /^name:/)
		err("name: matches are not allowed in the built-in policy")
	else if (match_ ~ /^(spki|cert):/) {
		h = substr(match_, 6)
		if (length(h) != 64)
			err("hash in \"" match_ "\" has " length(h) " characters, not 64")
		else if (h !~ /^[0-9a-f]+$/)
			err("hash in \"" match_ "\" is not lower-case hex")
	} else
		err("match \"" match_ "\" is not spki:HEX64 or cert:HEX64")
	if (rule ~ /^(issued-after|issued-before|sct-after):/) {
		t = substr(rule, index(rule, ":") + 1)
		if (!valid_time(t))
			err("rule time \"" t "\" is not YYYY-MM-DDTHH:MM:SSZ")
	} else if (rule != "all" && rule != "exempt")
		err("rule \"" rule "\" is not all, exempt, issued-after:T, issued-before:T or sct-after:T")
	if (src == "")
		err("empty source")
	k = match_ SUBSEP vendor SUBSEP rule
	if (k in seen)
		err("duplicate entry for " match_ " " vendor " " rule " (first at line " seen[k] ")")
	else
		seen[k] = NR
	# Order: ca, then vendor, then effective.
	cur = ca SUBSEP vendor SUBSEP eff
	if (entries > 1 && (ca < pca || (ca == pca && (vendor < pvendor ||
	    (vendor == pvendor && eff < peff)))))
		err("out of order: entries must be sorted by ca, vendor, effective")
	if (ca != pca && (ca in cadone))
		err("ca \"" ca "\" is not contiguous")
	if (pca != "" && ca != pca)
		cadone[pca] = 1
	pca = ca; pvendor = vendor; peff = eff
	if (rule == "exempt")
		exempt[ca SUBSEP vendor] = NR
	else
		distrust[ca SUBSEP vendor] = 1
	split(match_, mm, ":")
	printf "%s\t%s\t%s\t%s\n", mm[1], mm[2], ca, rule > keys
}
END {
	if (format != 1)
		err(format ? "more than one \"#format 1\" line" : "missing \"#format 1\" line")
	for (k in exempt)
		if (!(k in distrust)) {
			split(k, p, SUBSEP)
			printf "%s:%d: exempt entry for %s/%s, which has no other entry\n",
			    file, exempt[k], p[1], p[2] > "/dev/stderr"
			bad++
		}
	if (entries == 0) {
		print file ": no entries" > "/dev/stderr"
		bad++
	}
	exit (bad > 0)
}' "$tsv"; then
	errors=1
fi
touch "$tmp/keys"
if [ -s "$tsv" ] && [ "$(tail -c 1 "$tsv" | od -An -c | tr -d ' ')" != '\n' ]; then
	echo "$tsv: no newline at end of file" >&2
	errors=1
fi

# ---------------------------------------------------------------- the PEM
# Split into blocks; each must follow a "# <ca> <subject> sha256 <hash>" line.
if ! awk -v dir="$tmp" -v file="$pem" '
BEGIN { n = 0; inblk = 0; bad = 0 }
/^-----BEGIN CERTIFICATE-----$/ {
	n++
	out = sprintf("%s/%04d.pem", dir, n)
	if (prev !~ /^# .* sha256 [0-9a-f]+$/) {
		printf "%s:%d: certificate block %d is not preceded by \"# <ca> <subject> sha256 <hash>\"\n",
		    file, NR, n > "/dev/stderr"
		bad++
	}
	print prev > (dir "/" sprintf("%04d", n) ".hdr")
	inblk = 1
}
inblk { print > out }
/^-----END CERTIFICATE-----$/ { inblk = 0; close(out) }
/^-----BEGIN / && !/CERTIFICATE-----$/ {
	printf "%s:%d: unexpected PEM block\n", file, NR > "/dev/stderr"; bad++
}
{ prev = $0 }
END { if (inblk) { print file ": truncated block" > "/dev/stderr"; bad++ } exit (bad > 0) }
' "$pem"; then
	errors=1
fi

: > "$tmp/pemkeys"
for blk in "$tmp"/*.pem; do
	[ -e "$blk" ] || break
	base=${blk%.pem}
	hdr=$(cat "$base.hdr")
	if ! der=$(openssl x509 -in "$blk" -outform DER 2>/dev/null | openssl dgst -sha256 -r); then
		echo "$pem: block $(basename "$base"): not a certificate openssl can read" >&2
		errors=1
		continue
	fi
	cert=${der%% *}
	spki=$(openssl x509 -in "$blk" -noout -pubkey | openssl pkey -pubin -outform DER |
	    openssl dgst -sha256 -r)
	spki=${spki%% *}
	printf '%s\t%s\t%s\n' "$cert" "$spki" "$hdr" >> "$tmp/pemkeys"
done

if ! awk -F'\t' -v file="$pem" '
FILENAME == ARGV[1] {		# keys: kind hash ca rule
	if ($1 == "spki") { spkica[$2] = $3; if ($4 != "exempt") distrusted[$2] = 1 }
	else certca[$2] = $3
	next
}
{				# pem: cert spki header
	cert = $1; spki = $2; hdr = $3
	if (cert in seen) {
		print file ": certificate " cert " appears twice" > "/dev/stderr"; bad++
	}
	seen[cert] = 1
	n = split(hdr, w, " ")
	if (w[n] != cert) {
		printf "%s: comment says sha256 %s but the certificate that follows is %s\n",
		    file, w[n], cert > "/dev/stderr"; bad++
	}
	if (spki in spkica)
		ca = spkica[spki]
	else if (cert in certca)
		ca = certca[cert]
	else {
		printf "%s: certificate %s (SPKI %s) is not referenced by distrust.tsv\n",
		    file, cert, spki > "/dev/stderr"; bad++
		next
	}
	if (index(hdr, "# " ca " ") != 1) {
		printf "%s: certificate %s: comment does not start with its ca \"%s\": %s\n",
		    file, cert, ca, hdr > "/dev/stderr"; bad++
	}
	havespki[spki] = 1
	havecert[cert] = 1
	ncerts++
}
END {
	for (k in spkica) {
		nspki++
		if (k in havespki) with++
		else {
			without++
			if (k in distrusted) dwithout++
		}
	}
	for (k in certca) { ncertrows++; if (k in havecert) certwith++ }
	printf "distrust-certs.pem: %d certificates, all matching their spki: entry\n", ncerts
	printf "spki: keys: %d, with a certificate: %d, hash-only: %d (%d of them distrusting, the rest exempt)\n",
	    nspki, with, without, dwithout
	printf "cert: entries: %d, with the certificate in the pool: %d\n", ncertrows, certwith
	exit (bad > 0)
}' "$tmp/keys" "$tmp/pemkeys"; then
	errors=1
fi

entries=$(awk -F'\t' '!/^#/ && NF' "$tsv" | wc -l)
echo "distrust.tsv: $entries entries"
if [ "$verbose" = 1 ]; then
	awk -F'\t' '!/^#/ && NF { n[$1 "\t" $2]++ }
	    END { for (k in n) print n[k] "\t" k }' "$tsv" |
	    sort -t "$(printf '\t')" -k2,2 -k3,3 |
	    awk -F'\t' '{ printf "  %-18s %-8s %4d\n", $2, $3, $1 }'
fi

if [ "$errors" != 0 ]; then
	echo "check-distrust: FAILED" >&2
	exit 1
fi
echo "check-distrust: OK"
