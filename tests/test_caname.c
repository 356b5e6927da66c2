/*
 * test_caname.c: one name per CA: ca_name on DNs as GnuTLS writes them,
 * and the same name in a database scan's results table, its --summary
 * and the HTML report's chart and table, with a CA name too long for
 * one line of the chart wrapped rather than cut off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <sqlite3.h>

#include "caname.h"
#include "certkit.h"
#include "testlib.h"

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

static char tmpdir[64];

static void
make_tmpdir(void)
{
	tmpdir_make(tmpdir, sizeof(tmpdir), "caname");
}

static void
remove_tmpdir(void)
{
	tmpdir_remove(tmpdir);
}

TestSuite(caname, .init = make_tmpdir, .fini = remove_tmpdir,
    .timeout = 60);

static void
expect_name(const char *dn, const char *want)
{
	char buf[CA_NAME_LEN];

	cr_expect_str_eq(ca_name(dn, buf, sizeof(buf)), want, "%s", dn);
}

Test(caname, names_from_the_dn)
{
	char dn[2048], buf[64];
	size_t i, n;

	expect_name("CN=R3,O=Let's Encrypt,C=US", "R3 (Let's Encrypt)");
	expect_name("CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,"
	    "O=DigiCert Inc,C=US", "DigiCert Global G2 TLS RSA SHA256 2020 "
	    "CA1 (DigiCert Inc)");
	/* The CN says the organisation already. */
	expect_name("CN=Amazon RSA 2048 M01,O=Amazon,C=US",
	    "Amazon RSA 2048 M01");
	expect_name("C=US,O=Foo\\, Inc.,OU=Bar", "Foo, Inc.");
	expect_name("CN=a\\2Cb\\+c", "a,b+c");
	expect_name("cn=lower,o=case", "lower (case)");
	expect_name("C=US,ST=Nowhere", "C=US,ST=Nowhere");
	expect_name("", "");
	expect_name(NULL, "?");
	/* Cut at a character boundary, never inside one. */
	n = (size_t)snprintf(dn, sizeof(dn), "CN=");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(dn + n, sizeof(dn) - n, "\xc3\xa9");
	ca_name(dn, buf, sizeof(buf));
	cr_expect_lt(strlen(buf), sizeof(buf));
	cr_expect_str_eq(buf + strlen(buf) - 3, "...");
	cr_expect_eq(strlen(buf) % 2, 1, "a split character: %s", buf);
}

/* The PEM of the certificate s describes, written to path. */
static void
write_pem(const char *path, const struct certkit *s)
{
	struct der_blob b = certkit_der(s);
	gnutls_datum_t der = { b.der, (unsigned)b.len }, pem = { NULL, 0 };
	FILE *fp;

	cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der, &pem), 0);
	cr_assert_not_null(fp = fopen(path, "w"));
	fwrite(pem.data, 1, pem.size, fp);
	fclose(fp);
	gnutls_free(pem.data);
	free(b.der);
}

/* The text between the first from (after it) and the next to; owned. */
static char *
between(const char *s, const char *from, const char *to)
{
	const char *a = strstr(s, from), *b;

	cr_assert_not_null(a, "no %s", from);
	a += strlen(from);
	cr_assert_not_null(b = strstr(a, to), "no %s after %s", to, from);
	return strndup(a, (size_t)(b - a));
}

/* s without its spaces, in place. */
static char *
squeeze(char *s)
{
	char *d = s, *p;

	for (p = s; *p != '\0'; p++)
		if (*p != ' ')
			*d++ = *p;
	*d = '\0';
	return s;
}

Test(caname, one_name_in_results_summary_and_html_chart)
{
	static const char ca_cn[] = "Very Long Intermediate Certification "
	    "Authority For Wrapping G2 "
	    "SupercalifragilisticexpialidociousUnbrokenIssuerWord";
	static const char ca_org[] = "Example Trust Services GmbH";
	struct certkit s;
	struct run_result r;
	char pem[256], db[256], html[256], want[1024], sql[1200], *page;
	char *chart, *title, *p, *q, joined[1024], *rows, *svg, err[256];
	unsigned char *buf;
	size_t lines = 0, len;
	sqlite3 *h;
	sqlite3_stmt *st;
	int height;

	memset(&s, 0, sizeof(s));
	s.cn = "www.example.test";
	s.dns[0] = "www.example.test";
	s.issuer_cn = ca_cn;
	s.issuer_org = ca_org;
	s.issuer_key = certkit_key(CERTKIT_P256, 1);
	snprintf(pem, sizeof(pem), "%s/leaf.pem", tmpdir);
	snprintf(db, sizeof(db), "%s/d.db", tmpdir);
	snprintf(html, sizeof(html), "%s/r.html", tmpdir);
	write_pem(pem, &s);
	snprintf(want, sizeof(want), "%s (%s)", ca_cn, ca_org);

	/* Two rows of the same domain and chain. */
	cr_assert_eq(file_read_all(pem, &buf, &len, err, sizeof(err)), 0,
	    "%s", err);
	h = db_open_rw(db);
	db_exec(h, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)");
	cr_assert_eq(sqlite3_prepare_v2(h, "INSERT INTO chainaudit_domains "
	    "(domain, chain_pem) VALUES ('www.example.test', ?1), "
	    "('www.example.test', ?1)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, (const char *)buf, (int)len, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(buf);
	snprintf(sql, sizeof(sql), "html:%s", html);
	run_chainaudit(&r, ARGS("--db", db, "--no-system-ca", "--at",
	    "2016-03-01T00:00:00Z", "-q", "--report", sql), NULL);
	cr_expect_eq(r.status, 1, "%s", r.err);
	run_result_free(&r);

	/* The results table. */
	rows = db_dump(db, "SELECT DISTINCT issuer FROM chainaudit_results");
	snprintf(sql, sizeof(sql), "%s\n", want);
	cr_expect_str_eq(rows, sql);
	free(rows);

	/* --summary, which groups the rows by it. */
	run_chainaudit(&r, ARGS("--db", db, "--summary"), NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	snprintf(sql, sizeof(sql), "         2        2        0  %s\n", want);
	cr_expect(strstr(r.out, sql) != NULL, "%s", r.out);
	run_result_free(&r);

	/* The HTML table's issuer, and the chart: wrapped, whole. */
	cr_assert_eq(file_read_all(html, &buf, &len, err, sizeof(err)), 0,
	    "%s", err);
	page = (char *)buf;
	snprintf(sql, sizeof(sql), "data-issuer=\"%s\"", want);
	cr_expect(strstr(page, sql) != NULL, "no %s", sql);
	chart = between(page, "<figure id=\"chart-cas\">", "</figure>");
	title = between(chart, "<title>", "</title>");
	cr_expect_str_eq(title, want);
	joined[0] = '\0';
	for (p = chart; (p = strstr(p, "<tspan")) != NULL; p = q) {
		p = strchr(p, '>') + 1;
		cr_assert_not_null(q = strstr(p, "</tspan>"));
		cr_expect_leq(q - p, 30, "a line of %d characters: %.*s",
		    (int)(q - p), (int)(q - p), p);
		strncat(joined, p, (size_t)(q - p));
		lines++;
	}
	cr_expect_geq(lines, 4, "%s", chart);
	cr_expect_str_eq(squeeze(joined), squeeze(title));
	svg = between(chart, "height=\"", "\"");
	height = atoi(svg);
	cr_expect_geq(height, (int)lines * 14 + 8, "%s", chart);
	free(svg);
	free(title);
	free(chart);
	free(page);
}
