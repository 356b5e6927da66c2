/*
 * fuzz_audit.c: libFuzzer target for one whole audit: the bytes are a
 * chain file (PEM, DER or PKCS#7), judged by run_target (src/run.h) as
 * a file on the command line would be, by one engine built once against
 * a fixed trust set: the fixture roots, the known-CA corpus, the
 * built-in distrust policy with the demo's entry, Mozilla's and Apple's
 * stores as of the fixtures' pinned time, and --host
 * www.good.example.test; a caIssuers fetch is answered with the fixture
 * intermediate, never the network.  Every audit is then written in
 * every report format, to /dev/null.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "fuzzlib.h"
#include "report.h"
#include "run.h"
#include "util.h"

#define SHA1_SUNSET	((time_t)1451606400)	/* 2016-01-01, as cli.c */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Built once (see fuzzlib.h). */
static struct engine engine;
static struct report_opts ropts;
static unsigned char *fetched;		/* the fetch hook's answer */
static size_t fetched_len;
static FILE *devnull;

static const char *const formats[] = {
	"text", "json", "jsonl", "csv", "sarif", "junit", "html",
};

/* judge_params.fetch_issuer: every caIssuers URL serves int-rsa.pem. */
static int
fetch(void *arg, const char *url, unsigned char **body, size_t *len,
    char *why, size_t whylen)
{
	(void)arg;
	if (strncmp(url, "http://", 7) != 0) {
		snprintf(why, whylen, "not http");
		return -1;
	}
	if ((*body = malloc(fetched_len)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memcpy(*body, fetched, fetched_len);
	*len = fetched_len;
	return 0;
}

/* The audit sink: every format writes it; then it is freed. */
static int
report_all(struct audit *a, void *arg)
{
	struct report_summary	 sum;
	struct report_out	*o;
	char			 err[256];
	size_t			 i;

	(void)arg;
	memset(&sum, 0, sizeof(sum));
	report_summary_add(&sum, a, audit_fails(a, ropts.fail_on, 0));
	for (i = 0; i < NELEM(formats); i++) {
		if ((o = report_out_stream(report_find(formats[i]),
		    devnull)) == NULL)
			abort();
		(void)report_out_begin(o, &ropts);
		(void)report_out_target(o, a, 0, &ropts);
		(void)report_out_end(o, &sum, &ropts);
		(void)report_out_close(o, 1, err, sizeof(err));
	}
	audit_free(a);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *ca_files[4], *distrust[1];
	static const char *const stores[] = { "mozilla", "apple" };
	static char paths[5][4096];
	struct engine_opts	 o;
	char			 err[256];

	(void)argc;
	(void)argv;
	if (gnutls_global_init() < 0)
		abort();
	snprintf(paths[0], sizeof(paths[0]), "%s",
	    fuzz_path("fixtures/ca/root-rsa.pem"));
	snprintf(paths[1], sizeof(paths[1]), "%s",
	    fuzz_path("fixtures/ca/root-ec.pem"));
	snprintf(paths[2], sizeof(paths[2]), "%s",
	    fuzz_path("fixtures/hybrid/root.pem"));
	snprintf(paths[3], sizeof(paths[3]), "%s",
	    fuzz_path("fixtures/ca/root-old.pem"));
	snprintf(paths[4], sizeof(paths[4]), "%s",
	    fuzz_path("db/demo-distrust.tsv"));
	ca_files[0] = paths[0];
	ca_files[1] = paths[1];
	ca_files[2] = paths[2];
	ca_files[3] = paths[3];
	distrust[0] = paths[4];

	memset(&o, 0, sizeof(o));
	o.now = o.real_now = FUZZ_NOW;
	o.at_set = 1;
	o.sha1_sunset = SHA1_SUNSET;
	o.warn_days = 30;
	o.host = "www.good.example.test";
	o.ca_files = ca_files;
	o.nca_files = NELEM(ca_files);
	o.distrust_files = distrust;
	o.ndistrust_files = NELEM(distrust);
	o.trust_stores = stores;
	o.ntrust_stores = NELEM(stores);
	o.no_system_ca = 1;
	o.corpus_image = known_cas_image;
	o.corpus_len = (size_t)(known_cas_image_end - known_cas_image);
	o.distrust_vendors = VENDOR_ALL;
	if (engine_open(&engine, &o) < 0)
		abort();
	if (file_read_all(fuzz_path("fixtures/ca/int-rsa.pem"), &fetched,
	    &fetched_len, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		exit(1);
	}
	engine.params.fetch_issuer = fetch;

	ropts.now = FUZZ_NOW;
	ropts.version = "fuzz";
	ropts.fail_on = SEV_ERROR;
	ropts.verbose = 1;
	ropts.stores = engine.named.stores;
	ropts.nstores = engine.named.n;
	ropts.store_default = engine.named.default_note;
	devnull = fuzz_devnull();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct der_list	 blobs;
	struct target	 t;

	memset(&blobs, 0, sizeof(blobs));
	if (pem_decode(data, size, &blobs) < 0)
		abort();
	memset(&t, 0, sizeof(t));
	t.name = "fuzz.pem";
	t.origin = TARGET_FILE;
	t.chain = &blobs;
	if (run_target(&engine, &t, report_all, NULL) < 0)
		abort();
	der_list_free(&blobs);
	return 0;
}
