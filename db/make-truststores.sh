#!/bin/sh
# make-truststores.sh: write the named trust stores' history that
# chainaudit compiles in (--trust-store, --list-trust-stores) from the
# shared data set:
#
#     db/make-truststores.sh [TRUSTSTORES-DIR]
#
# TRUSTSTORES-DIR defaults to ../shared/data/truststores beside the
# checkout.  It writes, in db/:
#
#   trust-roots.pem       every certificate any store ever held, each once,
#                         sorted by SHA-256, each block preceded by its
#                         "# sha256=<hex> subject=<RFC 4514>" line
#   trust-history.tsv     store, sha256, present_intervals: one row per
#                         (store, certificate); intervals "from..to" of
#                         snapshot dates, ';'-separated, "from.." = still
#                         in the newest snapshot
#   trust-snapshots.tsv   store, date, label, n_roots, source: one row per
#                         snapshot (version) of each store
#
# Rerun it when the shared data changes and commit the three files: a
# fresh clone has no ../shared.  POSIX sh and awk only.
set -eu
LC_ALL=C
export LC_ALL

top=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$top/../shared/data/truststores}
out=$top/db
tmp=${TMPDIR:-/tmp}/make-truststores.$$
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp"

for d in mozilla apple google-aosp microsoft-windows java-oracle \
    java-openjdk chrome-root-store; do
	if [ ! -f "$src/$d/roots.pem" ] ||
	    [ ! -f "$src/$d/snapshots.tsv" ]; then
		echo "make-truststores.sh: $src/$d: roots.pem or" \
		    "snapshots.tsv missing" >&2
		exit 1
	fi
done

# Chrome's root_store.textproto v17 has no date in the data (it was read
# through a code index); its content (the Entrust constraints) puts it in
# the second half of 2024, so 2024-07-01 stands for it: any earlier
# instant is before the recorded history.
CHROME_DATE=2024-07-01

# members STORE DIR KIND FROM BEFORE HISTORY: one "S" line per snapshot of DIR
# dated FROM <= date < BEFORE (empty: no bound), and one "M date sha256"
# line per certificate present in it, read from history.tsv's
# present_intervals (runs of consecutive snapshots, so a snapshot is in
# a run exactly when its date lies within the run's dates).
members() {
	awk -F '\t' -v store="$1" -v dir="$2" -v kind="$3" -v lo="$4" \
	    -v hi="$5" -v chrome_date="$CHROME_DATE" '
	function col(name) {
		if (!(name in c)) {
			printf "make-truststores.sh: %s: no column %s\n",
			    FILENAME, name > "/dev/stderr"
			bad = 1
			exit 1
		}
		return c[name]
	}
	function label(   v, f, m) {
		if (kind == "certifi") {
			m = $col("label")
			if (match(m, /[0-9][0-9][0-9][0-9][.-][0-9][0-9][.-]/)) {
				v = substr(m, RSTART, RLENGTH + 2)
				gsub(/-/, ".", v)
				return "certifi " v
			}
			return ""
		}
		if (kind == "chrome")
			return "v" $col("store_version") " (2024)"
		v = $col("store_version")
		gsub(/\047/, "", v)
		if (v == "null")
			v = ""
		if (kind == "oracle")
			v = v == "" ? "Oracle Java" : "Oracle " v
		else if (kind == "openjdk")
			v = "OpenJDK " v
		else if (kind == "aosp" && v != "")
			v = "AOSP " v
		f = $col("date_fetched")
		if (f != "")
			v = v (v == "" ? "" : ", ") "fetched " f
		return v
	}
	FNR == 1 {
		delete c
		for (i = 1; i <= NF; i++)
			c[$i] = i
		file++
		next
	}
	file == 1 {
		d = $col("date")
		if (kind == "chrome" && d == "")
			d = chrome_date
		if ((lo != "" && d < lo) || (hi != "" && d >= hi))
			next
		n++
		date[n] = d
		printf "S\t%s\t%s\t%s\t%s %s@%s\t%s\n", store, d, label(),
		    dir, $col("path"), substr($col("commit"), 1, 12),
		    $col("n_roots")
		next
	}
	file == 2 {
		sha = $col("sha256")
		k = split($col("present_intervals"), run, ";")
		for (i = 1; i <= k; i++) {
			split(run[i], ft, /\.\./)
			for (j = 1; j <= n; j++)
				if (date[j] >= ft[1] &&
				    (ft[2] == "" || date[j] <= ft[2]))
					printf "M\t%s\t%s\t%s\n", store,
					    date[j], sha
		}
	}
	' "$src/$2/snapshots.tsv" "$6"
}

# Chrome has one version and no history.tsv: every root is in it.
chrome_members() {
	members chrome chrome-root-store chrome "" "" /dev/null
	sed -n 's/^# sha256=\([0-9a-f]*\) .*/\1/p' \
	    "$src/chrome-root-store/roots.pem" |
	    sed "s/^/M	chrome	$CHROME_DATE	/"
}

{
	members mozilla mozilla certifi "" "" "$src/mozilla/history.tsv"
	chrome_members
	members apple apple sslyze "" "" "$src/apple/history.tsv"
	members microsoft microsoft-windows sslyze "" "" \
	    "$src/microsoft-windows/history.tsv"
	members android google-aosp aosp "" "" "$src/google-aosp/history.tsv"
	# Java: Oracle's store until OpenJDK's history starts, OpenJDK's
	# after (Oracle's file was not updated after jdk-13.0.2, 2020-01).
	members java java-oracle oracle "" 2018-12-01 \
	    "$src/java-oracle/history.tsv"
	members java java-openjdk openjdk 2018-12-01 "" \
	    "$src/java-openjdk/history.tsv"
} > "$tmp/members"

# Check the counts against the sources' n_roots, then compress each
# certificate's snapshots into runs.
awk -F '\t' -v snaps="$tmp/snapshots" -v hist="$tmp/history" '
$1 == "S" {
	store = $2
	if (!(store in ns)) {
		order[++nstores] = store
		ns[store] = 0
	}
	i = ++ns[store]
	sdate[store, i] = $3
	sidx[store, $3] = i
	slabel[store, i] = $4
	ssrc[store, i] = $5
	sroots[store, i] = $6
	next
}
$1 == "M" {
	key = $2 SUBSEP $4
	if (!(key in seen)) {
		seen[key] = 1
		certs[$2] = certs[$2] $4 " "
	}
	in_snap[$2, sidx[$2, $3], $4] = 1
	count[$2, sidx[$2, $3]]++
}
END {
	for (s = 1; s <= nstores; s++) {
		st = order[s]
		for (i = 1; i <= ns[st]; i++) {
			if (count[st, i] + 0 != sroots[st, i] + 0) {
				printf "make-truststores.sh: %s %s: %d " \
				    "certificates, the source says %s\n", st,
				    sdate[st, i], count[st, i],
				    sroots[st, i] > "/dev/stderr"
				bad = 1
			}
			printf "%s\t%s\t%s\t%d\t%s\n", st, sdate[st, i],
			    slabel[st, i], count[st, i], ssrc[st, i] > snaps
		}
		k = split(certs[st], list, " ")
		for (c = 1; c <= k; c++) {
			sha = list[c]
			iv = ""
			from = 0
			for (i = 1; i <= ns[st] + 1; i++) {
				here = i <= ns[st] && ((st, i, sha) in in_snap)
				if (here && !from)
					from = i
				if (!here && from) {
					iv = iv (iv == "" ? "" : ";") \
					    sdate[st, from] ".." \
					    (i > ns[st] ? "" : sdate[st, i - 1])
					from = 0
				}
			}
			if (iv != "")
				printf "%s\t%s\t%s\n", st, sha, iv > hist
		}
	}
	exit bad
}' "$tmp/members"

# The certificates the history names, each once, from the stores' PEMs.
cut -f2 "$tmp/history" | sort -u > "$tmp/wanted"
for d in mozilla chrome-root-store apple microsoft-windows google-aosp \
    java-oracle java-openjdk; do
	awk '
	/^# sha256=/ { block = $0; sha = substr($2, 8); next }
	block != "" {
		block = block "\001" $0
		if ($0 ~ /^-----END CERTIFICATE-----/) {
			print sha "\t" block
			block = ""
		}
	}' "$src/$d/roots.pem"
done | sort -t '	' -k1,1 -u > "$tmp/blocks"
cut -f1 "$tmp/blocks" > "$tmp/have"
if ! cmp -s "$tmp/wanted" "$tmp/have"; then
	# Blocks no history names are not wanted; a named one missing is bad.
	missing=$(comm -23 "$tmp/wanted" "$tmp/have" | head -3)
	if [ -n "$missing" ]; then
		echo "make-truststores.sh: no certificate for: $missing" >&2
		exit 1
	fi
fi

header() {
	cat <<EOF
# $1: written by db/make-truststores.sh from ../shared/data/truststores
# (collected 2026-11/12): do not edit, rerun the script.
#
# Stores and their sources (dates are commit dates of the source
# repositories, which lag the vendors' own changes; see chainaudit(1),
# TRUST STORES):
#   mozilla    Mozilla's website roots as shipped by certifi
#              (certifi/python-certifi certifi/cacert.pem, master
#              first-parent, 2011-12-28..2026-07-21, HEAD f4bc676bc101);
#              the bundle derives from Mozilla's certdata.txt, MPL-2.0.
#   chrome     Chrome Root Store root_store.textproto version_major 17
#              (chromium/chromium @c076418dc968, BSD-3-Clause); undated in
#              the data, second half of 2024: dated $CHROME_DATE here.
#   apple      macOS roots (sslyze's apple.pem, apple_macos.pem)
#   microsoft  Windows roots (microsoft.pem, microsoft_windows.pem)
#   android    AOSP roots (google.pem, aosp.pem, google_aosp.pem)
#   java       Oracle Java (java.pem, oracle_java.pem) until 2018-11-30,
#              OpenJDK (openjdk.pem) from 2018-12-01
#              These four as committed by sslyze (nabla-c0d3/sslyze, branch
#              release, HEAD ef9131715f99, 2024-02-24), 2013-11-08 to
#              2023-09-24, snapshots where the file was absent skipped;
#              sslyze is AGPL-3.0: only the certificates (public data)
#              were taken, re-encoded.
EOF
}

{
	header trust-roots.pem
	echo "#"
	echo "# Each certificate once, sorted by SHA-256 of its DER."
	awk '{ s = substr($0, index($0, "\t") + 1); gsub(/\001/, "\n", s);
	    print s }' "$tmp/blocks"
} > "$tmp/roots.pem"
{
	header trust-history.tsv
	echo "#"
	echo "# store	sha256	present_intervals (snapshot dates from..to;"
	echo "# from.. = still present in the store's newest snapshot)"
	sort "$tmp/history"
} > "$tmp/history.tsv"
{
	header trust-snapshots.tsv
	echo "#"
	echo "# store	date	label	n_roots	source (dir path@commit)"
	cat "$tmp/snapshots"
} > "$tmp/snapshots.tsv"

mv "$tmp/roots.pem" "$out/trust-roots.pem"
mv "$tmp/history.tsv" "$out/trust-history.tsv"
mv "$tmp/snapshots.tsv" "$out/trust-snapshots.tsv"
n=$(grep -c '^-----BEGIN' "$out/trust-roots.pem")
echo "wrote $out/trust-roots.pem ($n certificates), trust-history.tsv," \
    "trust-snapshots.tsv"
