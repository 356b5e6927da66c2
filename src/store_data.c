/*
 * store_data.c: the helpers both store backends fill and free their
 * records with; see store_data.h.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_data.h"

void
store_row_free(struct store_row *r)
{
	if (r == NULL)
		return;
	free(r->mem);
	memset(r, 0, sizeof(*r));
}

/* See store_data.h: the columns' copies in one block. */
int
store_row_fill(struct store_row *row,
    const struct store_field f[STORE_COL__COUNT], struct store_block *spare)
{
	char *out[STORE_COL__COUNT];
	size_t i, size = 0;
	char *at;

	for (i = 0; i < STORE_COL__COUNT; i++) {
		if (f[i].null)
			continue;
		if (f[i].len > SIZE_MAX - size - 1)
			return -1;
		size += f[i].len + 1;
	}
	if (size == 0)
		size = 1;
	if (spare != NULL && spare->mem != NULL && spare->cap >= size) {
		row->mem = spare->mem;
		row->mem_cap = spare->cap;
		spare->mem = NULL;
		spare->cap = 0;
	} else if ((row->mem = malloc(size)) == NULL)
		return -1;
	else
		row->mem_cap = size;
	at = row->mem;
	for (i = 0; i < STORE_COL__COUNT; i++) {
		out[i] = NULL;
		if (f[i].null)
			continue;
		out[i] = at;
		if (f[i].len > 0)
			memcpy(at, f[i].p, f[i].len);
		at[f[i].len] = '\0';
		at += f[i].len + 1;
	}
	row->domain = out[STORE_COL_DOMAIN];
	row->chain = (unsigned char *)out[STORE_COL_CHAIN];
	row->chain_len = f[STORE_COL_CHAIN].len;
	row->contact = out[STORE_COL_CONTACT];
	row->connect = out[STORE_COL_CONNECT];
	row->key = out[STORE_COL_KEY];
	return 0;
}

void
store_row_hash(struct store_row *row)
{
	unsigned char hash[SHA256_LEN];

	if (row->chain == NULL || row->chain_sha256[0] != '\0')
		return;
	sha256(row->chain, row->chain_len, hash);
	hex_encode(hash, SHA256_LEN, row->chain_sha256);
}

int
store_map_columns(const char *const *names, int n, int map[STORE_COL__COUNT])
{
	int i, next = STORE_COL_DOMAIN;

	for (i = 0; i < STORE_COL__COUNT; i++)
		map[i] = -1;
	for (i = 0; i < n; i++) {
		if (map[STORE_COL_KEY] < 0 && names[i] != NULL &&
		    strcasecmp(names[i], STORE_KEY_COLUMN) == 0)
			map[STORE_COL_KEY] = i;
		else if (next < STORE_COL_KEY)
			map[next++] = i;
	}
	return map[STORE_COL_CHAIN] < 0 ? -1 : 0;
}

void
store_scan_clear(struct store_scan *sc)
{
	if (sc == NULL)
		return;
	free(sc->source);
	free(sc->started);
	free(sc->arguments);
	free(sc->options);
	memset(sc, 0, sizeof(*sc));
}
