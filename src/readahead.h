/*
 * readahead.h: an SQLite VFS that reads a read-only database in large
 * blocks.
 *
 * A database scan reads every page of its input once, in order.  SQLite
 * asks its VFS for one page (4 KB) at a time, and on this kind of VM a
 * 4 KB pread costs 2-3.5 us of system time against under 1 us per 4 KB
 * of a 256 KB one: with a row a page, that was some 4% of a row's CPU.
 * A memory map would save the same but every page it touches stays in
 * the process's resident set, so a large table would grow the RSS with
 * it; this VFS keeps one 256 KB block and serves page reads from it.
 *
 * Only the main database file of a connection opened read-only is
 * cached; journals, WAL files and writable databases go straight to the
 * default VFS.  The block is dropped whenever the connection's lock
 * comes from or goes to "none": another process may change the file
 * between two read transactions, never during one (a rollback-journal
 * writer needs the readers gone; a WAL checkpoint never writes a page
 * that an open reader's snapshot reads from the database file).
 */
#ifndef CHAINAUDIT_READAHEAD_H
#define CHAINAUDIT_READAHEAD_H

/*
 * The VFS's name for sqlite3_open_v2, registered (not as the default)
 * on the first call; NULL when it could not be (the caller then opens
 * with the default VFS).  Thread-safe.
 */
const char	*readahead_vfs(void);

#endif
