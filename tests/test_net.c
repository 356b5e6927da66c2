/*
 * test_net.c: live targets (their parsing is test_net_target.c's): the
 * built program against real servers on 127.0.0.1 started here: openssl
 * s_server with fixture chains, an SMTP STARTTLS peer, and hostile
 * peers (silent, garbage, an alert, a huge handshake, a trickle, a
 * closed port; a certificate that does not parse, a 1 MB certificate
 * list, a stall after ServerHello, STARTTLS refused or answered with
 * junk).  Every server is stopped by the .fini, failed test or not.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "certkit.h"
#include "net.h"
#include "report.h"
#include "servers.h"
#include "testlib.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define MAX_ARGS	64

/* ---- live runs -------------------------------------------------------- */

/*
 * Run the program with the fixture roots trusted, the clock pinned, JSON
 * out, then the extra arguments (NULL-terminated); stdin_data may be
 * NULL.  Returns the parsed report (caller frees).
 */
static struct json_object *
live_run(struct run_result *r, const char *const *extra,
    const char *stdin_data)
{
	const char	*argv[MAX_ARGS];
	char		*roots[2];
	struct json_object *root;
	size_t		 n = 0, i;

	roots[0] = strdup(fixture_path("ca/root-rsa.pem"));
	roots[1] = strdup(fixture_path("ca/root-ec.pem"));
	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = roots[0];
	argv[n++] = "--ca-file";
	argv[n++] = roots[1];
	argv[n++] = "--at";
	argv[n++] = AT_2016;
	argv[n++] = "--format";
	argv[n++] = "json";
	for (i = 0; extra[i] != NULL && n + 1 < MAX_ARGS; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run_chainaudit(r, argv, stdin_data);
	free(roots[0]);
	free(roots[1]);
	root = run_json(r);
	return root;
}

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *
jobj(struct json_object *o, const char *key)
{
	struct json_object	*v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return v;
}

static size_t
ntargets(struct json_object *root)
{
	return json_object_array_length(jobj(root, "targets"));
}

/* The target whose source is exactly source; asserts it is there. */
static struct json_object *
target(struct json_object *root, const char *source, const char *out)
{
	struct json_object	*ts = jobj(root, "targets"), *t;
	size_t			 i;

	for (i = 0; i < json_object_array_length(ts); i++) {
		t = json_object_array_get_idx(ts, i);
		if (strcmp(jstr(t, "source"), source) == 0)
			return t;
	}
	cr_assert_fail("no target '%s' in:\n%s", source, out);
	return NULL;
}

static int
npresented(struct json_object *t)
{
	struct json_object	*cs = jobj(t, "certificates"), *c, *pi;
	size_t			 i;
	int			 n = 0;

	for (i = 0; i < json_object_array_length(cs); i++) {
		c = json_object_array_get_idx(cs, i);
		pi = jobj(c, "presented_index");
		if (!json_object_is_type(pi, json_type_null))
			n++;
	}
	return n;
}

/* Audit one openssl s_server; expect codes, exit status, chain length. */
static void
serve_and_audit(const char *cert, const char *key, const char *chain,
    const char *codes, int status, int nsent)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t, *tls;
	char			 tgt[64], conn[64], got[512], src[64];

	s = server_openssl(cert, key, chain, NULL, NULL, NULL);
	/* A name, reached through --connect: SNI and hostname check. */
	snprintf(tgt, sizeof(tgt), "good.example.test:%d", s->port);
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--connect", conn, tgt,
	    NULL }, NULL);
	t = target(root, tgt, r.out);
	json_finding_codes(t, got, sizeof(got));
	cr_expect_str_eq(got, codes, "%s: findings [%s], expected [%s]",
	    cert, got, codes);
	cr_expect_eq(r.status, status, "%s: exit %d; stderr %s", cert,
	    r.status, r.err);
	cr_expect_eq(npresented(t), nsent, "%s: %d sent", cert, npresented(t));
	tls = jobj(t, "tls");
	cr_expect_str_eq(jstr(tls, "address"), conn);
	cr_expect_str_eq(jstr(tls, "sni"), "good.example.test");
	cr_expect_str_eq(jstr(tls, "target"), tgt);
	cr_expect_not_null(jstr(tls, "protocol"));
	cr_expect_not_null(jstr(tls, "cipher_suite"));
	cr_expect_str_eq(jstr(t, "host"), "good.example.test");
	snprintf(src, sizeof(src), "%s", jstr(t, "source"));
	cr_expect_str_eq(src, tgt);
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
}

TestSuite(live, .fini = servers_stop_all, .timeout = 60);

Test(live, good_chain)
{
	serve_and_audit("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", "ocsp-absent", 0, 2);
}

Test(live, sha1_intermediate)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t;
	char			 tgt[64], got[256];

	/* The SHA-1 re-issue of the intermediate is all the server sends. */
	s = server_openssl("chains/sha1-int.pem", "keys/leaf-sha1int.key",
	    "ca/int-rsa-sha1.pem", NULL, NULL, NULL);
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--sni",
	    "sha1int.example.test", tgt, NULL }, NULL);
	t = target(root, tgt, r.out);
	json_finding_codes(t, got, sizeof(got));
	/* The stronger copy is found in no pool: only SHA-1 vouches. */
	cr_expect(strstr(got, "sha1-only-link") != NULL, "findings [%s]",
	    got);
	cr_expect_eq(r.status, 1, "exit %d; %s", r.status, r.err);
	cr_expect_str_eq(jstr(jobj(t, "tls"), "sni"), "sha1int.example.test");
	json_object_put(root);
	run_result_free(&r);
}

Test(live, missing_intermediate)
{
	serve_and_audit("chains/good-rsa.pem", "keys/leaf-good.key", NULL,
	    "incomplete-chain,ocsp-absent", 1, 1);
}

Test(live, unnecessary_root)
{
	char	*chain = concat_tmp((const char *const[]){ "ca/int-rsa.pem",
		    "ca/root-rsa.pem", NULL });

	serve_and_audit("chains/good-rsa.pem", "keys/leaf-good.key", chain,
	    "ocsp-absent,unnecessary-root", 0, 3);
	unlink(chain);
	free(chain);
}

Test(live, misordered)
{
	/* Root before the intermediate: the order as sent is reported. */
	char	*chain = concat_tmp((const char *const[]){ "ca/root-rsa.pem",
		    "ca/int-rsa.pem", NULL });

	serve_and_audit("chains/good-rsa.pem", "keys/leaf-good.key", chain,
	    "misordered-chain,ocsp-absent,unnecessary-root", 0, 3);
	unlink(chain);
	free(chain);
}

Test(live, duplicate_sent)
{
	char	*chain = concat_tmp((const char *const[]){ "ca/int-rsa.pem",
		    "ca/int-rsa.pem", NULL });

	serve_and_audit("chains/good-rsa.pem", "keys/leaf-good.key", chain,
	    "duplicate-certificate,ocsp-absent", 0, 3);
	unlink(chain);
	free(chain);
}

Test(live, wrong_host)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t;
	char			 tgt[64], conn[64], got[256];

	s = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	snprintf(tgt, sizeof(tgt), "other.example.test:%d", s->port);
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--connect", conn, tgt,
	    NULL }, NULL);
	t = target(root, tgt, r.out);
	json_finding_codes(t, got, sizeof(got));
	cr_expect_str_eq(got, "hostname-mismatch,ocsp-absent");
	cr_expect_eq(r.status, 1);
	json_object_put(root);
	run_result_free(&r);
}

Test(live, smtp_starttls)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t, *tls;
	char			 tgt[64], got[256];

	s = server_peer(PEER_SMTP, "chains/good-rsa.pem",
	    "keys/leaf-good.key");
	snprintf(tgt, sizeof(tgt), "smtp://127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--sni",
	    "good.example.test", tgt, NULL }, NULL);
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	t = target(root, tgt, r.out);
	json_finding_codes(t, got, sizeof(got));
	/* openssl s_server staples nothing: an info finding. */
	cr_expect_str_eq(got, "ocsp-absent", "findings [%s]; %s", got, r.err);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	tls = jobj(t, "tls");
	cr_expect_str_eq(jstr(tls, "starttls"), "smtp");
	cr_expect_not_null(jstr(tls, "protocol"));
	cr_expect_eq(npresented(t), 2);
	json_object_put(root);
	run_result_free(&r);

	/* The same peer through --starttls on a port that is not 25. */
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--starttls", "smtp",
	    "--sni", "good.example.test", tgt, NULL }, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	json_object_put(root);
	run_result_free(&r);

	/* An SMTP server is not TLS from the first byte. */
	root = live_run(&r, (const char *const[]){ "--timeout", "2", tgt,
	    NULL }, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(jstr(target(root, tgt, r.out), "error"));
	json_object_put(root);
	run_result_free(&r);
}

/* The error of target source, which must exist. */
static const char *
error_of(struct json_object *root, const char *source, const char *out)
{
	const char	*e = jstr(target(root, source, out), "error");

	cr_assert_not_null(e, "%s has no error", source);
	return e;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

Test(live, hostile_servers_never_stall_the_others)
{
	struct test_server	*good, *silent, *garbage, *alert, *huge,
				*trickle, *closed;
	struct run_result	 r;
	struct json_object	*root;
	struct timespec		 t0;
	char			 g[32], si[32], ga[32], al[32], hu[32], tr[32],
				 cl[32];
	double			 secs;

	good = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	silent = server_peer(PEER_SILENT, NULL, NULL);
	garbage = server_peer(PEER_GARBAGE, NULL, NULL);
	alert = server_peer(PEER_ALERT, NULL, NULL);
	huge = server_peer(PEER_HUGE, NULL, NULL);
	trickle = server_peer(PEER_TRICKLE, NULL, NULL);
	closed = server_peer(PEER_CLOSED, NULL, NULL);
	snprintf(g, sizeof(g), "127.0.0.1:%d", good->port);
	snprintf(si, sizeof(si), "127.0.0.1:%d", silent->port);
	snprintf(ga, sizeof(ga), "127.0.0.1:%d", garbage->port);
	snprintf(al, sizeof(al), "127.0.0.1:%d", alert->port);
	snprintf(hu, sizeof(hu), "127.0.0.1:%d", huge->port);
	snprintf(tr, sizeof(tr), "127.0.0.1:%d", trickle->port);
	snprintf(cl, sizeof(cl), "127.0.0.1:%d", closed->port);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/*
	 * --timeout 3: the good, garbage, alert and huge peers must each be
	 * done within it, and with two suites and their servers sharing two
	 * loaded cores one second was not always enough (CI, 2026-12-07).
	 */
	root = live_run(&r, (const char *const[]){ "--timeout", "3",
	    "--host", "good.example.test", si, ga, al, hu, tr, cl, g,
	    "bad:port:x", NULL }, NULL);
	secs = elapsed(&t0);
	cr_expect_eq(r.status, 2, "exit %d", r.status);
	/*
	 * A hang guard, not a timing: a stalled loop would never end; the
	 * timeouts run side by side (about 3 s), and the bound leaves room
	 * for a loaded machine.
	 */
	cr_expect(secs < 20.0, "took %.1f s", secs);
	cr_expect_eq(ntargets(root), 8, "%s", r.out);
	cr_expect_null(jstr(target(root, g, r.out), "error"));
	cr_expect_str_eq(jstr(target(root, g, r.out), "verdict"), "pass");
	cr_expect(strstr(error_of(root, si, r.out), "timed out") != NULL);
	cr_expect(strstr(error_of(root, tr, r.out), "timed out") != NULL);
	cr_expect(strstr(error_of(root, ga, r.out), "not TLS") != NULL ||
	    strstr(error_of(root, ga, r.out), "TLS handshake failed") != NULL,
	    "%s", error_of(root, ga, r.out));
	cr_expect(strstr(error_of(root, al, r.out), "alert") != NULL,
	    "%s", error_of(root, al, r.out));
	cr_expect(strstr(error_of(root, hu, r.out), "certificate list") !=
	    NULL,
	    "%s", error_of(root, hu, r.out));
	cr_expect(strstr(error_of(root, cl, r.out), "refused") != NULL,
	    "%s", error_of(root, cl, r.out));
	cr_expect_not_null(error_of(root, "bad:port:x", r.out));
	/* One line on stderr per failed target, naming it first. */
	cr_expect(strstr(r.err, si) != NULL && strstr(r.err, cl) != NULL &&
	    strstr(r.err, "chainaudit: bad:port:x: ") != NULL, "%s", r.err);
	json_object_put(root);
	run_result_free(&r);
}

Test(live, many_targets_from_a_hosts_list)
{
	struct test_server	*a, *b;
	struct run_result	 r;
	struct json_object	*root, *ts, *t;
	char			*list = NULL, line[128];
	size_t			 i, len = 0, pass = 0, fail = 0;
	FILE			*fp;

	a = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	b = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key", NULL,
	    NULL, NULL, NULL);
	fp = open_memstream(&list, &len);
	fprintf(fp, "# fifty targets, two servers\n");
	for (i = 0; i < 50; i++) {
		snprintf(line, sizeof(line), "good.example.test:%d 127.0.0.1\n",
		    i % 2 ? b->port : a->port);
		fputs(line, fp);
	}
	fprintf(fp, "not a target at all\n");
	fclose(fp);
	root = live_run(&r, (const char *const[]){ "-c", "16", "--hosts", "-",
	    NULL }, list);
	ts = jobj(root, "targets");
	cr_assert_eq(json_object_array_length(ts), 51, "%s", r.err);
	for (i = 0; i < 50 + 1; i++) {
		t = json_object_array_get_idx(ts, i);
		if (jstr(t, "error") != NULL)
			continue;
		if (strcmp(jstr(t, "verdict"), "pass") == 0)
			pass++;
		else
			fail++;
	}
	cr_expect_eq(pass, 25);
	cr_expect_eq(fail, 25);
	cr_expect(strstr(r.err, "(stdin):52: not") != NULL, "%s", r.err);
	cr_expect_eq(r.status, 2);
	json_object_put(root);
	run_result_free(&r);
	free(list);
}

Test(live, all_keys)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t;
	char			 tgt[64], src[96], want[160];

	s = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", "chains/good-ec.pem", "keys/leaf-ec.key",
	    "ca/int-ec.pem");
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--all-keys",
	    "--fail-on", "never", tgt, NULL }, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_eq(ntargets(root), 2, "%s", r.out);
	snprintf(src, sizeof(src), "%s (ECDSA)", tgt);
	t = target(root, src, r.out);
	cr_expect(strncmp(jstr(json_object_array_get_idx(jobj(t,
	    "certificates"), 0), "key_algorithm"), "EC", 2) == 0);
	cr_expect_str_eq(jstr(jobj(t, "tls"), "key_type"), "ecdsa");
	snprintf(src, sizeof(src), "%s (RSA)", tgt);
	t = target(root, src, r.out);
	cr_expect(strncmp(jstr(json_object_array_get_idx(jobj(t,
	    "certificates"), 0), "key_algorithm"), "RSA", 3) == 0);
	json_object_put(root);
	run_result_free(&r);

	/* Monitoring labels one series per key, never the same twice. */
	run_chainaudit(&r, (const char *const[]){ "--all-keys", "--at",
	    AT_2016, "-f", "prometheus", tgt, NULL }, NULL);
	snprintf(want, sizeof(want), "\nchainaudit_days_left{target=\"%s "
	    "(ECDSA)\"} ", tgt);
	cr_expect_not_null(strstr(r.out, want), "%s", r.out);
	snprintf(want, sizeof(want), "\nchainaudit_days_left{target=\"%s "
	    "(RSA)\"} ", tgt);
	cr_expect_not_null(strstr(r.out, want), "%s", r.out);
	snprintf(want, sizeof(want), "chainaudit_days_left{target=\"%s\"}",
	    tgt);
	cr_expect_null(strstr(r.out, want), "%s", r.out);
	run_result_free(&r);
	server_stop(s);

	/* A server with an RSA key only: one chain, and no error. */
	s = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--all-keys",
	    "--host", "good.example.test", tgt, NULL }, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_eq(ntargets(root), 1, "%s", r.out);
	snprintf(src, sizeof(src), "%s (RSA)", tgt);
	target(root, src, r.out);
	json_object_put(root);
	run_result_free(&r);
}

Test(live, files_and_hosts_in_one_run)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root;
	char			 tgt[64], *file;

	s = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	snprintf(tgt, sizeof(tgt), "https://good.example.test:%d/x", s->port);
	file = strdup(fixture_path("chains/good-rsa.pem"));
	root = live_run(&r, (const char *const[]){ "--connect", "127.0.0.1",
	    file, tgt, NULL }, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_eq(ntargets(root), 2);
	snprintf(tgt, sizeof(tgt), "good.example.test:%d", s->port);
	cr_expect_null(jstr(target(root, tgt, r.out), "error"));
	json_object_put(root);
	run_result_free(&r);
	free(file);
}

/* How many lines of err start with prefix. */
static int
nlines(const char *err, const char *prefix)
{
	const char	*p;
	size_t		 n = strlen(prefix);
	int		 count = 0;

	for (p = err; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			count++;
	return count;
}

/* Expect err to hold exactly one line "chainaudit: source: ...". */
static void
one_line(const char *err, const char *source)
{
	char	 prefix[128];

	snprintf(prefix, sizeof(prefix), "chainaudit: %s: ", source);
	cr_expect_eq(nlines(err, prefix), 1, "want one '%s' line:\n%s",
	    prefix, err);
}

/* Expect the error of source to contain each of the words given. */
static void
error_has(struct json_object *root, const char *source, const char *out,
    const char *w1, const char *w2)
{
	const char	*e = error_of(root, source, out);

	cr_expect(strstr(e, w1) != NULL && (w2 == NULL ||
	    strstr(e, w2) != NULL), "%s: '%s', want '%s'%s%s%s", source, e,
	    w1, w2 != NULL ? " and '" : "", w2 != NULL ? w2 : "",
	    w2 != NULL ? "'" : "");
}

/*
 * The "Bad input" list of the live-TLS issue, in one run next to a good
 * server: a certificate that does not parse (TLS 1.3 and TLS 1.2), a
 * 1 MB certificate list, a handshake that stalls after ServerHello, a
 * server that hangs up in the middle of a record, STARTTLS refused or answered with junk, a name that never resolves.
 */
Test(live, bad_input_each_target_its_own_error)
{
	static const struct {
		enum peer_kind	 kind;
		const char	*scheme;
	} peers[] = {
		{ PEER_BADCERT, "" }, { PEER_BADCERT12, "" },
		{ PEER_BIGCERTS, "" }, { PEER_STALL, "" }, { PEER_CUT, "" },
		{ PEER_SMTP_REFUSE, "smtp://" }, { PEER_SMTP_JUNK, "smtp://" },
		{ PEER_IMAP_REFUSE, "imap://" }, { PEER_IMAP_JUNK, "imap://" },
		{ PEER_POP3_REFUSE, "pop3://" },
	};
	enum { BADCERT, BADCERT12, BIG, STALL, CUT, SMTP_NO, SMTP_JUNK, IMAP_NO,
	    IMAP_JUNK, POP3_NO, NPEERS };
	struct test_server	*good, *s;
	struct run_result	 r;
	struct json_object	*root, *t;
	struct timespec		 t0;
	const char		*argv[NPEERS + 8];
	char			 spec[NPEERS][64], src[NPEERS][32], g[32];
	char			 line[96];
	const char		*bad = "nonexistent.invalid:443";
	double			 secs;
	size_t			 i, n = 0;

	good = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	snprintf(g, sizeof(g), "127.0.0.1:%d", good->port);
	/* Room for every peer but the stalled one to be done on a loaded
	 * machine (see hostile_servers_never_stall_the_others). */
	argv[n++] = "--timeout";
	argv[n++] = "3";
	argv[n++] = "--host";
	argv[n++] = "good.example.test";
	for (i = 0; i < NPEERS; i++) {
		s = server_peer(peers[i].kind, "chains/good-rsa.pem",
		    "keys/leaf-good.key");
		snprintf(spec[i], sizeof(spec[i]), "%s127.0.0.1:%d",
		    peers[i].scheme, s->port);
		snprintf(src[i], sizeof(src[i]), "127.0.0.1:%d", s->port);
		argv[n++] = spec[i];
	}
	argv[n++] = bad;
	argv[n++] = g;
	argv[n] = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	root = live_run(&r, argv, NULL);
	secs = elapsed(&t0);
	/* A hang guard: --timeout 3 per phase, the phases side by side. */
	cr_expect(secs < 20.0, "took %.1f s", secs);
	cr_expect_eq(r.status, 2, "exit %d:\n%s", r.status, r.err);
	cr_expect_eq(ntargets(root), NPEERS + 2, "%s", r.out);

	/* The good server is not disturbed by its neighbours. */
	t = target(root, g, r.out);
	cr_expect_null(jstr(t, "error"), "%s", jstr(t, "error"));
	cr_expect_str_eq(jstr(t, "verdict"), "pass");
	cr_expect_eq(nlines(r.err, "chainaudit: 127.0.0.1:"), NPEERS,
	    "%s", r.err);

	/*
	 * Reached, with a chain whose second certificate does not parse:
	 * audited, the bad one a finding, the leaf still checked.
	 */
	for (i = BADCERT; i <= BADCERT12; i++) {
		t = target(root, src[i], r.out);
		cr_expect_null(jstr(t, "error"), "%s: %s", src[i],
		    jstr(t, "error"));
		cr_expect(json_has_finding(t, "unparseable"), "%s: %s",
		    src[i], r.out);
		cr_expect_eq(npresented(t), 1, "%s", src[i]);
		cr_expect_str_eq(jstr(jobj(t, "tls"), "protocol"),
		    i == BADCERT ? "TLS1.3" : "TLS1.2");
		one_line(r.err, src[i]);
		snprintf(line, sizeof(line), "chainaudit: %s: certificate #2: ",
		    src[i]);
		cr_expect(strstr(r.err, line) != NULL, "%s", r.err);
	}

	error_has(root, src[BIG], r.out, "certificate list", "256 KB");
	error_has(root, src[STALL], r.out, "timed out",
	    "stalled after the server's ServerHello");
	/* Hung up inside a record: said so, not "not TLS". */
	error_has(root, src[CUT], r.out, "the server closed the connection "
	    "during the TLS handshake", "(after 163 bytes)");
	error_has(root, src[SMTP_NO], r.out, "STARTTLS refused",
	    "'454 4.7.0 TLS not available");
	error_has(root, src[SMTP_JUNK], r.out, "STARTTLS smtp: ",
	    "unexpected reply to STARTTLS");
	error_has(root, src[IMAP_NO], r.out, "STARTTLS refused",
	    "'a1 NO [UNAVAILABLE]");
	error_has(root, src[IMAP_JUNK], r.out, "STARTTLS imap: ",
	    "unexpected reply to STARTTLS: 'HTTP/1.1 400");
	error_has(root, src[POP3_NO], r.out, "STLS refused", "'-ERR TLS");
	for (i = BIG; i < NPEERS; i++)
		one_line(r.err, src[i]);
	/* Answered without asking DNS, which could take its time. */
	error_has(root, bad, r.out, "cannot resolve nonexistent.invalid",
	    "never resolve");
	one_line(r.err, bad);
	json_object_put(root);
	run_result_free(&r);
}

/* A --hosts file with blanks, comments, whitespace and junk. */
Test(live, hosts_file_with_garbage_lines)
{
	struct test_server	*a, *b;
	struct run_result	 r;
	struct json_object	*root;
	const char		*tmpdir = getenv("TMPDIR");
	char			 path[256], want[300], src[64], prefix[300];
	FILE			*fp;
	int			 fd, line;

	a = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	b = server_peer(PEER_SMTP, "chains/good-rsa.pem",
	    "keys/leaf-good.key");
	snprintf(path, sizeof(path), "%s/chainaudit-hosts.XXXXXX",
	    tmpdir && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(path);
	cr_assert(fd >= 0 && (fp = fdopen(fd, "w")) != NULL);
	fprintf(fp, "# customer hosts\n");				/* 1 */
	fprintf(fp, "\n");						/* 2 */
	fprintf(fp, "   \t  \n");					/* 3 */
	fprintf(fp, "\r\n");						/* 4 */
	fprintf(fp, "    # indented comment\n");			/* 5 */
	fprintf(fp, "  good.example.test:%d\t127.0.0.1  # a\n",	/* 6 */
	    a->port);
	fprintf(fp, "this is not a target\n");				/* 7 */
	fprintf(fp, "!!!\n");						/* 8 */
	fprintf(fp, "\x01\x1b[31mred.example.com\n");			/* 9 */
	fputs("bin", fp), fputc('\0', fp), fputs("ary\n", fp);		/* 10 */
	fprintf(fp, "good.example.test:99999\n");			/* 11 */
	fprintf(fp, "smtp://good.example.test:%d 127.0.0.1\r\n",	/* 12 */
	    b->port);
	fprintf(fp, "nonexistent.invalid");				/* 13 */
	fclose(fp);

	root = live_run(&r, (const char *const[]){ "--timeout", "5",
	    "--hosts", path, NULL }, NULL);
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	/* Two good, five junk lines, one name that never resolves. */
	cr_expect_eq(ntargets(root), 8, "%s", r.out);
	snprintf(src, sizeof(src), "good.example.test:%d", a->port);
	cr_expect_str_eq(jstr(target(root, src, r.out), "verdict"), "pass");
	snprintf(src, sizeof(src), "good.example.test:%d", b->port);
	cr_expect_str_eq(jstr(target(root, src, r.out), "verdict"), "pass");
	for (line = 1; line <= 13; line++) {
		snprintf(prefix, sizeof(prefix), "chainaudit: %s:%d: ", path,
		    line);
		cr_expect_eq(nlines(r.err, prefix), line >= 7 && line <= 11,
		    "line %d:\n%s", line, r.err);
	}
	snprintf(want, sizeof(want), "%s:9: \\x01\\x1b[31mred", path);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	cr_expect(strchr(r.err, '\x1b') == NULL, "raw escape: %s", r.err);
	snprintf(want, sizeof(want), "%s:10: bin\\x00ary: NUL", path);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	one_line(r.err, "nonexistent.invalid:443");
	json_object_put(root);
	run_result_free(&r);
	unlink(path);
}

/* Every target reached: the findings alone decide, 0 or 1. */
Test(live, all_reached_exit_from_findings)
{
	struct test_server	*good, *smtp, *noint;
	struct run_result	 r;
	struct json_object	*root;
	char			 g[32], sm[48], ni[32];

	good = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	noint = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    NULL, NULL, NULL, NULL);
	smtp = server_peer(PEER_SMTP, "chains/good-rsa.pem",
	    "keys/leaf-good.key");
	snprintf(g, sizeof(g), "127.0.0.1:%d", good->port);
	snprintf(sm, sizeof(sm), "smtp://127.0.0.1:%d", smtp->port);
	snprintf(ni, sizeof(ni), "127.0.0.1:%d", noint->port);

	root = live_run(&r, (const char *const[]){ "--host",
	    "good.example.test", g, sm, NULL }, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_eq(ntargets(root), 2, "%s", r.out);
	cr_expect_str_eq(r.err, "");
	json_object_put(root);
	run_result_free(&r);

	/* incomplete-chain is an error: at the default --fail-on. */
	root = live_run(&r, (const char *const[]){ "--host",
	    "good.example.test", g, sm, ni, NULL }, NULL);
	cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_expect_eq(ntargets(root), 3, "%s", r.out);
	json_object_put(root);
	run_result_free(&r);

	root = live_run(&r, (const char *const[]){ "--fail-on", "never",
	    "--host", "good.example.test", g, sm, ni, NULL }, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	json_object_put(root);
	run_result_free(&r);
}

/*
 * A --connect port is the port used, so it is the one every format
 * names: "other.example.test" (443 by default) or "other.example.test:1"
 * reached at 127.0.0.1:PORT is labelled other.example.test:PORT, never
 * with a port nobody connected to.  The name mismatches, so the
 * monitoring formats name the target too.
 */
Test(live, connect_port_is_the_label_in_every_format)
{
	static const char *const specs[] = { "other.example.test",
	    "other.example.test:1", "https://other.example.test/x" };
	struct test_server	*s;
	struct run_result	 r;
	char			 conn[64], want[64], fmts[256], *fmt, *save;
	char			*roots;
	size_t			 i, nfmt = 0;

	s = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	roots = strdup(fixture_path("ca/root-rsa.pem"));
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", s->port);
	snprintf(want, sizeof(want), "other.example.test:%d", s->port);
	snprintf(fmts, sizeof(fmts), "%s", report_names());
	for (fmt = strtok_r(fmts, ", ", &save); fmt != NULL;
	    fmt = strtok_r(NULL, ", ", &save), nfmt++)
		for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
			run_chainaudit(&r, (const char *const[]){
			    "--no-system-ca", "--ca-file", roots, "--at",
			    AT_2016, "-f", fmt, "--connect", conn, specs[i],
			    NULL }, NULL);
			cr_expect_eq(r.status, strcmp(fmt, "nagios") == 0 ?
			    2 : 1, "%s %s: exit %d: %s", fmt, specs[i],
			    r.status, r.err);
			cr_expect(strstr(r.out, want) != NULL, "%s %s: no %s "
			    "in:\n%s", fmt, specs[i], want, r.out);
			cr_expect_null(strstr(r.out, "other.example.test:443"),
			    "%s %s: a port never tried:\n%s", fmt, specs[i],
			    r.out);
			cr_expect(strstr(r.out, "other.example.test:1\"") ==
			    NULL && strstr(r.out, "other.example.test:1 ") ==
			    NULL, "%s %s: a port never tried:\n%s", fmt,
			    specs[i], r.out);
			run_result_free(&r);
		}
	cr_expect_geq(nfmt, 9, "formats: %s", report_names());
	free(roots);
	server_stop(s);
}

/*
 * A fully qualified name with its trailing dot is the same host: the
 * certificate for good.example.test matches, and SNI goes without the
 * dot (RFC 6066 3).
 */
Test(live, trailing_dot_is_the_same_host)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t;
	char			 tgt[64], conn[64], got[256], *file;

	s = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	snprintf(tgt, sizeof(tgt), "good.example.test.:%d", s->port);
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--connect", conn, tgt,
	    NULL }, NULL);
	t = target(root, tgt, r.out);
	json_finding_codes(t, got, sizeof(got));
	cr_expect_str_eq(got, "ocsp-absent", "findings [%s]", got);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_str_eq(jstr(jobj(t, "tls"), "sni"), "good.example.test");
	cr_expect_str_eq(jstr(jobj(t, "tls"), "target"), tgt);
	json_object_put(root);
	run_result_free(&r);

	/* Two dots make no host name. */
	snprintf(tgt, sizeof(tgt), "good.example.test..:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--connect", conn, tgt,
	    NULL }, NULL);
	error_has(root, tgt, r.out, "is not a host name", NULL);
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);

	/* The same name checked against a file's chain (--host). */
	file = strdup(fixture_path("chains/good-rsa.pem"));
	root = live_run(&r, (const char *const[]){ "--host",
	    "good.example.test.", file, NULL }, NULL);
	t = json_object_array_get_idx(jobj(root, "targets"), 0);
	json_finding_codes(t, got, sizeof(got));
	cr_expect_str_eq(got, "", "findings [%s]", got);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	json_object_put(root);
	run_result_free(&r);
	free(file);
}

/*
 * A server sending a hundred copies of its CA (all GnuTLS takes in one
 * handshake message) gets an audit whose report stays short: ten
 * duplicate findings and one counting the rest, the certificates listed
 * up to the cap and the others counted.
 */
Test(live, huge_chain_makes_a_short_report)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root, *t, *n;
	char			 tgt[32];
	size_t			 sent;

	s = server_peer(PEER_MANYCERTS, "chains/good-rsa.pem", NULL);
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ "--host",
	    "good.example.test", tgt, NULL }, NULL);
	t = target(root, tgt, r.out);
	cr_assert_null(jstr(t, "error"), "%s", jstr(t, "error"));
	cr_expect_eq(json_count_finding(t, "duplicate-certificate"), 11,
	    "%s", r.out);
	cr_assert(json_object_object_get_ex(t, "certificates_not_listed", &n),
	    "%s", r.out);
	sent = (size_t)json_object_get_int(n) +
	    json_object_array_length(jobj(t, "certificates"));
	/* 120 KB of a CA of 1138 bytes: about 108 sent. */
	cr_expect_gt(sent, 100, "%zu sent", sent);
	/* The leaf, the CA, the copies the findings name, 50 more. */
	cr_expect_leq(json_object_array_length(jobj(t, "certificates")), 63);
	cr_expect_lt(r.outlen, 200 * 1024, "%zu bytes of JSON", r.outlen);
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
}

/* ---- audits off the event loop ------------------------------------------ */

/*
 * A few servers whose chains each take the whole work budget to audit,
 * among hundreds of healthy targets: the audits run on worker threads,
 * so no healthy handshake waits for one and times out, and the report
 * lists every target in input order whatever finished first.
 */
Test(live, slow_audits_delay_no_handshake_and_order_stays)
{
	struct test_server	*good, *slow[3];
	struct run_result	 r;
	struct json_object	*root, *ts, *t;
	char			*list = NULL, *leaf, *key, *cas, want[1024];
	const char		*err, *src;
	size_t			 i, len = 0, nslow = 0;
	FILE			*fp;
	int			 port;

	certkit_slow_chain_files(&leaf, &key, &cas);
	good = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	for (i = 0; i < 3; i++)
		slow[i] = server_openssl(leaf, key, cas, NULL, NULL, NULL);
	fp = open_memstream(&list, &len);
	for (i = 0; i < 300; i++) {
		port = i % 100 == 10 ? slow[i / 100]->port : good->port;
		fprintf(fp, "t%03zu.example.test:%d 127.0.0.1\n", i, port);
	}
	fclose(fp);
	root = live_run(&r, (const char *const[]){ "-c", "32", "-j", "2",
	    "--timeout", "5", "--hosts", "-", NULL }, list);
	ts = jobj(root, "targets");
	cr_assert_eq(json_object_array_length(ts), 300, "%s", r.err);
	for (i = 0; i < 300; i++) {
		t = json_object_array_get_idx(ts, i);
		port = i % 100 == 10 ? slow[i / 100]->port : good->port;
		snprintf(want, sizeof(want), "t%03zu.example.test:%d", i, port);
		src = jstr(t, "source");
		cr_expect(src != NULL && strcmp(src, want) == 0,
		    "target %zu is %s, not %s", i, src, want);
		err = jstr(t, "error");
		cr_expect_null(err, "%s: %s", want, err);
		nslow += json_has_finding(t, "budget-exceeded");
	}
	json_finding_codes(json_object_array_get_idx(ts, 10), want,
	    sizeof(want));
	cr_expect_eq(nslow, 3, "the slow chains used their whole budget: "
	    "%zu did, the first had [%s]", nslow, want);
	json_object_put(root);
	run_result_free(&r);
	free(list);
	certkit_files_remove((char *[]){ leaf, key, cas }, 3);
}

/*
 * More targets than the worker pool's window (256 slots at -j 1 -c 4),
 * a slow chain near the head: the loop starts no handshake whose result
 * the window could not take, waits while the slow audit runs, and goes
 * on; every target is reported, in input order, and none times out.
 */
Test(live, more_targets_than_the_window)
{
	struct test_server	*good, *slow;
	struct run_result	 r;
	struct json_object	*root, *ts, *t;
	char			*list = NULL, *leaf, *key, *cas, want[64];
	const char		*src, *err;
	size_t			 i, len = 0;
	FILE			*fp;

	certkit_slow_chain_files(&leaf, &key, &cas);
	good = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	slow = server_openssl(leaf, key, cas, NULL, NULL, NULL);
	fp = open_memstream(&list, &len);
	for (i = 0; i < 600; i++)
		fprintf(fp, "t%03zu.example.test:%d 127.0.0.1\n", i,
		    i == 5 ? slow->port : good->port);
	fclose(fp);
	root = live_run(&r, (const char *const[]){ "-c", "4", "-j", "1",
	    "--timeout", "5", "--hosts", "-", NULL }, list);
	ts = jobj(root, "targets");
	cr_assert_eq(json_object_array_length(ts), 600, "%s", r.err);
	for (i = 0; i < 600; i++) {
		t = json_object_array_get_idx(ts, i);
		snprintf(want, sizeof(want), "t%03zu.example.test:%d", i,
		    i == 5 ? slow->port : good->port);
		src = jstr(t, "source");
		cr_expect(src != NULL && strcmp(src, want) == 0,
		    "target %zu is %s, not %s", i, src, want);
		err = jstr(t, "error");
		cr_expect_null(err, "%s: %s", want, err);
	}
	cr_expect(json_has_finding(json_object_array_get_idx(ts, 5),
	    "budget-exceeded"));
	json_object_put(root);
	run_result_free(&r);
	free(list);
	certkit_files_remove((char *[]){ leaf, key, cas }, 3);
}

/*
 * Plain TLS to a port that greets in plain text (an SMTP server on a
 * port chainaudit does not know): the error says so and names the
 * --starttls that would work.
 */
Test(live, plain_tls_to_a_starttls_port_hints_at_starttls)
{
	struct test_server	*s;
	struct run_result	 r;
	struct json_object	*root;
	char			 tgt[32];

	s = server_peer(PEER_SMTP, "chains/good-rsa.pem",
	    "keys/leaf-good.key");
	snprintf(tgt, sizeof(tgt), "127.0.0.1:%d", s->port);
	root = live_run(&r, (const char *const[]){ tgt, NULL }, NULL);
	error_has(root, tgt, r.out, "not TLS", "try --starttls smtp");
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
}
