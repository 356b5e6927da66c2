/*
 * test_cert.c: cert parsing, from fixture bytes in memory (signatures
 * and their strength: test_sig.c).  Expected hashes were computed with
 * openssl (x509 -fingerprint -sha256; -pubkey | pkey -outform DER |
 * sha256sum).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "cert.h"
#include "certkit.h"
#include "sig.h"
#include "testlib.h"

Test(cert, fields_of_an_rsa_intermediate)
{
	struct cert *c = fixture_cert("ca/int-rsa.pem", 0);
	static const unsigned char ski[] = { 0x63, 0xa6, 0x1c, 0x5a, 0x94,
	    0xb3, 0x2e, 0xe6, 0xbd, 0x57, 0x32, 0x05, 0x25, 0x45, 0x8b, 0x00,
	    0x91, 0x08, 0xf3, 0x60 };

	cr_expect_str_eq(c->sha256_hex, "9424043a7da65d0ab79268227e28b78e"
	    "24f5b55e9967225380a50796e2660df3");
	cr_expect_str_eq(c->spki_sha256_hex, "f625003d46fc28729d920af02094f0de"
	    "b93f76d846323839cba30766c895ef6f");
	cr_expect_str_eq(cert_subject(c),
	    "CN=Chainaudit Test Intermediate RSA,O=Chainaudit Fixtures");
	cr_expect_str_eq(cert_issuer(c),
	    "CN=Chainaudit Test Root RSA,O=Chainaudit Fixtures");
	cr_expect_str_eq(c->serial_hex, "0102");
	cr_expect_eq(c->not_before, 946684800);		/* 2000-01-01 */
	cr_expect_eq(c->not_after, 4102444799);		/* 2099-12-31 23:59:59 */
	cr_expect(c->is_ca);
	cr_expect_eq(c->pathlen, 0);
	cr_expect(!c->self_issued);
	cr_expect_eq(c->version, 3);
	cr_expect_eq(c->ski_len, sizeof(ski));
	cr_expect(memcmp(c->ski, ski, sizeof(ski)) == 0);
	cr_expect_str_eq(c->key_name, "RSA");
	cr_expect_eq(c->key_bits, 2048);
	cr_expect_str_eq(c->sig_name, "RSA-SHA256");
	cr_expect_eq(sig_hash_strength(c).hash, HASH_STRONG);
	cr_expect_eq(sig_key_strength(c), 112);
	cert_free(c);
}

Test(cert, ec_keys_and_names)
{
	struct cert *root = fixture_cert("ca/root-ec.pem", 0);
	struct cert *leaf = fixture_cert("chains/good-ec.pem", 0);
	char buf[64];

	cr_expect_str_eq(root->key_name, "EC P-384");
	cr_expect_eq(root->key_bits, 384);
	cr_expect_eq(sig_key_strength(root), 192);
	cr_expect(root->self_issued);
	cr_expect_str_eq(leaf->key_name, "EC P-256");
	cr_expect_eq(sig_key_strength(leaf), 128);
	cr_expect_str_eq(cert_short_name(leaf, buf, sizeof(buf)),
	    "ec.example.test");
	cr_expect(cert_matches_host(leaf, "ec.example.test"));
	cr_expect(!cert_matches_host(leaf, "www.ec.example.test"));
	cert_free(root);
	cert_free(leaf);
}

Test(cert, reissued_copies_are_one_node)
{
	struct cert *a = fixture_cert("ca/int-rsa.pem", 0);
	struct cert *b = fixture_cert("ca/int-rsa-sha1.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct cert *cross = fixture_cert("ca/root-rsa-cross.pem", 0);

	cr_expect(!cert_is_same(a, b));
	cr_expect(cert_is_same_node(a, b));
	cr_expect(cert_is_same_node(root, cross));
	cr_expect(!cert_is_same_node(a, root));
	cr_expect(cert_is_issuer_name_of(root, a));
	cr_expect(cert_is_issuer_name_of(root, b));
	cr_expect(!cert_is_issuer_name_of(a, root));
	cr_expect_str_eq(b->sig_name, "RSA-SHA1");
	cr_expect_eq(sig_hash_strength(b).hash, HASH_SHA1);
	cert_free(a);
	cert_free(b);
	cert_free(root);
	cert_free(cross);
}

Test(cert, malformed_input_is_refused_with_a_reason)
{
	struct der_list l;
	char err[ERRBUF_LEN] = "";
	struct cert *c;
	unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

	c = cert_parse(junk, sizeof(junk), err, sizeof(err));
	cr_expect_null(c);
	cr_expect_neq(err[0], '\0');

	fixture_decode("bad/bad-extension.pem", &l);
	cr_assert_eq(l.n, 1);
	err[0] = '\0';
	c = cert_parse(l.v[0].der, l.v[0].len, err, sizeof(err));
	cr_expect_null(c, "a certificate with a malformed extension parsed");
	cr_expect_neq(err[0], '\0');
	der_list_free(&l);
}

/*
 * RFC 5280 4.1.2.6: a subject named only in a critical subjectAltName has
 * an empty subject DN.  Such a certificate is valid and must parse (it
 * used to be refused as "malformed subject"; x509-limbo cve-2024-0567).
 * Self-signed here, so the issuer DN is empty too.
 */
Test(cert, empty_subject_and_issuer_parse)
{
	static const char host[] = "empty.example.test";
	char buf[64];
	struct cert *c;

	c = certkit_cert(&(struct certkit){ .no_bc = 1, .dns = { host },
	    .serial = 1 });
	cr_expect_eq(c->raw_subject.size, 2);
	cr_expect_str_eq(cert_subject(c), "");
	cr_expect_str_eq(cert_issuer(c), "");
	cr_expect(c->self_issued);
	cr_expect_str_eq(cert_short_name(c, buf, sizeof(buf)),
	    "(empty subject)");
	cr_expect(cert_matches_host(c, host));
	cert_free(c);
}

/*
 * cert_parse reads extensions, key sizes and plain CNs from the DER itself
 * (one walk instead of a GnuTLS accessor call each, bench/README), and
 * makes the full names from the raw DNs when asked.  This holds it to
 * what GnuTLS's accessors say, field by field, over every certificate
 * at hand: the fixtures, the compiled-in distrust pool (old CAs of every
 * vintage), and when ../shared is there its real chains and every
 * certificate of the x509-limbo suite (odd AKIs, empty EKUs, odd key
 * sizes, critical unknowns).
 */
struct diff_count {
	unsigned	 compared;
	unsigned	 refused;	/* cert_parse refused, GnuTLS imported */
};

static unsigned
eku_bits_by_gnutls(gnutls_x509_crt_t x)
{
	static const struct {
		const char	*oid;
		unsigned	 bit;
	} t[] = {
		{ GNUTLS_KP_TLS_WWW_SERVER, EKU_SERVER_AUTH },
		{ GNUTLS_KP_TLS_WWW_CLIENT, EKU_CLIENT_AUTH },
		{ GNUTLS_KP_CODE_SIGNING, EKU_CODE_SIGNING },
		{ GNUTLS_KP_EMAIL_PROTECTION, EKU_EMAIL },
		{ GNUTLS_KP_TIME_STAMPING, EKU_TIME_STAMPING },
		{ GNUTLS_KP_OCSP_SIGNING, EKU_OCSP_SIGNING },
		{ GNUTLS_KP_ANY, EKU_ANY },
	};
	char oid[256];
	unsigned bits = 0, i, k;
	size_t len;

	for (i = 0;; i++) {
		len = sizeof(oid);
		if (gnutls_x509_crt_get_key_purpose_oid(x, i, oid, &len,
		    NULL) < 0)
			break;
		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
			if (strcmp(oid, t[k].oid) == 0)
				break;
		bits |= k < sizeof(t) / sizeof(t[0]) ? t[k].bit : EKU_OTHER;
	}
	return bits;
}

static void
diff_one(const unsigned char *der, size_t len, const char *where,
    struct diff_count *n)
{
	gnutls_x509_crt_t x;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	gnutls_pubkey_t k;
	gnutls_ecc_curve_t curve;
	gnutls_datum_t ex = { NULL, 0 }, ey = { NULL, 0 }, dn;
	unsigned char id[KEYID_MAX];
	char err[ERRBUF_LEN], cn[256], buf[512];
	unsigned char sigbuf[8192];
	size_t cnlen, sigbuf_len;
	unsigned crit, ca = 0, ku = 0, bits = 0, gbits;
	int r, pathlen = -1, algo, usable;
	size_t idlen;
	struct cert *c;

	if (gnutls_x509_crt_init(&x) < 0)
		cr_assert_fail("out of memory");
	if (gnutls_x509_crt_import(x, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(x);
		return;		/* not a certificate to GnuTLS either */
	}
	if ((c = cert_parse(der, len, err, sizeof(err))) == NULL) {
		n->refused++;
		gnutls_x509_crt_deinit(x);
		return;
	}
	n->compared++;

	r = gnutls_x509_crt_get_basic_constraints(x, &crit, &ca, &pathlen);
	cr_expect_eq(c->bc_present, r >= 0, "%s: basicConstraints present",
	    where);
	if (r >= 0) {
		cr_expect_eq(c->is_ca, ca != 0, "%s: cA", where);
		cr_expect_eq(c->pathlen, pathlen, "%s: pathLen", where);
	}

	idlen = sizeof(id);
	r = gnutls_x509_crt_get_subject_key_id(x, id, &idlen, &crit);
	cr_expect_eq(c->ski_len, r >= 0 ? idlen : 0, "%s: SKI", where);
	cr_expect(r < 0 || memcmp(c->ski, id, idlen) == 0, "%s: SKI", where);

	idlen = sizeof(id);
	r = gnutls_x509_crt_get_authority_key_id(x, id, &idlen, &crit);
	cr_expect_eq(c->aki_len, r >= 0 ? idlen : 0, "%s: AKI", where);
	cr_expect(r < 0 || memcmp(c->aki, id, idlen) == 0, "%s: AKI", where);

	r = gnutls_x509_crt_get_key_usage(x, &ku, &crit);
	cr_expect_eq(c->ku_present, r >= 0, "%s: keyUsage present", where);
	cr_expect_eq(c->key_usage, r >= 0 ? ku : 0, "%s: keyUsage", where);
	cr_expect_eq(c->eku, eku_bits_by_gnutls(x), "%s: extKeyUsage", where);

	algo = gnutls_x509_crt_get_pk_algorithm(x, &bits);
	cr_expect_eq(c->key_algo, algo < 0 ? GNUTLS_PK_UNKNOWN : algo,
	    "%s: key algorithm", where);
	gbits = bits;
	if (algo == GNUTLS_PK_EC && gnutls_x509_crt_get_pk_ecc_raw(x, &curve,
	    &ex, &ey) == 0) {
		gbits = curve == GNUTLS_ECC_CURVE_SECP521R1 ? 521 :
		    gnutls_ecc_curve_get_size(curve) * 8;
		gnutls_free(ex.data);
		gnutls_free(ey.data);
	}
	if (algo == GNUTLS_PK_RSA || algo == GNUTLS_PK_RSA_PSS ||
	    algo == GNUTLS_PK_EC)
		cr_expect_eq(c->key_bits, gbits, "%s: key bits %u, GnuTLS %u",
		    where, c->key_bits, gbits);

	cr_assert(gnutls_x509_crt_get_raw_dn(x, &dn) == 0);
	cr_expect(dn.size == c->raw_subject.size && memcmp(dn.data,
	    c->raw_subject.data, dn.size) == 0, "%s: raw subject", where);
	gnutls_free(dn.data);
	cr_assert(gnutls_x509_crt_get_raw_issuer_dn(x, &dn) == 0);
	cr_expect(dn.size == c->raw_issuer.size && memcmp(dn.data,
	    c->raw_issuer.data, dn.size) == 0, "%s: raw issuer", where);
	gnutls_free(dn.data);
	sigbuf_len = sizeof(sigbuf);
	cr_assert(gnutls_x509_crt_get_signature(x, (char *)sigbuf,
	    &sigbuf_len) == 0);
	cr_expect(sigbuf_len == c->signature.size && memcmp(sigbuf,
	    c->signature.data, sigbuf_len) == 0, "%s: signature", where);

	if (gnutls_x509_crt_get_dn3(x, &dn, 0) == 0) {
		cr_expect_str_eq(cert_subject(c), (char *)dn.data,
		    "%s: subject", where);
		gnutls_free(dn.data);
	} else
		cr_expect_str_eq(cert_subject(c), "", "%s: subject", where);
	if (gnutls_x509_crt_get_issuer_dn3(x, &dn, 0) == 0) {
		cr_expect_str_eq(cert_issuer(c), (char *)dn.data,
		    "%s: issuer", where);
		gnutls_free(dn.data);
	} else
		cr_expect_str_eq(cert_issuer(c), "", "%s: issuer", where);
	cnlen = sizeof(cn);
	if (gnutls_x509_crt_get_dn_by_oid(x, GNUTLS_OID_X520_COMMON_NAME, 0,
	    0, cn, &cnlen) == 0 && cnlen > 0)
		cr_expect_str_eq(cert_short_name(c, buf, sizeof(buf)), cn,
		    "%s: short name", where);

	usable = gnutls_pubkey_init(&k) == 0;
	if (usable) {
		usable = gnutls_pubkey_import_x509(k, x, 0) == 0;
		gnutls_pubkey_deinit(k);
	}
	cr_expect_eq(cert_pubkey(c) != NULL, usable, "%s: key usable", where);
	cert_shed(c);
	cr_expect_null(cert_pubkey(c), "%s: a key after cert_shed", where);
	cr_expect(!cert_matches_host(c, "example.com"), "%s: shed", where);
	cert_free(c);
	gnutls_x509_crt_deinit(x);
}

static void
diff_blob(const unsigned char *buf, size_t len, const char *where,
    struct diff_count *n)
{
	struct der_list l;
	char name[512];
	size_t i;

	memset(&l, 0, sizeof(l));
	if (pem_decode(buf, len, &l) < 0)
		cr_assert_fail("%s: out of memory", where);
	for (i = 0; i < l.n; i++) {
		snprintf(name, sizeof(name), "%s#%zu", where, i + 1);
		diff_one(l.v[i].der, l.v[i].len, name, n);
	}
	der_list_free(&l);
}

static struct diff_count *diff_walk_count;

static int
diff_walk_file(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	static const char *const exts[] = { ".pem", ".crt", ".der", ".cer",
	    ".p7b", ".p7c" };
	unsigned char *buf;
	size_t i, n = strlen(path), len;
	FILE *fp;

	(void)ftw;
	if (type != FTW_F || st->st_size > 4 * 1024 * 1024)
		return 0;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (n > strlen(exts[i]) &&
		    strcmp(path + n - strlen(exts[i]), exts[i]) == 0)
			break;
	if (i == sizeof(exts) / sizeof(exts[0]) ||
	    (fp = fopen(path, "rb")) == NULL)
		return 0;
	buf = malloc((size_t)st->st_size + 1);
	cr_assert_not_null(buf);
	len = fread(buf, 1, (size_t)st->st_size, fp);
	fclose(fp);
	diff_blob(buf, len, path, diff_walk_count);
	free(buf);
	return 0;
}

static void
diff_limbo(const char *json, struct diff_count *n)
{
	struct json_object *root, *cases, *t, *v;
	static const char *const keys[] = { "trusted_certs",
	    "untrusted_intermediates" };
	const char *pem;
	size_t i, j, k;

	root = json_object_from_file(json);
	cr_assert_not_null(root, "%s does not parse", json);
	cr_assert(json_object_object_get_ex(root, "testcases", &cases));
	for (i = 0; i < json_object_array_length(cases); i++) {
		t = json_object_array_get_idx(cases, i);
		if (json_object_object_get_ex(t, "peer_certificate", &v) &&
		    (pem = json_object_get_string(v)) != NULL)
			diff_blob((const unsigned char *)pem, strlen(pem),
			    "limbo", n);
		for (k = 0; k < 2; k++) {
			if (!json_object_object_get_ex(t, keys[k], &v))
				continue;
			for (j = 0; j < json_object_array_length(v); j++) {
				pem = json_object_get_string(
				    json_object_array_get_idx(v, j));
				if (pem != NULL)
					diff_blob((const unsigned char *)pem,
					    strlen(pem), "limbo", n);
			}
		}
	}
	json_object_put(root);
}

Test(cert, direct_der_reading_agrees_with_gnutls_accessors)
{
	struct diff_count fixtures = { 0, 0 }, shared = { 0, 0 };
	const char *dir;
	char path[4096];

	diff_walk_count = &fixtures;
	cr_assert(nftw(fixture_path("."), diff_walk_file, 16,
	    FTW_PHYS) == 0);
	cr_assert(nftw(fixture_path("../db"), diff_walk_file, 16, FTW_PHYS) == 0);
	/* Every fixture certificate and the 123 of the distrust pool. */
	cr_expect_geq(fixtures.compared, 150, "only %u certificates compared",
	    fixtures.compared);
	cr_expect_eq(fixtures.refused, 0, "cert_parse refused %u that GnuTLS "
	    "reads", fixtures.refused);
	if ((dir = shared_dir()) == NULL)
		cr_skip_test("../shared/data not present: the shared half "
		    "skipped (the fixture half passed)");
	diff_walk_count = &shared;
	snprintf(path, sizeof(path), "%s/data", dir);
	cr_assert(nftw(path, diff_walk_file, 16, FTW_PHYS) == 0);
	snprintf(path, sizeof(path), "%s/data/limbo/limbo.json", dir);
	diff_limbo(path, &shared);
	cr_expect_geq(shared.compared, 500, "only %u shared certificates "
	    "compared", shared.compared);
	cr_expect_eq(shared.refused, 0, "cert_parse refused %u that GnuTLS "
	    "reads", shared.refused);
	cr_log_info("compared %u fixture and %u shared certificates (%u "
	    "refused by cert_parse)", fixtures.compared, shared.compared,
	    shared.refused);
}

/*
 * The short name of a CN that RFC 4514 printing would change (specials,
 * spaces at the ends, a leading '#', non-ASCII) is GnuTLS's, not the raw
 * value: cert_parse reads only plain CNs itself.
 */
Test(cert, short_names_match_gnutls_for_awkward_cns)
{
	static const char *const cns[] = { "Example, Inc", " leading",
	    "trailing ", "a+b", "#hash", "quote\"d", "back\\slash",
	    "caf\xc3\xa9", "semi;colon", "less<more>", "eq=ual", "plain.name",
	    "" };
	gnutls_x509_crt_t crt;
	gnutls_datum_t der;
	struct der_blob b;
	char err[ERRBUF_LEN], buf[256], want[256];
	size_t i, n;
	struct cert *c;

	for (i = 0; i < sizeof(cns) / sizeof(cns[0]); i++) {
		b = certkit_der(&(struct certkit){ .cn = cns[i],
		    .org = "O, Inc", .no_bc = 1, .serial = 1 });
		der.data = b.der;
		der.size = (unsigned)b.len;
		cr_assert(gnutls_x509_crt_init(&crt) == 0);
		cr_assert(gnutls_x509_crt_import(crt, &der,
		    GNUTLS_X509_FMT_DER) == 0);
		n = sizeof(want);
		if (gnutls_x509_crt_get_dn_by_oid(crt,
		    GNUTLS_OID_X520_COMMON_NAME, 0, 0, want, &n) != 0 ||
		    n == 0) {
			gnutls_datum_t dn;

			/* No CN: the whole subject stands in. */
			cr_assert(gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0);
			snprintf(want, sizeof(want), "%s", (char *)dn.data);
			gnutls_free(dn.data);
		}
		c = cert_parse(b.der, b.len, err, sizeof(err));
		cr_assert_not_null(c, "'%s': %s", cns[i], err);
		cr_expect_str_eq(cert_short_name(c, buf, sizeof(buf)), want,
		    "CN '%s'", cns[i]);
		cert_free(c);
		free(b.der);
		gnutls_x509_crt_deinit(crt);
	}
}

/*
 * The labels a report prints, built without snprintf on a row's path:
 * each key type's label and short name, at every buffer length, equal
 * what snprintf writes ("%s %u" when the name lacks the bits, "%s"
 * otherwise); a length of 0 writes nothing.
 */
Test(cert, key_label_and_short_name_as_snprintf_writes_them)
{
	static const enum certkit_alg algs[] = { CERTKIT_RSA2048, CERTKIT_P256,
	    CERTKIT_ED25519 };
	static const char *const want[] = { "RSA 2048", "EC P-256",
	    "Ed25519" };
	char got[32], ref[32], err[ERRBUF_LEN];
	struct der_blob d;
	struct cert *c;
	size_t i, len;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		d = certkit_der(&(struct certkit){ .cn = "Label Test CA",
		    .key = certkit_key(algs[i], 0), .ca = 1 });
		cr_assert_not_null(c = cert_parse(d.der, d.len, err,
		    sizeof(err)), "%s", err);
		cr_expect_str_eq(cert_key_label(c, got, sizeof(got)), want[i]);
		for (len = 0; len <= sizeof(got); len++) {
			memset(got, 'x', sizeof(got));
			memset(ref, 'x', sizeof(ref));
			cert_key_label(c, got, len);
			if (c->key_bits > 0 &&
			    strpbrk(c->key_name, "0123456789") == NULL)
				snprintf(ref, len, "%s %u", c->key_name,
				    c->key_bits);
			else
				snprintf(ref, len, "%s", c->key_name);
			cr_expect_eq(memcmp(got, ref, sizeof(got)), 0,
			    "%s at %zu", want[i], len);
			memset(got, 'x', sizeof(got));
			memset(ref, 'x', sizeof(ref));
			cert_short_name(c, got, len);
			snprintf(ref, len, "%s", c->short_name);
			cr_expect_eq(memcmp(got, ref, sizeof(got)), 0,
			    "short name at %zu", len);
		}
		cert_free(c);
		free(d.der);
	}
}
