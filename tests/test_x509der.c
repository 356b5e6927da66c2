/*
 * test_x509der.c: the lean certificate reader (x509der.c) and the
 * hostname matching cert.c does on what it reads, held to GnuTLS.
 *
 * Unit tests pin the strict DER gate and the time arithmetic.  The
 * differential tests parse every certificate of the fixtures, of the
 * shared real-world data (chains, pools, trust stores, the x509-limbo
 * cases) and thousands of mutants of them twice, with cert_parse (lean
 * where x509der accepts) and with cert_parse_gnutls (GnuTLS's import, as
 * before), and require the same outcome and the same fields; every
 * certificate x509der accepts must also import into GnuTLS.  Hostname
 * matching is compared with gnutls_x509_crt_check_hostname2 on every
 * such certificate for its own names, variations of them, addresses and
 * limbo's expected peer names.  The shared data is skipped, with a
 * message, when absent.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <gnutls/x509-ext.h>
#include <libtasn1.h>

#include "asn1.h"
#include "cert.h"
#include "pem.h"
#include "testlib.h"
#include "x509der.h"

#define HOSTS_MAX	4096

struct corpus {
	struct der_list	 ders;
	char		*hosts[HOSTS_MAX];	/* owned */
	size_t		 nhosts;
};

static void
add_host(struct corpus *c, const char *h)
{
	if (c->nhosts < HOSTS_MAX && h != NULL)
		c->hosts[c->nhosts++] = strdup(h);
}

static void
add_pem(struct corpus *c, const char *s)
{
	struct der_list l;
	size_t i;

	memset(&l, 0, sizeof(l));
	if (s != NULL && pem_decode((const unsigned char *)s, strlen(s),
	    &l) == 0)
		for (i = 0; i < l.n; i++)
			der_list_add(&c->ders, l.v[i].der, l.v[i].len);
	der_list_free(&l);
}

static void
add_pem_json(struct corpus *c, struct json_object *v)
{
	size_t i;

	if (json_object_is_type(v, json_type_string))
		add_pem(c, json_object_get_string(v));
	else if (json_object_is_type(v, json_type_array))
		for (i = 0; i < json_object_array_length(v); i++)
			add_pem_json(c, json_object_array_get_idx(v, i));
}

/* The certificates of an x509-limbo file and its expected peer names. */
static void
add_limbo(struct corpus *c, const char *path)
{
	struct json_object *root, *cases, *t, *v, *name;
	size_t i;

	if ((root = json_object_from_file(path)) == NULL)
		return;
	if (json_object_object_get_ex(root, "testcases", &cases))
		for (i = 0; i < json_object_array_length(cases); i++) {
			t = json_object_array_get_idx(cases, i);
			if (json_object_object_get_ex(t, "trusted_certs", &v))
				add_pem_json(c, v);
			if (json_object_object_get_ex(t,
			    "untrusted_intermediates", &v))
				add_pem_json(c, v);
			if (json_object_object_get_ex(t, "peer_certificate",
			    &v))
				add_pem_json(c, v);
			if (json_object_object_get_ex(t, "expected_peer_name",
			    &v) && json_object_object_get_ex(v, "value",
			    &name))
				add_host(c, json_object_get_string(name));
		}
	json_object_put(root);
}

/* Every certificate file under dir (PEM, DER, PKCS #7, limbo JSON). */
static void
add_tree(struct corpus *c, const char *dir)
{
	char path[4096];
	struct dirent *e;
	struct stat st;
	unsigned char *buf;
	struct der_list l;
	size_t i, n;
	FILE *f;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			add_tree(c, path);
			continue;
		}
		n = strlen(path);
		if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
			if (strstr(path, "limbo") != NULL)
				add_limbo(c, path);
			continue;
		}
		if (st.st_size > 16 * 1024 * 1024 ||
		    (f = fopen(path, "rb")) == NULL)
			continue;
		buf = malloc(st.st_size + 1);
		n = fread(buf, 1, st.st_size, f);
		fclose(f);
		memset(&l, 0, sizeof(l));
		if (pem_decode(buf, n, &l) == 0)
			for (i = 0; i < l.n; i++)
				der_list_add(&c->ders, l.v[i].der, l.v[i].len);
		der_list_free(&l);
		free(buf);
	}
	closedir(d);
}

static int
blob_cmp(const void *a, const void *b)
{
	const struct der_blob *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->der, y->der, x->len);
}

/* Drop repeated certificates (trust store histories repeat most). */
static void
corpus_unique(struct corpus *c)
{
	size_t i, n = 0;

	if (c->ders.n == 0)
		return;
	qsort(c->ders.v, c->ders.n, sizeof(c->ders.v[0]), blob_cmp);
	for (i = 0; i < c->ders.n; i++) {
		if (n > 0 && blob_cmp(&c->ders.v[n - 1], &c->ders.v[i]) == 0) {
			free(c->ders.v[i].der);
			continue;
		}
		c->ders.v[n++] = c->ders.v[i];
	}
	c->ders.n = n;
}

static void
corpus_free(struct corpus *c)
{
	size_t i;

	der_list_free(&c->ders);
	for (i = 0; i < c->nhosts; i++)
		free(c->hosts[i]);
}

/* Every field cert_parse fills, equal in a and b; the first that is not. */
static const char *
cert_diff(const struct cert *a, const struct cert *b)
{
#define SAME_STR(f) if (((a->f) == NULL) != ((b->f) == NULL) || \
	((a->f) != NULL && strcmp((a->f), (b->f)) != 0)) return #f
#define SAME(f) if ((a->f) != (b->f)) return #f
#define SAME_MEM(f) if (memcmp(&(a->f), &(b->f), sizeof(a->f)) != 0) return #f
	size_t i;

	SAME_STR(serial_hex);
	SAME(not_before);
	SAME(not_after);
	SAME(version);
	SAME(is_ca);
	SAME(pathlen);
	SAME(self_issued);
	SAME(bc_present);
	SAME(ku_present);
	SAME(key_usage);
	SAME(eku_present);
	SAME(eku);
	SAME(precert);
	SAME_STR(unknown_critical);
	SAME_STR(nc_error);
	SAME(nc_unchecked);
	SAME(nc_subtrees);
	SAME(nc_unknown);
	SAME(ski_len);
	SAME_MEM(ski);
	SAME(aki_len);
	SAME_MEM(aki);
	SAME(aki_keyid_only);
	SAME(ext_present);
	SAME(ext_critical);
	SAME(aia_malformed);
	SAME(nca_issuers);
	for (i = 0; i < a->nca_issuers; i++)
		if (strcmp(a->ca_issuers[i], b->ca_issuers[i]) != 0)
			return "ca_issuers";
	SAME(key_algo);
	SAME(key_bits);
	SAME_MEM(key_name);
	SAME(sig_algo);
	SAME_MEM(sig_oid);
	SAME_MEM(sig_name);
	SAME(nscts);
	SAME(earliest_sct);
	SAME(san_hostnames);
	SAME_STR(san_malformed);
	SAME(san_count);
	SAME_STR(short_name);
	SAME(alt_present);
	SAME_STR(alt_error);
	SAME_MEM(alt_sig_oid);
	SAME(alt_sig_algo);
	SAME_MEM(alt_key_name);
	SAME_MEM(spki_sha256);
	SAME_MEM(sha256);
	if (strcmp(cert_subject(a), cert_subject(b)) != 0)
		return "subject";
	if (strcmp(cert_issuer(a), cert_issuer(b)) != 0)
		return "issuer";
	if ((cert_pubkey(a) == NULL) != (cert_pubkey(b) == NULL))
		return "pubkey";
	if (cert_cn_is_in_san(a) != cert_cn_is_in_san(b))
		return "cn_is_in_san";
	return NULL;
#undef SAME_STR
#undef SAME
#undef SAME_MEM
}

/* 1 when GnuTLS imports der as a certificate. */
static int
imports(const unsigned char *der, size_t len)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	int ok;

	if (gnutls_x509_crt_init(&crt) < 0)
		return 0;
	ok = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0;
	gnutls_x509_crt_deinit(crt);
	return ok;
}

/*
 * Parse der both ways and require the same outcome; a lean parse must
 * import into GnuTLS.  Counts lean parses in *lean.
 */
static void
check_same(const unsigned char *der, size_t len, const char *what,
    size_t *lean)
{
	char e1[ERRBUF_LEN] = "", e2[ERRBUF_LEN] = "";
	struct cert *a, *b;
	struct x509der x;
	const char *diff;

	a = cert_parse(der, len, e1, sizeof(e1));
	b = cert_parse_gnutls(der, len, e2, sizeof(e2));
	cr_assert((a == NULL) == (b == NULL), "%s: lean %s, GnuTLS %s", what,
	    a ? "parsed" : e1, b ? "parsed" : e2);
	if (a == NULL) {
		cr_assert_str_eq(e1, e2, "%s: errors differ", what);
		cr_assert(x509der_parse(der, len, &x) < 0 || imports(der, len),
		    "%s: x509der accepts what GnuTLS's import rejects", what);
		return;
	}
	diff = cert_diff(a, b);
	cr_assert(diff == NULL, "%s: field %s differs", what, diff);
	if (a->lean) {
		++*lean;
		cr_assert(cert_crt(a) != NULL, "%s: lean but GnuTLS refuses",
		    what);
	}
	cert_free(a);
	cert_free(b);
}

/* What cert_matches_host and _by_wildcard answered before x509der. */
static int
oracle_match(gnutls_x509_crt_t crt, const char *host)
{
	char bare[256];
	size_t len = strlen(host);

	if (len > 1 && host[len - 1] == '.' && host[len - 2] != '.' &&
	    len <= sizeof(bare)) {
		memcpy(bare, host, len - 1);
		bare[len - 1] = '\0';
		return gnutls_x509_crt_check_hostname2(crt, bare, 0) != 0;
	}
	return gnutls_x509_crt_check_hostname2(crt, host, 0) != 0;
}

static int
oracle_by_wildcard(gnutls_x509_crt_t crt, const char *host)
{
	return oracle_match(crt, host) && gnutls_x509_crt_check_hostname2(crt,
	    host, GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS) == 0;
}

static void
check_host(const struct cert *c, gnutls_x509_crt_t crt, const char *host,
    size_t *checked)
{
	cr_assert_eq(cert_matches_host(c, host), oracle_match(crt, host),
	    "%s vs '%s': matches_host differs from GnuTLS", c->short_name,
	    host);
	cr_assert_eq(cert_matches_host_by_wildcard(c, host),
	    oracle_by_wildcard(crt, host),
	    "%s vs '%s': by_wildcard differs from GnuTLS", c->short_name,
	    host);
	++*checked;
}

/* Hosts made from one name: itself and what a wildcard might cover. */
static void
check_name_variants(const struct cert *c, gnutls_x509_crt_t crt,
    const char *name, size_t *checked)
{
	char buf[600], *p;
	const char *dot;
	size_t i;

	/* Prefixes and suffixes of the name. */
	static const char *const of_name[][2] = { { "", "" }, { "", "." },
	    { "a.", "" }, { "www", "" } };
	/* Prefixes of the name from its first dot on. */
	static const char *const of_parent[] = { "", "www", "a.b",
	    "xn--bcher-kva", "b\xc3\xbc" "cher" };

	for (i = 0; i < sizeof(of_name) / sizeof(of_name[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", of_name[i][0], name,
		    of_name[i][1]);
		check_host(c, crt, buf, checked);
	}
	snprintf(buf, sizeof(buf), "%s", name);
	for (i = 0; buf[i] != '\0'; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	check_host(c, crt, buf, checked);
	if ((dot = strchr(name, '.')) != NULL) {
		check_host(c, crt, dot + 1, checked);
		for (i = 0; i < sizeof(of_parent) / sizeof(of_parent[0]); i++) {
			snprintf(buf, sizeof(buf), "%s%s", of_parent[i], dot);
			check_host(c, crt, buf, checked);
		}
	}
	snprintf(buf, sizeof(buf), "%s", name);
	while ((p = strchr(buf, '*')) != NULL)
		*p = 'w';
	check_host(c, crt, buf, checked);
}

static const char *const fixed_hosts[] = {
	"", ".", "*", "*.", "localhost", "example.com", "www.example.com",
	"127.0.0.1", "::1", "1.2.3.4", "10.0.0.1", "2001:db8::1", "1", "0x7f.1",
	"1.2", "fe80::1%eth0", "-", "a..b", "com", "*.example.com",
};

/* Every name of c, variations of them, and the corpus's hosts. */
static void
check_hosts(const struct cert *c, const struct corpus *cp, size_t *checked)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { c->der, (unsigned)c->der_len };
	char name[600], ip[INET6_ADDRSTRLEN];
	size_t len, i;
	unsigned type;
	int r;

	cr_assert(gnutls_x509_crt_init(&crt) == 0);
	cr_assert(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0);
	/* The first names only: a certificate may have thousands. */
	for (i = 0; i < 8; i++) {
		len = sizeof(name) - 1;
		r = gnutls_x509_crt_get_subject_alt_name(crt, (unsigned)i,
		    name, &len, NULL);
		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE || (r < 0 &&
		    r != GNUTLS_E_SHORT_MEMORY_BUFFER))
			break;
		type = (unsigned)r;
		if (type == GNUTLS_SAN_DNSNAME && strlen(name) == len)
			check_name_variants(c, crt, name, checked);
		if (type == GNUTLS_SAN_IPADDRESS && (len == 4 || len == 16) &&
		    inet_ntop(len == 4 ? AF_INET : AF_INET6, name, ip,
		    sizeof(ip)) != NULL)
			check_host(c, crt, ip, checked);
	}
	len = sizeof(name);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    0, name, &len) == 0)
		check_name_variants(c, crt, name, checked);
	for (i = 0; i < sizeof(fixed_hosts) / sizeof(fixed_hosts[0]); i++)
		check_host(c, crt, fixed_hosts[i], checked);
	for (i = 0; i < cp->nhosts; i += 1 + cp->nhosts / 16)
		check_host(c, crt, cp->hosts[i], checked);
	gnutls_x509_crt_deinit(crt);
}

static void
load_fixtures(struct corpus *c)
{
	memset(c, 0, sizeof(*c));
	add_tree(c, fixture_path("."));
	add_tree(c, fixture_path("../tests/fuzz/seeds"));
	corpus_unique(c);
}

/* ---- unit tests ------------------------------------------------------- */

/* The time s stands for, as a UTCTime (is_utc) or GeneralizedTime. */
static time_t
parsed(const char *s, int is_utc)
{
	time_t t = 1;

	cr_assert(x509der_time((const unsigned char *)s, strlen(s), is_utc,
	    &t) == 0, "%s refused", s);
	return t;
}

#define utc(s)	parsed((s), 1)
#define gen(s)	parsed((s), 0)

static int
refused(const char *s, int is_utc)
{
	time_t t;

	return x509der_time((const unsigned char *)s, strlen(s), is_utc,
	    &t) < 0;
}

Test(x509der, times_as_gnutls_computes_them)
{
	cr_assert_eq(gen("19700101000000Z"), 0);
	cr_assert_eq(gen("20190520133237Z"), 1558359157);
	cr_assert_eq(utc("170101000000Z"), 1483228800);
	cr_assert_eq(utc("491231235959Z"), 2524607999);	/* 2049 */
	cr_assert_eq(utc("700101000001Z"), 1);		/* 1970 */
	cr_assert_eq(gen("20240229120000Z"), 1709208000);
	cr_assert_eq(gen("99991231235959Z"), 253402300799);
	cr_assert(refused("500101000000Z", 1), "1950 is before 1970");
	cr_assert(refused("19691231235959Z", 0));
	cr_assert(refused("20230229000000Z", 0), "no 29 February 2023");
	cr_assert(refused("20230431000000Z", 0));
	cr_assert(refused("20231301000000Z", 0));
	cr_assert(refused("20230101240000Z", 0));
	cr_assert(refused("20230101006000Z", 0));
	cr_assert(refused("20230101000060Z", 0), "no leap seconds");
	cr_assert(refused("2023010100000Z", 0));
	cr_assert(refused("20230101000000", 0), "no Z");
	cr_assert(refused("20230101000000+0100", 0));
	cr_assert(refused("20230101000000.5Z", 0));
	cr_assert(refused("2301010000Z", 1), "seconds are required");
	cr_assert(refused("230101000000Z", 0), "a UTCTime is no "
	    "GeneralizedTime");
	cr_assert(refused("2023-1-01000000Z", 0));
}

/* The good RSA leaf's DER, owned. */
static unsigned char *
good_leaf(size_t *len)
{
	struct der_list l;
	unsigned char *der;

	memset(&l, 0, sizeof(l));
	fixture_decode("chains/good-rsa.pem", &l);
	cr_assert(l.n >= 1);
	*len = l.v[0].len;
	der = malloc(*len + 1);
	memcpy(der, l.v[0].der, *len);
	der_list_free(&l);
	return der;
}

/* Where the byte sequence pat starts in der, or NULL. */
static unsigned char *
find(unsigned char *der, size_t len, const char *pat, size_t plen)
{
	size_t i;

	for (i = 0; i + plen <= len; i++)
		if (memcmp(der + i, pat, plen) == 0)
			return der + i;
	return NULL;
}

Test(x509der, reads_a_usual_leaf)
{
	size_t len;
	unsigned char *der = good_leaf(&len);
	struct x509der x;
	const unsigned char *p;
	size_t left, vlen;
	unsigned tag, ndns = 0;
	const unsigned char *v;
	struct cert *c;
	char err[ERRBUF_LEN];

	cr_assert(x509der_parse(der, len, &x) == 0);
	cr_assert_eq(x.version, 3);
	cr_assert_str_eq(x.sig_oid, "1.2.840.113549.1.1.11");
	cr_assert(x.serial_len > 0 && x.san != NULL);
	p = x.san;
	left = x.san_len;
	while (x509der_san_next(&p, &left, &tag, &v, &vlen))
		ndns += tag == 2;
	cr_assert(ndns > 0);
	c = cert_parse(der, len, err, sizeof(err));
	cr_assert(c != NULL && c->lean && c->crt == NULL,
	    "a usual leaf is read without a GnuTLS certificate");
	cr_assert(cert_pubkey(c) != NULL);
	cr_assert(c->crt == NULL, "the key comes from the SPKI bytes");
	cert_shed(c);
	cr_assert(cert_crt(c) == NULL && !cert_matches_host(c, "localhost"),
	    "nothing is at hand after cert_shed");
	cert_free(c);
	free(der);
}

Test(x509der, gate_refuses_what_it_does_not_read)
{
	size_t len;
	unsigned char *der = good_leaf(&len), *p, *copy;
	struct x509der x;

	copy = malloc(len + 1);
	/* Trailing data after the certificate. */
	memcpy(copy, der, len);
	copy[len] = 0;
	cr_assert(x509der_parse(copy, len + 1, &x) < 0);
	/* Version 2 (left to GnuTLS). */
	memcpy(copy, der, len);
	p = find(copy, len, "\xa0\x03\x02\x01\x02", 5);
	cr_assert(p != NULL);
	p[4] = 1;
	cr_assert(x509der_parse(copy, len, &x) < 0);
	/* Inner and outer signature algorithms that differ. */
	memcpy(copy, der, len);
	p = find(copy + len - 300, 300, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b",
	    9);
	cr_assert(p != NULL);
	p[8] = 0x0c;
	cr_assert(x509der_parse(copy, len, &x) < 0);
	/* A truncated one. */
	cr_assert(x509der_parse(der, len - 1, &x) < 0);
	cr_assert(x509der_parse(der, 0, &x) < 0);
	free(copy);
	free(der);
}

Test(x509der, non_minimal_lengths_are_not_der)
{
	/* SEQUENCE of one NULL, its length in two octets: BER, not DER. */
	static const unsigned char ber[] = { 0x30, 0x81, 0x02, 0x05, 0x00 };
	struct x509der x;

	cr_assert(x509der_parse(ber, sizeof(ber), &x) < 0);
}

static int
bc(const char *der, size_t len, int *ca, int *pathlen)
{
	return x509der_basic_constraints((const unsigned char *)der, len, ca,
	    pathlen);
}

Test(x509der, basic_constraints_in_der_forms)
{
	int ca = -5, pl = -5;

	cr_assert(bc("\x30\x00", 2, &ca, &pl) == 0 && ca == 0 && pl == -1);
	cr_assert(bc("\x30\x03\x01\x01\xff", 5, &ca, &pl) == 0 && ca == 1 &&
	    pl == -1);
	cr_assert(bc("\x30\x06\x01\x01\xff\x02\x01\x00", 8, &ca, &pl) == 0 &&
	    ca == 1 && pl == 0);
	cr_assert(bc("\x30\x06\x01\x01\xff\x02\x01\x7f", 8, &ca, &pl) == 0 &&
	    pl == 127);
	/* Left to GnuTLS: explicit FALSE, big or negative pathLen, junk. */
	cr_assert(bc("\x30\x03\x01\x01\x00", 5, &ca, &pl) < 0);
	cr_assert(bc("\x30\x07\x01\x01\xff\x02\x02\x00\x80", 9, &ca, &pl) < 0);
	cr_assert(bc("\x30\x06\x01\x01\xff\x02\x01\x80", 8, &ca, &pl) < 0);
	cr_assert(bc("\x30\x03\x01\x01\xff\x00", 6, &ca, &pl) < 0);
	cr_assert(bc("\x04\x00", 2, &ca, &pl) < 0);
}

static void
eku_collect(const char *oid, void *arg)
{
	char *buf = arg;

	strcat(buf, oid);
	strcat(buf, ";");
}

Test(x509der, eku_purposes_in_order)
{
	/* serverAuth, clientAuth */
	static const unsigned char two[] = { 0x30, 0x14,
	    0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
	    0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
	static const unsigned char padded[] = { 0x30, 0x03,
	    0x06, 0x01, 0x80 };	/* a non-minimal arc */
	char buf[256] = "";

	cr_assert(x509der_eku(two, sizeof(two), eku_collect, buf) == 0);
	cr_assert_str_eq(buf, "1.3.6.1.5.5.7.3.1;1.3.6.1.5.5.7.3.2;");
	buf[0] = '\0';
	cr_assert(x509der_eku(padded, sizeof(padded), eku_collect, buf) < 0);
	cr_assert(x509der_eku((const unsigned char *)"\x30\x00", 2,
	    eku_collect, buf) < 0, "an empty one is left to GnuTLS");
	cr_assert_str_eq(buf, "", "nothing is reported before all is checked");
}

static int
aia_collect(int ca_issuers, const unsigned char *uri, size_t len, void *arg)
{
	char *buf = arg;

	sprintf(buf + strlen(buf), "%d:%.*s;", ca_issuers, (int)len,
	    (const char *)uri);
	return 0;
}

Test(x509der, aia_uris_in_order)
{
	/* ocsp http://o, caIssuers http://c */
	static const unsigned char aia[] = { 0x30, 0x24,
	    0x30, 0x10, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30,
	    0x01, 0x86, 0x04, 'h', 't', ':', 'o',
	    0x30, 0x10, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30,
	    0x02, 0x86, 0x04, 'h', 't', ':', 'c' };
	unsigned char dns[sizeof(aia)];
	char buf[256] = "";

	cr_assert(x509der_aia(aia, sizeof(aia), aia_collect, buf) == 0);
	cr_assert_str_eq(buf, "0:ht:o;1:ht:c;");
	memcpy(dns, aia, sizeof(aia));
	dns[sizeof(dns) - 6] = 0x82;	/* a dNSName: left to GnuTLS */
	buf[0] = '\0';
	cr_assert(x509der_aia(dns, sizeof(dns), aia_collect, buf) < 0);
	cr_assert_str_eq(buf, "");
}

/*
 * The extension readers below are held to GnuTLS's own decoders on every
 * encoding: whatever the lean reader accepts GnuTLS must decode to the
 * same value.  Each helper returns 1 when read lean, 0 when left to
 * GnuTLS.
 */
static int
ski_as_gnutls(const unsigned char *v, size_t len)
{
	gnutls_datum_t d = { (unsigned char *)v, (unsigned)len }, id;
	const unsigned char *lid;
	size_t llen;

	if (x509der_ski(v, len, &lid, &llen) < 0)
		return 0;
	cr_assert(gnutls_x509_ext_import_subject_key_id(&d, &id) == 0,
	    "lean SKI that GnuTLS rejects");
	cr_assert(id.size == llen && memcmp(id.data, lid, llen) == 0,
	    "SKI differs from GnuTLS's");
	gnutls_free(id.data);
	return 1;
}

Test(x509der, ski_as_gnutls_reads_it)
{
	unsigned char big[3 + 200] = { 0x04, 0x81, 200 };

	memset(big + 3, 0xab, 200);
	cr_assert(ski_as_gnutls((const unsigned char *)"\x04\x01\x7f", 3));
	cr_assert(ski_as_gnutls((const unsigned char *)
	    "\x04\x04\x00\x01\x02\x03", 6));
	cr_assert(ski_as_gnutls(big, sizeof(big)));
	/* Left to GnuTLS: empty, constructed, BER length, trailing junk. */
	cr_assert(!ski_as_gnutls((const unsigned char *)"\x04\x00", 2));
	cr_assert(!ski_as_gnutls((const unsigned char *)
	    "\x24\x03\x04\x01\x01", 5));
	cr_assert(!ski_as_gnutls((const unsigned char *)"\x04\x81\x01\x01",
	    4));
	cr_assert(!ski_as_gnutls((const unsigned char *)"\x04\x01\x01\x00",
	    4));
	cr_assert(!ski_as_gnutls((const unsigned char *)"\x03\x02\x00\x01",
	    4));
}

static int
ku_as_gnutls(const unsigned char *v, size_t len)
{
	gnutls_datum_t d = { (unsigned char *)v, (unsigned)len };
	unsigned lean, g;

	if (x509der_key_usage(v, len, &lean) < 0)
		return 0;
	cr_assert(gnutls_x509_ext_import_key_usage(&d, &g) == 0,
	    "lean keyUsage that GnuTLS rejects");
	cr_assert_eq(lean, g, "keyUsage %#x, GnuTLS %#x", lean, g);
	return 1;
}

Test(x509der, key_usage_as_gnutls_reads_it)
{
	unsigned char v[5] = { 0x03, 0x03 };
	unsigned ku = 0;
	int u, a, b, lean = 0;

	cr_assert(x509der_key_usage((const unsigned char *)"\x03\x02\x05\xa0",
	    4, &ku) == 0 && ku == 0xa0, "digitalSignature|keyEncipherment");
	cr_assert(x509der_key_usage((const unsigned char *)
	    "\x03\x03\x07\x00\x80", 5, &ku) == 0 && ku == 0x8000,
	    "decipherOnly in the second octet");
	/* Every one- and two-octet value and unused-bits count. */
	for (u = 0; u < 9; u++)
		for (a = 0; a < 256; a += 5) {
			v[1] = 2;
			v[2] = (unsigned char)u;
			v[3] = (unsigned char)a;
			lean += ku_as_gnutls(v, 4);
			for (b = 0; b < 256; b += 17) {
				v[1] = 3;
				v[4] = (unsigned char)b;
				lean += ku_as_gnutls(v, 5);
			}
		}
	cr_assert(lean > 300, "only %d read lean", lean);
	/* Left to GnuTLS: no octets, three, constructed, BER, junk. */
	cr_assert(!ku_as_gnutls((const unsigned char *)"\x03\x01\x00", 3));
	cr_assert(!ku_as_gnutls((const unsigned char *)
	    "\x03\x04\x00\x80\x00\x01", 6));
	cr_assert(!ku_as_gnutls((const unsigned char *)
	    "\x23\x04\x03\x02\x00\x80", 6));
	cr_assert(!ku_as_gnutls((const unsigned char *)
	    "\x03\x81\x02\x00\x80", 5));
	cr_assert(!ku_as_gnutls((const unsigned char *)"\x03\x02\x00\x80\x00",
	    5));
}

/* An SCT of RFC 6962's v1 form with the fields given. */
static size_t
sct_make(unsigned char *s, int version, unsigned long long ms, int hash,
    int sig, size_t siglen)
{
	size_t n = 0;
	int i;

	s[n++] = (unsigned char)version;
	memset(s + n, 0x5a, 32);
	n += 32;
	for (i = 7; i >= 0; i--)
		s[n++] = (unsigned char)(ms >> (8 * i));
	s[n++] = 0;
	s[n++] = 0;
	s[n++] = (unsigned char)hash;
	s[n++] = (unsigned char)sig;
	s[n++] = (unsigned char)(siglen >> 8);
	s[n++] = (unsigned char)siglen;
	memset(s + n, 0x30, siglen);
	return n + siglen;
}

/* The extension value of a list of the SCTs in body (each length-led). */
static size_t
sct_list(unsigned char *out, const unsigned char *body, size_t len)
{
	size_t n = 0;

	out[n++] = 0x04;
	if (len + 2 < 0x80)
		out[n++] = (unsigned char)(len + 2);
	else if (len + 2 < 0x100) {
		out[n++] = 0x81;
		out[n++] = (unsigned char)(len + 2);
	} else {
		out[n++] = 0x82;
		out[n++] = (unsigned char)((len + 2) >> 8);
		out[n++] = (unsigned char)(len + 2);
	}
	out[n++] = (unsigned char)(len >> 8);
	out[n++] = (unsigned char)len;
	memcpy(out + n, body, len);
	return n + len;
}

/* Append one length-led SCT to body at *len. */
static void
sct_add(unsigned char *body, size_t *len, int version, unsigned long long ms,
    int hash, int sig, size_t siglen)
{
	size_t n = sct_make(body + *len + 2, version, ms, hash, sig, siglen);

	body[*len] = (unsigned char)(n >> 8);
	body[*len + 1] = (unsigned char)n;
	*len += 2 + n;
}

static int
scts_as_gnutls(const unsigned char *v, size_t len, unsigned *count)
{
	gnutls_datum_t d = { (unsigned char *)v, (unsigned)len }, logid, sig;
	gnutls_x509_ct_scts_t scts;
	gnutls_sign_algorithm_t alg;
	time_t ts, first = 0, lfirst;
	unsigned n, i;

	if (x509der_scts(v, len, &n, &lfirst) < 0)
		return 0;
	cr_assert(gnutls_x509_ext_ct_scts_init(&scts) == 0);
	cr_assert(gnutls_x509_ext_ct_import_scts(&d, scts, 0) == 0,
	    "lean SCT list that GnuTLS rejects");
	for (i = 0; gnutls_x509_ct_sct_get(scts, i, &ts, &logid, &alg,
	    &sig) == 0; i++) {
		if (i == 0 || ts < first)
			first = ts;
		gnutls_free(logid.data);
		gnutls_free(sig.data);
	}
	gnutls_x509_ext_ct_scts_deinit(scts);
	cr_assert_eq(n, i, "%u SCTs, GnuTLS %u", n, i);
	cr_assert_eq(lfirst, first, "earliest %lld, GnuTLS %lld",
	    (long long)lfirst, (long long)first);
	*count = n;
	return 1;
}

Test(x509der, scts_as_gnutls_reads_them)
{
	unsigned char body[1024], ext[1100], bad[1100];
	size_t len = 0, n, i;
	unsigned count = 0;
	time_t first;

	sct_add(body, &len, 0, 1700000000123ULL, 4, 3, 71);
	sct_add(body, &len, 0, 1600000000999ULL, 4, 1, 256);
	sct_add(body, &len, 0, 1650000000000ULL, 4, 3, 1);
	n = sct_list(ext, body, len);
	cr_assert(x509der_scts(ext, n, &count, &first) == 0 && count == 3 &&
	    first == 1600000000, "three SCTs, the second earliest");
	cr_assert(scts_as_gnutls(ext, n, &count) && count == 3);
	len = 0;
	sct_add(body, &len, 0, 0xffffffffffffffffULL, 4, 1, 1);
	n = sct_list(ext, body, len);
	cr_assert(scts_as_gnutls(ext, n, &count) && count == 1,
	    "the largest timestamp");
	/* The string's length padded to one and two octets, as GnuTLS
	 * reads it; three, or a length that is not the rest, are left to
	 * GnuTLS. */
	for (i = 1; i <= 3; i++) {
		bad[0] = 0x04;
		bad[1] = (unsigned char)(0x80 | i);
		memset(bad + 2, 0, i);
		bad[1 + i] = (unsigned char)(n - 2);
		memcpy(bad + 2 + i, ext + 2, n - 2);
		cr_assert(scts_as_gnutls(bad, n + i, &count) == (i < 3));
		bad[1 + i]--;
		cr_assert(!scts_as_gnutls(bad, n + i, &count));
	}

	/* Left to GnuTLS: each field outside the usual form. */
#define LEFT(ver, hash, sig, siglen) do {				\
	len = 0;							\
	sct_add(body, &len, 0, 1600000000000ULL, 4, 3, 70);		\
	sct_add(body, &len, (ver), 1600000000000ULL, (hash), (sig),	\
	    (siglen));							\
	n = sct_list(ext, body, len);					\
	cr_assert(!scts_as_gnutls(ext, n, &count),			\
	    "v%d hash %d sig %d siglen %d", (ver), (hash), (sig),	\
	    (int)(siglen));						\
} while (0)
	LEFT(1, 4, 3, 70);
	LEFT(0, 4, 0, 70);
	LEFT(0, 2, 1, 70);
	LEFT(0, 5, 3, 70);
	LEFT(0, 8, 4, 70);
	LEFT(0, 4, 2, 70);
	LEFT(0, 4, 3, 0);
#undef LEFT
	/* A valid list, then every single-octet change and every cut. */
	len = 0;
	sct_add(body, &len, 0, 1600000000000ULL, 4, 3, 20);
	sct_add(body, &len, 0, 1500000000000ULL, 4, 1, 20);
	n = sct_list(ext, body, len);
	for (i = 0; i < n; i++) {
		memcpy(bad, ext, n);
		bad[i] ^= 0x01;
		scts_as_gnutls(bad, n, &count);
		bad[i] = 0xff;
		scts_as_gnutls(bad, n, &count);
		scts_as_gnutls(ext, i, &count);
	}
	/* Extensions, trailing octets, an empty list: GnuTLS's to read. */
	memcpy(bad, ext, n);
	bad[n - len + 2 + 1 + 32 + 8 + 1] = 1;	/* the first's extensions */
	cr_assert(x509der_scts(ext, n, &count, &first) == 0 && count == 2 &&
	    first == 1500000000);
	cr_assert(!scts_as_gnutls(bad, n, &count));
	memcpy(bad, ext, n);
	bad[n] = 0;
	cr_assert(!scts_as_gnutls(bad, n + 1, &count));
	cr_assert(!scts_as_gnutls((const unsigned char *)"\x04\x02\x00\x00",
	    4, &count));
}

/* ---- differential tests ----------------------------------------------- */

Test(x509der, fixtures_parse_as_gnutls_parses_them, .timeout = 120)
{
	struct corpus c;
	size_t i, lean = 0;
	char what[64];

	load_fixtures(&c);
	cr_assert(c.ders.n > 20, "fixtures found: %zu", c.ders.n);
	for (i = 0; i < c.ders.n; i++) {
		snprintf(what, sizeof(what), "fixture certificate %zu", i);
		check_same(c.ders.v[i].der, c.ders.v[i].len, what, &lean);
	}
	cr_assert(lean * 2 > c.ders.n, "only %zu of %zu read lean", lean,
	    c.ders.n);
	corpus_free(&c);
}

/*
 * Mutants of every fixture: flipped bytes, bytes set to 0x00, 0x80 or
 * 0xff, and cut ends.  Whatever x509der accepts GnuTLS must accept and
 * read the same; whatever GnuTLS rejects must be rejected with the same
 * reason.
 */
Test(x509der, mutants_parse_as_gnutls_parses_them, .timeout = 300)
{
	static const unsigned char vals[] = { 0x00, 0x80, 0xff, 0x01, 0x7f };
	struct corpus c;
	size_t i, k, pos, lean = 0, n = 0;
	unsigned long seed = 12345;
	unsigned char *m;
	char what[96];

	load_fixtures(&c);
	for (i = 0; i < c.ders.n; i++) {
		m = malloc(c.ders.v[i].len);
		for (k = 0; k < 150; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			memcpy(m, c.ders.v[i].der, c.ders.v[i].len);
			pos = (seed >> 33) % c.ders.v[i].len;
			if (k % 3 == 0)
				m[pos] ^= (unsigned char)(1u << (seed >> 20 & 7));
			else
				m[pos] = vals[(seed >> 24) % sizeof(vals)];
			snprintf(what, sizeof(what), "fixture %zu mutant %zu "
			    "(byte %zu)", i, k, pos);
			check_same(m, k % 10 == 9 ? pos + 1 : c.ders.v[i].len,
			    what, &lean);
			n++;
		}
		free(m);
	}
	cr_log_info("%zu mutants, %zu read lean", n, lean);
	cr_assert(lean > 0);
	corpus_free(&c);
}

Test(x509der, shared_data_parses_as_gnutls_parses_it, .timeout = 300)
{
	struct corpus c;
	const char *dir = shared_dir();
	char path[4096], what[64];
	size_t i, lean = 0, checked = 0;
	struct cert *crt;
	char err[ERRBUF_LEN];

	if (dir == NULL)
		cr_skip_test("../shared/data not present: the real-world "
		    "differential is skipped");
	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/data", dir);
	add_tree(&c, path);
	corpus_unique(&c);
	cr_assert(c.ders.n > 100, "shared certificates: %zu", c.ders.n);
	for (i = 0; i < c.ders.n; i++) {
		snprintf(what, sizeof(what), "shared certificate %zu", i);
		check_same(c.ders.v[i].der, c.ders.v[i].len, what, &lean);
		crt = cert_parse(c.ders.v[i].der, c.ders.v[i].len, err,
		    sizeof(err));
		/* Leaves, and a sample of the many CA certificates. */
		if (crt != NULL && crt->lean && (!crt->is_ca || i % 16 == 0))
			check_hosts(crt, &c, &checked);
		cert_free(crt);
	}
	cr_log_info("%zu shared certificates, %zu lean, %zu hostname checks",
	    c.ders.n, lean, checked);
	corpus_free(&c);
}

Test(x509der, fixture_hostnames_match_as_gnutls_matches_them)
{
	struct corpus c;
	size_t i, checked = 0;
	struct cert *crt;
	char err[ERRBUF_LEN];

	load_fixtures(&c);
	for (i = 0; i < c.ders.n; i++) {
		crt = cert_parse(c.ders.v[i].der, c.ders.v[i].len, err,
		    sizeof(err));
		if (crt != NULL && crt->lean)
			check_hosts(crt, &c, &checked);
		cert_free(crt);
	}
	cr_assert(checked > 100, "hostname checks: %zu", checked);
	corpus_free(&c);
}

/*
 * asn1_oid_read formats common OIDs itself and leaves the rest to
 * libtasn1: both must give the same text for every encoding, short
 * buffers, non-minimal and truncated sub-identifiers and huge arcs
 * included.  Random contents plus the edges, each against libtasn1.
 */
Test(x509der, oid_text_as_libtasn1_formats_it)
{
	static const unsigned char edges[][12] = {
		{ 1, 0x00 }, { 1, 0x27 }, { 1, 0x28 }, { 1, 0x4f }, { 1, 0x50 },
		{ 2, 0x88, 0x37 }, { 3, 0x55, 0x1d, 0x13 }, { 2, 0x55, 0x80 },
		{ 3, 0x55, 0x80, 0x01 }, { 2, 0x80, 0x01 }, { 2, 0x55, 0x81 },
		{ 6, 0x2a, 0x8f, 0xff, 0xff, 0xff, 0x7f },
		{ 7, 0x2a, 0x90, 0x80, 0x80, 0x80, 0x80, 0x00 },
		{ 11, 0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0x7f },
		{ 10, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04,
		    0x02 },
	};
	unsigned char der[2 + 127];
	char mine[128], theirs[128];
	size_t i, n, sizes[] = { 128, 8, 4, 2 };
	struct asn1_tlv t;
	unsigned seed = 16;
	int rm, rt, ret_len;

	for (i = 0; i < 20000 + sizeof(edges) / sizeof(edges[0]); i++) {
		if (i < sizeof(edges) / sizeof(edges[0])) {
			n = edges[i][0];
			memcpy(der + 2, edges[i] + 1, n);
		} else {
			n = 1 + rand_r(&seed) % 12;
			for (size_t k = 0; k < n; k++)
				der[2 + k] = (unsigned char)(rand_r(&seed) % 3 ?
				    rand_r(&seed) % 128 : rand_r(&seed) % 256);
		}
		der[0] = 0x06;
		der[1] = (unsigned char)n;
		cr_assert_eq(asn1_tlv_read(der, n + 2, &t), 0);
		size_t sz = sizes[i % 4];
		memset(mine, 'x', sizeof(mine));
		memset(theirs, 'x', sizeof(theirs));
		rm = asn1_oid_read(&t, mine, sz);
		rt = asn1_get_object_id_der(der + 1, (int)n + 1, &ret_len,
		    theirs, (int)sz) == ASN1_SUCCESS ? 0 : -1;
		cr_expect_eq(rm, rt, "case %zu", i);
		if (rm == 0 && rt == 0)
			cr_expect_str_eq(mine, theirs, "case %zu (%zu bytes)", i,
			    sz);
	}
}
