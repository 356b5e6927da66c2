#!/bin/sh
# make-demo.sh: write db/demo.sql, the demo hosting database of the README
# quick start, from the fixture chains (PEMs inline, so demo.sql stands
# alone):
#
#     db/make-demo.sh && sqlite3 demo.db < db/demo.sql
#
# Rerun it after fixtures/generate.sh and commit demo.sql.  Audit the
# demo at 2016-03-01T00:00:00Z (the fixtures' pinned instant), trusting
# the fixture roots and the demo distrust decision (db/demo-distrust.tsv).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/db/demo.sql
tmp=$out.tmp

# The PEM blocks of a fixture chain, nothing else.
pem() {
	sed -n '/^-----BEGIN/,/^-----END/p' "$top/fixtures/chains/$1" | tr -d '\r'
}

# row DOMAIN CONTACT CHAIN-FILE: one INSERT with the chain inline.
row() {
	printf "INSERT INTO chainaudit_domains (domain, chain_pem, contact) VALUES ('%s',\n'%s',\n'%s');\n" \
	    "$1" "$(pem "$3")" "$2"
}

{
	echo "-- db/demo.sql: a demo hosting database, written by db/make-demo.sh"
	echo "-- from the fixture chains: do not edit, rerun the script."
	echo "--"
	echo "--     sqlite3 demo.db < db/demo.sql"
	echo "--"
	echo "-- Good chains, a SHA-1-only intermediate past the sunset, a distrusted"
	echo "-- issuer (with db/demo-distrust.tsv), an expired leaf, a misordered"
	echo "-- chain, a wrong host, a garbage row and a NULL row."
	echo "BEGIN;"
	# The default domain table, as db/schema.sql defines it.
	sed -n '/^CREATE TABLE IF NOT EXISTS chainaudit_domains/,/^);/p' \
	    "$top/db/schema.sql"
	row good.example.test ops@alpha.example good-rsa.pem
	row www.good.example.test ops@alpha.example misordered.pem
	row a.wild.example.test ops@alpha.example wildcard.pem
	row ec.example.test admin@beta.example good-ec.pem
	row sha1int.example.test it@gamma.example sha1-int.pem
	row expired.example.test it@gamma.example expired.pem
	row soon.example.test web@delta.example expiring-soon.pem
	row shop.example.test web@delta.example wrong-host.pem
	row md5.example.test web@delta.example md5-leaf.pem
	echo "INSERT INTO chainaudit_domains (domain, chain_pem, contact) VALUES ('garbage.example.test', 'this row holds no certificate at all', 'admin@beta.example');"
	echo "INSERT INTO chainaudit_domains (domain, chain_pem, contact) VALUES ('null.example.test', NULL, 'admin@beta.example');"
	echo "COMMIT;"
} > "$tmp"
mv "$tmp" "$out"
