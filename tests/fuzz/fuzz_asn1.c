/*
 * fuzz_asn1.c: libFuzzer target for chainaudit's own DER walkers
 * (src/asn1.c).  The bytes are read twice: as a certificate, whose
 * slices (TBS, extensions, name constraints, key identifiers, names,
 * key) are walked as cert_parse walks them, and as each walker's own
 * input, so that a walker is fuzzed even where a certificate's shape
 * would not reach it.  What a walker hands back is read whole
 * (fuzz_touch), so ASan checks that it lies within the input.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "asn1.h"
#include "fuzzlib.h"

#define OID_CN			"2.5.4.3"
#define OID_NAME_CONSTRAINTS	"2.5.29.30"
#define OID_AKI			"2.5.29.35"

static int
nc_seen(int permitted, unsigned long tag, const unsigned char *v,
    size_t vlen, void *arg)
{
	(void)permitted;
	(void)tag;
	(void)arg;
	fuzz_touch(v, vlen);
	return 0;
}

static int
ext_seen(const struct asn1_ext *e, void *arg)
{
	const unsigned char	*id;
	size_t			 idlen;

	(void)arg;
	fuzz_touch(e->value, e->vlen);
	if (strcmp(e->oid, OID_NAME_CONSTRAINTS) == 0)
		(void)asn1_name_constraints(e->value, e->vlen, nc_seen, NULL);
	else if (strcmp(e->oid, OID_AKI) == 0 &&
	    asn1_aki_keyid_only(e->value, e->vlen, &id, &idlen) == 1)
		fuzz_touch(id, idlen);
	return 0;
}

static void
walk_name(const unsigned char *name, size_t len)
{
	const unsigned char	*v;
	unsigned long		 tag;
	size_t			 vlen;

	if (asn1_name_attr(name, len, OID_CN, &tag, &v, &vlen) == 1)
		fuzz_touch(v, vlen);
}

static void
walk_spki(const unsigned char *spki, size_t len)
{
	struct asn1_spki	 s;
	unsigned		 bits;

	if (asn1_spki_read(spki, len, &s) < 0)
		return;
	fuzz_touch(s.key, s.key_len);
	(void)asn1_rsa_modulus_bits(s.key, s.key_len, &bits);
}

static void
walk_tbs(const unsigned char *tbs, size_t len)
{
	struct asn1_altsig	 as;
	unsigned char		*pre = NULL;
	char			 err[256];
	size_t			 prelen;

	(void)asn1_tbs_extensions(tbs, len, ext_seen, NULL);
	if (asn1_tbs_altsig(tbs, len, &as, err, sizeof(err)) == 0) {
		fuzz_touch(as.spki, as.spki_len);
		fuzz_touch(as.alg, as.alg_len);
		fuzz_touch(as.value, as.value_len);
	}
	if (asn1_tbs_pretbs(tbs, len, &pre, &prelen) == 0) {
		/* The pre-TBS is itself a TBS without two of its parts. */
		(void)asn1_tbs_extensions(pre, prelen, ext_seen, NULL);
		free(pre);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asn1_cert_parts	 parts;
	struct asn1_tlv		 tlv;
	const unsigned char	*tbs, *id;
	unsigned		 bits;
	size_t			 tbslen, idlen;

	/* As a certificate. */
	if (asn1_cert_tbs(data, size, &tbs, &tbslen) == 0)
		walk_tbs(tbs, tbslen);
	if (asn1_cert_parts(data, size, &parts) == 0) {
		walk_name(parts.issuer, parts.issuer_len);
		walk_name(parts.subject, parts.subject_len);
		walk_spki(parts.spki, parts.spki_len);
		fuzz_touch(parts.sig, parts.sig_len);
	}
	/* As each walker's own input. */
	(void)asn1_tlv_len(data, size);
	if (asn1_tlv_read(data, size, &tlv) == 0)
		fuzz_touch(tlv.val, tlv.vlen);
	walk_tbs(data, size);
	walk_name(data, size);
	walk_spki(data, size);
	(void)asn1_rsa_modulus_bits(data, size, &bits);
	(void)asn1_name_constraints(data, size, nc_seen, NULL);
	if (asn1_aki_keyid_only(data, size, &id, &idlen) == 1)
		fuzz_touch(id, idlen);
	return 0;
}
