/*
 * corpus-gen.c: build the known-CA corpus image (corpus.h) from a PEM
 * file, at build time.
 *
 * usage: corpus-gen IN.pem OUT.img
 *
 * Each certificate is parsed as chainaudit parses it; one that does not
 * parse is named on stderr (file and SHA-256) and left out of the image,
 * so the program never meets it.  Duplicates are kept once.  The image is
 * written to OUT.img.tmp and renamed into place.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "cert.h"
#include "corpus.h"
#include "pem.h"
#include "util.h"

struct rec {
	const unsigned char	*der;	/* borrowed from the decoded list */
	uint32_t		 len;
	uint32_t		 off;	/* in the DER area */
	uint32_t		 subj_hash;
	uint32_t		 kid_hash;
	int			 has_kid;
	unsigned char		 sha256[SHA256_LEN];
};

struct ientry {
	uint32_t	hash, rec;
};

static int
ientry_cmp(const void *a, const void *b)
{
	const struct ientry *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int
rec_cmp_sha(const void *a, const void *b)
{
	return memcmp(((const struct rec *)a)->sha256,
	    ((const struct rec *)b)->sha256, SHA256_LEN);
}

static void
put32(FILE *fp, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
	    (v >> 24) & 0xff };

	fwrite(b, 1, 4, fp);
}

int
main(int argc, char **argv)
{
	struct der_list list;
	struct rec *recs = NULL;
	struct ientry *subj = NULL, *kids = NULL;
	struct cert *c;
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN], hex[SHA256_HEX_LEN], *tmp = NULL;
	size_t len, i, k, n = 0, nkids = 0, nbad = 0;
	uint32_t off = 0, rec_off, subj_off, kid_off, der_off;
	FILE *fp = NULL;
	int status = 1;

	memset(&list, 0, sizeof(list));
	if (argc != 3) {
		fprintf(stderr, "usage: corpus-gen IN.pem OUT.img\n");
		return 2;
	}
	if (gnutls_global_init() < 0)
		goto out;
	if (file_read_all(argv[1], &buf, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "corpus-gen: %s: %s\n", argv[1], err);
		goto out;
	}
	if (pem_decode(buf, len, &list) < 0) {
		fprintf(stderr, "corpus-gen: out of memory\n");
		goto out;
	}
	for (i = 0; i < list.nerrors; i++)
		fprintf(stderr, "corpus-gen: %s: %s\n", argv[1],
		    list.errors[i]);
	if ((recs = calloc(list.n + 1, sizeof(*recs))) == NULL ||
	    (subj = calloc(list.n + 1, sizeof(*subj))) == NULL ||
	    (kids = calloc(list.n + 1, sizeof(*kids))) == NULL) {
		fprintf(stderr, "corpus-gen: out of memory\n");
		goto out;
	}
	for (i = 0; i < list.n; i++) {
		if ((c = cert_parse(list.v[i].der, list.v[i].len, err,
		    sizeof(err))) == NULL) {
			if (sha256(list.v[i].der, list.v[i].len,
			    recs[n].sha256) < 0)
				goto out;
			hex_encode(recs[n].sha256, SHA256_LEN, hex);
			fprintf(stderr, "corpus-gen: %s: certificate %s does "
			    "not parse (%s): left out\n", argv[1], hex, err);
			nbad++;
			continue;
		}
		recs[n].der = list.v[i].der;
		recs[n].len = (uint32_t)list.v[i].len;
		memcpy(recs[n].sha256, c->sha256, SHA256_LEN);
		recs[n].subj_hash = corpus_hash(c->raw_subject.data,
		    c->raw_subject.size);
		recs[n].has_kid = c->ski_len > 0;
		recs[n].kid_hash = corpus_hash(c->ski, c->ski_len);
		cert_free(c);
		n++;
	}
	/* Sorted by hash so that rebuilding the same input is byte-stable. */
	qsort(recs, n, sizeof(*recs), rec_cmp_sha);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || memcmp(recs[k - 1].sha256, recs[i].sha256,
		    SHA256_LEN) != 0)
			recs[k++] = recs[i];
	n = k;
	for (i = 0; i < n; i++) {
		recs[i].off = off;
		off += recs[i].len;
		subj[i].hash = recs[i].subj_hash;
		subj[i].rec = (uint32_t)i;
		if (recs[i].has_kid) {
			kids[nkids].hash = recs[i].kid_hash;
			kids[nkids].rec = (uint32_t)i;
			nkids++;
		}
	}
	qsort(subj, n, sizeof(*subj), ientry_cmp);
	qsort(kids, nkids, sizeof(*kids), ientry_cmp);

	rec_off = CORPUS_HEADER_LEN;
	subj_off = rec_off + 8 * (uint32_t)n;
	kid_off = subj_off + 8 * (uint32_t)n;
	der_off = kid_off + 8 * (uint32_t)nkids;
	if (asprintf(&tmp, "%s.tmp", argv[2]) < 0) {
		tmp = NULL;
		goto out;
	}
	if ((fp = fopen(tmp, "wb")) == NULL) {
		perror(tmp);
		goto out;
	}
	fwrite(CORPUS_MAGIC, 1, 8, fp);
	put32(fp, CORPUS_VERSION);
	put32(fp, (uint32_t)n);
	put32(fp, rec_off);
	put32(fp, subj_off);
	put32(fp, kid_off);
	put32(fp, der_off);
	put32(fp, (uint32_t)nkids);
	for (i = 0; i < n; i++) {
		put32(fp, recs[i].off);
		put32(fp, recs[i].len);
	}
	for (i = 0; i < n; i++) {
		put32(fp, subj[i].hash);
		put32(fp, subj[i].rec);
	}
	for (i = 0; i < nkids; i++) {
		put32(fp, kids[i].hash);
		put32(fp, kids[i].rec);
	}
	for (i = 0; i < n; i++)
		fwrite(recs[i].der, 1, recs[i].len, fp);
	if (ferror(fp) || fclose(fp) != 0) {
		fp = NULL;
		fprintf(stderr, "corpus-gen: %s: write failed\n", tmp);
		goto out;
	}
	fp = NULL;
	if (rename(tmp, argv[2]) < 0) {
		perror(argv[2]);
		goto out;
	}
	fprintf(stderr, "corpus-gen: %s: %zu certificates (%zu left out), "
	    "%zu with a key identifier\n", argv[2], n, nbad, nkids);
	status = 0;
out:
	if (fp != NULL)
		fclose(fp);
	if (status != 0 && tmp != NULL)
		remove(tmp);
	free(tmp);
	free(kids);
	free(subj);
	free(recs);
	der_list_free(&list);
	free(buf);
	gnutls_global_deinit();
	return status;
}
