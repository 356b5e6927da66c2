/*
 * readahead.c: the read-ahead SQLite VFS; see readahead.h.
 *
 * A shim over the default VFS in the manner of SQLite's own vfstrace.c:
 * every file is the default VFS's file preceded by a small header, and
 * every method forwards to it.  Only xRead of a cached file differs.
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "readahead.h"

#define RA_NAME		"chainaudit-readahead"
#define RA_BLOCK	(256 * 1024)	/* a power of two: pages never
					   straddle two blocks */

struct ra_file {
	sqlite3_file	 base;		/* pMethods: ra_methods, or NULL */
	sqlite3_file	*real;		/* the default VFS's file, after us */
	int		 cache;		/* a read-only main database */
	int		 lock;		/* SQLITE_LOCK_*, as last granted */
	unsigned char	*block;		/* owned: RA_BLOCK bytes, or NULL */
	sqlite3_int64	 block_off;	/* of block[0] in the file */
	int		 block_len;	/* valid bytes; 0: nothing cached */
};

static sqlite3_vfs ra_vfs;
static pthread_once_t ra_once = PTHREAD_ONCE_INIT;
static int ra_ok;

#define REAL_VFS	((sqlite3_vfs *)ra_vfs.pAppData)
#define REAL(f)		(((struct ra_file *)(f))->real)
#define RM(f)		(REAL(f)->pMethods)

/* Forget the block: the file may change before the next read. */
static void
ra_drop(struct ra_file *r)
{
	r->block_len = 0;
}

static int
ra_close(sqlite3_file *f)
{
	struct ra_file *r = (struct ra_file *)f;
	int rc;

	rc = RM(f)->xClose(r->real);
	free(r->block);
	r->block = NULL;
	return rc;
}

/*
 * Fill the block that holds offset off.  SQLITE_OK with block_len 0
 * when off is at or past the end of the file.
 */
static int
ra_fill(struct ra_file *r, sqlite3_int64 off)
{
	sqlite3_int64 size, start = off - off % RA_BLOCK;
	int n, rc;

	ra_drop(r);
	if (r->block == NULL && (r->block = malloc(RA_BLOCK)) == NULL)
		return SQLITE_NOMEM;
	if ((rc = r->real->pMethods->xFileSize(r->real, &size)) != SQLITE_OK)
		return rc;
	if (size <= start)
		return SQLITE_OK;
	n = size - start < RA_BLOCK ? (int)(size - start) : RA_BLOCK;
	if ((rc = r->real->pMethods->xRead(r->real, r->block, n, start)) !=
	    SQLITE_OK)
		return rc;
	r->block_off = start;
	r->block_len = n;
	return SQLITE_OK;
}

/* 1 when the block holds all of [off, off + amt). */
static int
ra_holds(const struct ra_file *r, sqlite3_int64 off, int amt)
{
	return r->block_len > 0 && off >= r->block_off &&
	    off + amt <= r->block_off + r->block_len;
}

/*
 * A read the block can answer is copied from it; anything else (a
 * read across blocks or past the end, where the default VFS's short
 * read rules apply, or a failed fill) is the default VFS's, as before.
 */
static int
ra_read(sqlite3_file *f, void *out, int amt, sqlite3_int64 off)
{
	struct ra_file *r = (struct ra_file *)f;

	if (r->cache && amt > 0 && amt <= RA_BLOCK && off >= 0) {
		if (!ra_holds(r, off, amt))
			(void)ra_fill(r, off);
		if (ra_holds(r, off, amt)) {
			memcpy(out, r->block + (off - r->block_off),
			    (size_t)amt);
			return SQLITE_OK;
		}
	}
	return RM(f)->xRead(r->real, out, amt, off);
}

static int
ra_write(sqlite3_file *f, const void *in, int amt, sqlite3_int64 off)
{
	ra_drop((struct ra_file *)f);
	return RM(f)->xWrite(REAL(f), in, amt, off);
}

static int
ra_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	ra_drop((struct ra_file *)f);
	return RM(f)->xTruncate(REAL(f), size);
}

static int
ra_sync(sqlite3_file *f, int flags)
{
	return RM(f)->xSync(REAL(f), flags);
}

static int
ra_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return RM(f)->xFileSize(REAL(f), size);
}

/* A read transaction starts: what was cached may be stale. */
static int
ra_lock(sqlite3_file *f, int level)
{
	struct ra_file *r = (struct ra_file *)f;
	int rc;

	if ((rc = RM(f)->xLock(r->real, level)) == SQLITE_OK) {
		if (r->lock == SQLITE_LOCK_NONE)
			ra_drop(r);
		r->lock = level;
	}
	return rc;
}

static int
ra_unlock(sqlite3_file *f, int level)
{
	struct ra_file *r = (struct ra_file *)f;
	int rc;

	rc = RM(f)->xUnlock(r->real, level);
	if (level == SQLITE_LOCK_NONE)
		ra_drop(r);
	if (rc == SQLITE_OK && level < r->lock)
		r->lock = level;
	return rc;
}

static int
ra_check_reserved(sqlite3_file *f, int *out)
{
	return RM(f)->xCheckReservedLock(REAL(f), out);
}

static int
ra_file_control(sqlite3_file *f, int op, void *arg)
{
	return RM(f)->xFileControl(REAL(f), op, arg);
}

static int
ra_sector_size(sqlite3_file *f)
{
	return RM(f)->xSectorSize(REAL(f));
}

static int
ra_device(sqlite3_file *f)
{
	return RM(f)->xDeviceCharacteristics(REAL(f));
}

static int
ra_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
    void volatile **pp)
{
	return RM(f)->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

/*
 * In WAL mode the database file's shared lock is held from one read
 * transaction to the next, and each begins and ends with the WAL's read
 * locks here: a checkpoint may have written the file in between.
 */
static int
ra_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	ra_drop((struct ra_file *)f);
	return RM(f)->xShmLock(REAL(f), offset, n, flags);
}

static void
ra_shm_barrier(sqlite3_file *f)
{
	RM(f)->xShmBarrier(REAL(f));
}

static int
ra_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return RM(f)->xShmUnmap(REAL(f), delete_flag);
}

/* Version 2: WAL works; no xFetch, so SQLite never maps the file. */
static const sqlite3_io_methods ra_methods = {
	2,
	ra_close, ra_read, ra_write, ra_truncate, ra_sync, ra_file_size,
	ra_lock, ra_unlock, ra_check_reserved, ra_file_control,
	ra_sector_size, ra_device,
	ra_shm_map, ra_shm_lock, ra_shm_barrier, ra_shm_unmap,
	NULL, NULL
};

static int
ra_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct ra_file *r = (struct ra_file *)f;
	int rc;

	(void)vfs;
	memset(r, 0, sizeof(*r));
	r->real = (sqlite3_file *)(r + 1);
	rc = REAL_VFS->xOpen(REAL_VFS, name, r->real, flags, out_flags);
	if (r->real->pMethods == NULL)
		return rc;	/* base.pMethods stays NULL: nothing to close */
	r->base.pMethods = &ra_methods;
	r->cache = (flags & SQLITE_OPEN_MAIN_DB) &&
	    (flags & SQLITE_OPEN_READONLY) && r->real->pMethods->iVersion >= 2;
	return rc;
}

static int
ra_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return REAL_VFS->xDelete(REAL_VFS, name, sync_dir);
}

static int
ra_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return REAL_VFS->xAccess(REAL_VFS, name, flags, out);
}

static int
ra_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return REAL_VFS->xFullPathname(REAL_VFS, name, n, out);
}

static void *
ra_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return REAL_VFS->xDlOpen(REAL_VFS, name);
}

static void
ra_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	REAL_VFS->xDlError(REAL_VFS, n, msg);
}

static void
(*ra_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return REAL_VFS->xDlSym(REAL_VFS, h, sym);
}

static void
ra_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	REAL_VFS->xDlClose(REAL_VFS, h);
}

static int
ra_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return REAL_VFS->xRandomness(REAL_VFS, n, out);
}

static int
ra_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return REAL_VFS->xSleep(REAL_VFS, us);
}

static int
ra_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return REAL_VFS->xCurrentTime(REAL_VFS, out);
}

static int
ra_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return REAL_VFS->xGetLastError(REAL_VFS, n, out);
}

static int
ra_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return REAL_VFS->xCurrentTimeInt64(REAL_VFS, out);
}

static void
ra_register(void)
{
	sqlite3_vfs *real;

	if (sqlite3_initialize() != SQLITE_OK ||
	    (real = sqlite3_vfs_find(NULL)) == NULL || real->iVersion < 2 ||
	    real->xCurrentTimeInt64 == NULL)
		return;
	memset(&ra_vfs, 0, sizeof(ra_vfs));
	ra_vfs.iVersion = 2;
	ra_vfs.szOsFile = (int)sizeof(struct ra_file) + real->szOsFile;
	ra_vfs.mxPathname = real->mxPathname;
	ra_vfs.zName = RA_NAME;
	ra_vfs.pAppData = real;
	ra_vfs.xOpen = ra_open;
	ra_vfs.xDelete = ra_delete;
	ra_vfs.xAccess = ra_access;
	ra_vfs.xFullPathname = ra_full_pathname;
	ra_vfs.xDlOpen = ra_dl_open;
	ra_vfs.xDlError = ra_dl_error;
	ra_vfs.xDlSym = ra_dl_sym;
	ra_vfs.xDlClose = ra_dl_close;
	ra_vfs.xRandomness = ra_randomness;
	ra_vfs.xSleep = ra_sleep;
	ra_vfs.xCurrentTime = ra_current_time;
	ra_vfs.xGetLastError = ra_last_error;
	ra_vfs.xCurrentTimeInt64 = ra_current_time64;
	ra_ok = sqlite3_vfs_register(&ra_vfs, 0) == SQLITE_OK;
}

const char *
readahead_vfs(void)
{
	pthread_once(&ra_once, ra_register);
	return ra_ok ? RA_NAME : NULL;
}
