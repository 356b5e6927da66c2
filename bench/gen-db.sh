# gen-db.sh: sourced by bench-db.sh and bench-notify.sh (POSIX sh), with
# srcdir, builddir, rows and the script's name in $name set (and, for
# bench-db, $profile: mixed (the default), realistic, rsa or p256).  Builds
# bench/gen-db and chainaudit, makes $tmp (removed on exit), sets gen, ca
# and out, prints the run's header line, and leaves in $db bench/gen-db's
# table of $rows domains, generated once into bench/out and reused.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chainaudit-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

make -s -C "$builddir" bench/gen-db src/chainaudit
gen=$builddir/bench/gen-db
ca=$builddir/src/chainaudit
out=$builddir/bench/out
mkdir -p "$out"
profile=${profile:-mixed}
case $profile in
mixed) db=$out/db-v$("$gen" -V)-$rows.db ;;
realistic|rsa|p256) db=$out/db-v$("$gen" -V)-$profile-$rows.db ;;
*) echo "$name: $profile: mixed, realistic, rsa or p256" >&2; exit 2 ;;
esac
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs online, $rows rows," \
    "profile $profile," \
    "chainaudit $(cd "$srcdir" && git describe --always --dirty 2>/dev/null || echo '?')"
if [ ! -f "$db" ]; then
	"$gen" -p "$profile" -n "$rows" -o "$db.part"
	mv "$db.part.roots.pem" "$db.roots.pem"
	mv "$db.part.ints.pem" "$db.ints.pem"
	mv "$db.part" "$db"
else
	echo "reusing $db"
fi
