/*
 * test_cert.c: cert parsing, signature verification and strength, from
 * fixture bytes in memory.  Expected hashes were computed with openssl
 * (x509 -fingerprint -sha256; -pubkey | pkey -outform DER | sha256sum).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "cert.h"
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
	cr_expect_str_eq(c->subject,
	    "CN=Chainaudit Test Intermediate RSA,O=Chainaudit Fixtures");
	cr_expect_str_eq(c->issuer,
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
	cr_expect_eq(c->sig_hash_rank, HASH_STRONG);
	cr_expect_eq(cert_key_strength(c), 112);
	cert_free(c);
}

Test(cert, ec_keys_and_names)
{
	struct cert *root = fixture_cert("ca/root-ec.pem", 0);
	struct cert *leaf = fixture_cert("chains/good-ec.pem", 0);
	char buf[64];

	cr_expect_str_eq(root->key_name, "EC P-384");
	cr_expect_eq(root->key_bits, 384);
	cr_expect_eq(cert_key_strength(root), 192);
	cr_expect(root->self_issued);
	cr_expect_str_eq(leaf->key_name, "EC P-256");
	cr_expect_eq(cert_key_strength(leaf), 128);
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
	cr_expect_eq(b->sig_hash_rank, HASH_SHA1);
	cert_free(a);
	cert_free(b);
	cert_free(root);
	cert_free(cross);
}

Test(sig, weak_algorithms_are_verified_not_refused)
{
	struct cert *sha1 = fixture_cert("ca/int-rsa-sha1.pem", 0);
	struct cert *md5 = fixture_cert("chains/md5-leaf.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct cert *in = fixture_cert("ca/int-rsa.pem", 0);

	cr_expect_eq(sig_verify(NULL, sha1, root), SIG_VERIFIED);
	cr_expect_eq(sig_verify(NULL, md5, in), SIG_VERIFIED);
	cr_expect_eq(md5->sig_hash_rank, HASH_MD5);
	/* The wrong key fails. */
	cr_expect_eq(sig_verify(NULL, md5, root), SIG_FAILED);
	cert_free(sha1);
	cert_free(md5);
	cert_free(root);
	cert_free(in);
}

Test(sig, corrupted_signature_fails)
{
	struct cert *bad = fixture_cert("ca/int-rsa-badsig.pem", 0);
	struct cert *leaf = fixture_cert("chains/badsig-leaf.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct cert *in = fixture_cert("ca/int-rsa.pem", 0);

	cr_expect_eq(sig_verify(NULL, bad, root), SIG_FAILED);
	cr_expect_eq(sig_verify(NULL, leaf, in), SIG_FAILED);
	cr_expect_eq(sig_verify(NULL, in, root), SIG_VERIFIED);
	cert_free(bad);
	cert_free(leaf);
	cert_free(root);
	cert_free(in);
}

Test(sig, strength_ranks_broken_hashes_below_all_others)
{
	struct strength md5 = { HASH_MD5, 112 }, sha1 = { HASH_SHA1, 112 };
	struct strength s256_2048 = { HASH_STRONG, 112 };
	struct strength s256_4096 = { HASH_STRONG, 128 };
	struct strength sha1_big = { HASH_SHA1, 256 };

	cr_expect_lt(strength_cmp(md5, sha1), 0);
	cr_expect_lt(strength_cmp(sha1_big, s256_2048), 0);
	cr_expect_lt(strength_cmp(s256_2048, s256_4096), 0);
	cr_expect_eq(strength_cmp(s256_4096, s256_4096), 0);
	cr_expect(strength_is_broken(sha1));
	cr_expect(!strength_is_broken(s256_2048));
}

Test(sig, strength_is_the_weaker_of_hash_and_key)
{
	struct cert *leaf = fixture_cert("chains/good-rsa.pem", 0);
	struct cert *in = fixture_cert("chains/good-rsa.pem", 1);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct strength s;

	/* SHA-256 (128) with an RSA-2048 issuer key (112). */
	s = sig_strength(leaf, in);
	cr_expect_eq(s.hash, HASH_STRONG);
	cr_expect_eq(s.bits, 112);
	/* SHA-256 (128) with an RSA-4096 issuer key (128). */
	s = sig_strength(in, root);
	cr_expect_eq(s.bits, 128);
	cert_free(leaf);
	cert_free(in);
	cert_free(root);
}

Test(sig, cache_returns_the_same_answer_and_counts)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *in = fixture_cert("ca/int-rsa.pem", 0);
	struct cert *bad = fixture_cert("ca/int-rsa-badsig.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	unsigned long hits, misses;
	int i;

	for (i = 0; i < 3; i++) {
		cr_expect_eq(sig_verify(cache, in, root), SIG_VERIFIED);
		cr_expect_eq(sig_verify(cache, bad, root), SIG_FAILED);
	}
	sig_cache_stats(cache, &hits, &misses);
	cr_expect_eq(misses, 2);
	cr_expect_eq(hits, 4);
	sig_cache_free(cache);
	cert_free(in);
	cert_free(bad);
	cert_free(root);
}

/*
 * A leaf is checked once per run: keeping it would grow the cache by one
 * entry per row of a database scan.  Its checks are answered right and
 * counted as misses, never as hits.
 */
Test(sig, cache_keeps_ca_links_not_leaves)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *leaf = fixture_cert("chains/good-rsa.pem", 0);
	struct cert *in = fixture_cert("chains/good-rsa.pem", 1);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	unsigned long hits, misses;
	int i;

	cr_assert(!leaf->is_ca && in->is_ca);
	for (i = 0; i < 3; i++) {
		cr_expect_eq(sig_verify(cache, leaf, in), SIG_VERIFIED);
		cr_expect_eq(sig_verify(cache, leaf, root), SIG_FAILED);
		cr_expect_eq(sig_verify(cache, in, root), SIG_VERIFIED);
	}
	sig_cache_stats(cache, &hits, &misses);
	cr_expect_eq(misses, 7, "6 leaf checks + 1 CA link, got %lu", misses);
	cr_expect_eq(hits, 2);
	sig_cache_free(cache);
	cert_free(leaf);
	cert_free(in);
	cert_free(root);
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
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	gnutls_datum_t der;
	unsigned char sn[] = { 0x01 };
	char err[ERRBUF_LEN] = "", buf[64];
	struct cert *c;

	cr_assert(gnutls_x509_privkey_init(&key) == 0);
	cr_assert(gnutls_x509_privkey_generate(key, GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) == 0);
	cr_assert(gnutls_x509_crt_init(&crt) == 0);
	cr_assert(gnutls_x509_crt_set_version(crt, 3) == 0);
	cr_assert(gnutls_x509_crt_set_serial(crt, sn, sizeof(sn)) == 0);
	cr_assert(gnutls_x509_crt_set_activation_time(crt, 946684800) == 0);
	cr_assert(gnutls_x509_crt_set_expiration_time(crt, 4102444799) == 0);
	cr_assert(gnutls_x509_crt_set_key(crt, key) == 0);
	cr_assert(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME,
	    host, strlen(host), GNUTLS_FSAN_SET) == 0);
	cr_assert(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256,
	    0) == 0);
	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) == 0);

	c = cert_parse(der.data, der.size, err, sizeof(err));
	cr_assert_not_null(c, "empty subject refused: %s", err);
	cr_expect_eq(c->raw_subject.size, 2);
	cr_expect_str_eq(c->subject, "");
	cr_expect_str_eq(c->issuer, "");
	cr_expect(c->self_issued);
	cr_expect_str_eq(cert_short_name(c, buf, sizeof(buf)),
	    "(empty subject)");
	cr_expect(cert_matches_host(c, host));
	cert_free(c);
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
}
