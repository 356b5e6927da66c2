/*
 * pem.h: turn the bytes of a certificate file into DER certificates.
 *
 * Accepts PEM (any text around or between the blocks, CRLF or LF), a bare
 * DER certificate, and PKCS#7 certificate bundles in DER or PEM.  The
 * decoder works on memory only; reading files is the caller's business.
 */
#ifndef CHAINAUDIT_PEM_H
#define CHAINAUDIT_PEM_H

#include <stddef.h>

struct der_blob {
	unsigned char	*der;		/* owned, unless known is set */
	size_t		 len;
	/*
	 * pem_decode_known of PEM only: the block's base64 text in the
	 * input (borrowed: valid while the input buffer is), the run
	 * cache's key for it; NULL otherwise (pem_decode, DER, copies).
	 */
	const unsigned char *text;
	size_t		 text_len;
	/*
	 * The run cache's entry for text when it had one (borrowed, opaque
	 * here): the block was not decoded, and der is borrowed from that
	 * entry, which outlives the list.  NULL otherwise.
	 */
	const void	*known;
};

/*
 * Blocks seen before in this run (certcache.h fills one): find returns
 * the entry for a CERTIFICATE block's base64 text and sets its DER
 * (borrowed, as long as the entry), or returns NULL.  Thread-safe.
 */
struct pem_known {
	const void	*(*find)(void *arg, const unsigned char *text,
			    size_t len, const unsigned char **der,
			    size_t *derlen);
	void		*arg;
};

struct der_list {
	struct der_blob	*v;		/* owned array */
	size_t		 n, cap;
	/*
	 * Problems found while decoding that did not stop it (a truncated
	 * PEM block after good ones, undecodable base64): one line each,
	 * owned.  The good blocks are still in v.
	 */
	char		**errors;
	size_t		 nerrors, errcap;
	/*
	 * PEM: the number of the first block (counted as in errors) holding
	 * a private key, 0 when none, and its label ("RSA PRIVATE KEY").
	 */
	unsigned	 key_block;
	char		 key_label[32];
};

/*
 * Decode buf into out (which must be zeroed or freshly freed).  Returns 0
 * when decoding ran (out->n may be 0 and out->errors say why), -1 on
 * allocation failure.
 */
int	pem_decode(const unsigned char *buf, size_t len, struct der_list *out);

/*
 * pem_decode, asking known (which may be NULL) for each CERTIFICATE
 * block before decoding its base64: a block seen before costs a lookup.
 * With known, out's blobs borrow from buf (der_blob.text): keep buf
 * until out is judged.
 */
int	pem_decode_known(const unsigned char *buf, size_t len,
	    const struct pem_known *known, struct der_list *out);

/* Append a copy of der to list.  Returns 0 or -1. */
int	der_list_add(struct der_list *list, const unsigned char *der,
	    size_t len);

/* Record an error line (printf-style) in list.  Returns 0 or -1. */
int	der_list_error(struct der_list *list, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

void	der_list_free(struct der_list *list);

#endif
