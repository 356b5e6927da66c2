/*
 * chaindiff.c: served chain against stored chain; see chaindiff.h.
 *
 * Certificates are matched by their DER bytes, each used once, first at
 * the same position and then anywhere, so that a certificate sent twice
 * shows as one extra and a swapped pair as another order.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "chaindiff.h"

#define LIST_MAX	8	/* positions named before "..." */

int
chaindiff_sha256(const struct der_list *chain, char hex[SHA256_HEX_LEN])
{
	gnutls_hash_hd_t h;
	unsigned char md[SHA256_LEN];
	size_t i;

	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return -1;
	for (i = 0; i < chain->n; i++)
		if (gnutls_hash(h, chain->v[i].der, chain->v[i].len) < 0) {
			gnutls_hash_deinit(h, NULL);
			return -1;
		}
	gnutls_hash_deinit(h, md);
	hex_encode(md, SHA256_LEN, hex);
	return 0;
}

static int
blob_eq(const struct der_blob *a, const struct der_blob *b)
{
	return a->len == b->len && memcmp(a->der, b->der, a->len) == 0;
}

/* A bounded string being appended to; truncation is silent. */
struct text {
	char	*buf;		/* borrowed */
	size_t	 len, off;
};

static void
text_add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->off + 1 >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->off, t->len - t->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->off = t->off + (size_t)n < t->len ? t->off + (size_t)n :
		    t->len - 1;
}

/* "; " between the parts of the description. */
static void
text_part(struct text *t, int *parts)
{
	text_add(t, "%s", (*parts)++ > 0 ? "; " : "");
}

/* " #2, #5, ...": the positions i (from `from`) whose flag is 0. */
static void
text_positions(struct text *t, const int *flag, size_t n, size_t from)
{
	size_t i, k = 0;

	for (i = from; i < n; i++) {
		if (flag[i] != 0)
			continue;
		if (k == LIST_MAX) {
			text_add(t, ", ...");
			break;
		}
		text_add(t, "%s#%zu", k++ == 0 ? " " : ", ", i + 1);
	}
}

int
chaindiff_describe(const struct der_list *stored,
    const struct der_list *served, char *buf, size_t len)
{
	const size_t m = stored->n, n = served->n;
	struct text t = { buf, len, 0 };
	char sent_hex[SHA256_HEX_LEN], held_hex[SHA256_HEX_LEN];
	unsigned char md[SHA256_LEN];
	int *used = NULL;	/* stored j was matched */
	int *match = NULL;	/* served i is stored match[i] - 1; 0: none */
	size_t i, j, missing = 0, extra = 0;
	int leaf = 0, order = 0, parts = 0, ret = -1;
	long last = -1;

	if (len > 0)
		buf[0] = '\0';
	if (m == n) {
		for (i = 0; i < n && blob_eq(&stored->v[i], &served->v[i]); i++)
			continue;
		if (i == n)
			return 0;
	}
	text_add(&t, "the server's %zu certificate%s differ%s from the %zu "
	    "stored: ", n, n == 1 ? "" : "s", n == 1 ? "s" : "", m);
	if (m == 0) {
		text_add(&t, "the database holds no certificate");
		return 1;
	}
	if ((used = calloc(m, sizeof(*used))) == NULL ||
	    (match = calloc(n ? n : 1, sizeof(*match))) == NULL)
		goto out;
	for (i = 0; i < n && i < m; i++)
		if (blob_eq(&served->v[i], &stored->v[i])) {
			used[i] = 1;
			match[i] = (int)i + 1;
		}
	for (i = 0; i < n; i++)
		for (j = 0; match[i] == 0 && j < m; j++)
			if (!used[j] && blob_eq(&served->v[i], &stored->v[j])) {
				used[j] = 1;
				match[i] = (int)j + 1;
			}

	/* A leaf that is nowhere in the other chain is a different leaf. */
	leaf = n > 0 && match[0] == 0 && !used[0];
	for (j = leaf ? 1 : 0; j < m; j++)
		missing += !used[j];
	for (i = leaf ? 1 : 0; i < n; i++)
		extra += match[i] == 0;
	for (i = 0; i < n; i++)
		if (match[i] != 0) {
			if (match[i] - 1 < last)
				order = 1;
			last = match[i] - 1;
		}

	if (leaf) {
		text_part(&t, &parts);
		sha256(served->v[0].der, served->v[0].len, md);
		hex_encode(md, SHA256_LEN, sent_hex);
		sha256(stored->v[0].der, stored->v[0].len, md);
		hex_encode(md, SHA256_LEN, held_hex);
		text_add(&t, "a different leaf (sent sha256:%.16s..., stored "
		    "sha256:%.16s...)", sent_hex, held_hex);
	}
	if (missing > 0) {
		text_part(&t, &parts);
		text_add(&t, "%zu stored certificate%s not sent (stored",
		    missing, missing == 1 ? "" : "s");
		text_positions(&t, used, m, leaf ? 1 : 0);
		text_add(&t, ")");
	}
	if (extra > 0) {
		text_part(&t, &parts);
		text_add(&t, "%zu extra certificate%s sent (sent", extra,
		    extra == 1 ? "" : "s");
		text_positions(&t, match, n, leaf ? 1 : 0);
		text_add(&t, ")");
	}
	if (order) {
		text_part(&t, &parts);
		text_add(&t, "%s in another order", missing + extra > 0 ||
		    leaf ? "the others" : "the same certificates");
	}
	ret = 1;
out:
	free(used);
	free(match);
	return ret;
}
