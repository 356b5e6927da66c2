/*
 * fuzz_cert.c: libFuzzer target for cert_parse (src/cert.c) and what is
 * asked of a parsed certificate: its names, key, extensions, host and
 * name-constraint checks, and its signature and key against the fixture
 * PKI's (src/sig.c).  The bytes are one DER certificate.  Each is also
 * parsed the way GnuTLS alone parsed them (cert_parse_gnutls): a lean
 * parse (src/x509der.c) that differs from it aborts.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "fuzzlib.h"
#include "sig.h"

/* Loaded once (see fuzzlib.h): a root, and a leaf it does not sign. */
static struct cert *root, *leaf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	root = fuzz_fixture_cert("fixtures/ca/root-rsa.pem", 0);
	leaf = fuzz_fixture_cert("fixtures/chains/good-rsa.pem", 0);
	return 0;
}

/* Abort when the lean parse of data says otherwise than GnuTLS's. */
static void
same_as_gnutls(const struct cert *c, const uint8_t *data, size_t size,
    const char *err)
{
	struct cert	*g;
	char		 gerr[256];

	g = cert_parse_gnutls(data, size, gerr, sizeof(gerr));
	if ((c == NULL) != (g == NULL) || (c == NULL && strcmp(err,
	    gerr) != 0))
		abort();
	if (c != NULL && (strcmp(c->serial_hex, g->serial_hex) != 0 ||
	    c->not_before != g->not_before || c->not_after != g->not_after ||
	    c->version != g->version || c->sig_algo != g->sig_algo ||
	    c->san_count != g->san_count || c->is_ca != g->is_ca ||
	    c->pathlen != g->pathlen || c->eku != g->eku ||
	    c->nca_issuers != g->nca_issuers || c->key_bits != g->key_bits ||
	    cert_matches_host(c, "www.good.example.test") !=
	    cert_matches_host(g, "www.good.example.test") ||
	    cert_matches_host_by_wildcard(c, "www.good.example.test") !=
	    cert_matches_host_by_wildcard(g, "www.good.example.test")))
		abort();
	cert_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cert	*c;
	char		 err[256], buf[256];

	c = cert_parse(data, size, err, sizeof(err));
	same_as_gnutls(c, data, size, err);
	if (c == NULL)
		return 0;
	(void)cert_subject(c);
	(void)cert_issuer(c);
	(void)cert_short_name(c, buf, sizeof(buf));
	(void)cert_key_label(c, buf, sizeof(buf));
	(void)cert_pubkey(c);
	(void)cert_is_cert_signer(c, 0);
	(void)cert_is_cert_signer(c, 1);
	(void)cert_is_issuer_name_of(root, c);
	(void)cert_is_issuer_name_of(c, leaf);
	(void)cert_is_same_node(c, root);
	(void)cert_matches_host(c, "www.good.example.test");
	(void)cert_matches_host(c, "192.0.2.1");
	/* Its name constraints against its own names and a real leaf's. */
	(void)cert_is_name_permitted(c, c, buf, sizeof(buf));
	(void)cert_is_name_permitted(c, leaf, buf, sizeof(buf));
	(void)cert_is_name_permitted(root, c, buf, sizeof(buf));
	/* Its signature, and its key as the issuer of a real leaf. */
	(void)sig_is_self_signed(NULL, c);
	(void)sig_verify(NULL, c, root);
	(void)sig_verify(NULL, leaf, c);
	(void)sig_strength(c, root);
	(void)sig_strength(leaf, c);
	(void)sig_hash_strength(c);
	(void)sig_key_strength(c);
	/* What reports read after a scan has shed the GnuTLS objects. */
	cert_shed(c);
	(void)cert_subject(c);
	(void)cert_matches_host(c, "www.good.example.test");
	cert_free(c);
	return 0;
}
