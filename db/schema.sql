-- db/schema.sql: chainaudit's SQLite tables, schema version 7.
--
-- Compiled into chainaudit (src/embed.sh) and applied by it, in one
-- transaction, to a results database that has no chainaudit tables yet.
-- A database made by an older chainaudit is upgraded in place, one
-- version at a time (db/upgrade-N.sql, also compiled in); its version is
-- the schema_version row of chainaudit_meta (not PRAGMA user_version,
-- which belongs to the database's owner).
--
-- Every table is named chainaudit_* so that none can clash with the
-- tables of the database the results are written into.  Times are ISO
-- 8601 UTC text (YYYY-MM-DDThh:mm:ssZ), hashes lower-case hex SHA-256.

-- The default domain table: what "chainaudit --db FILE" reads when no
-- --db-query names another.  One row per domain; fill it from your own
-- records, or read your own table with --db-query.
CREATE TABLE IF NOT EXISTS chainaudit_domains (
	id		INTEGER PRIMARY KEY,
	domain		TEXT NOT NULL,	-- also the host name checked
	chain_pem	TEXT,		-- the chain the server sends, PEM
	contact		TEXT		-- whom to tell; copied to results
);

CREATE TABLE chainaudit_meta (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
);
INSERT INTO chainaudit_meta (key, value) VALUES ('schema_version', '7');

-- One row per run of "chainaudit --db".  finished is NULL until the scan
-- completes: status 'running' (or a process that was killed) and
-- 'interrupted' (SIGINT, SIGTERM) scans are what --resume continues.
-- The counts are filled in when the scan completes or is interrupted.
CREATE TABLE chainaudit_scans (
	id		INTEGER PRIMARY KEY,
	started		TEXT NOT NULL,
	finished	TEXT,
	status		TEXT NOT NULL DEFAULT 'running'
			CHECK (status IN ('running', 'interrupted', 'complete')),
	evaluated_at	TEXT NOT NULL,	-- the instant every check used
	source		TEXT NOT NULL,	-- the default table, or the query
	options		TEXT NOT NULL,	-- the options that shape verdicts
	policy_version	TEXT NOT NULL,	-- sha256 of policy data + options
	chainaudit_version TEXT NOT NULL,
	base_scan	INTEGER,	-- v2: --changed-only copied from it
	rows_read	INTEGER NOT NULL DEFAULT 0,
	rows_audited	INTEGER NOT NULL DEFAULT 0,
	rows_carried	INTEGER NOT NULL DEFAULT 0,	-- v2
	rows_pass	INTEGER NOT NULL DEFAULT 0,
	rows_fail	INTEGER NOT NULL DEFAULT 0,
	rows_error	INTEGER NOT NULL DEFAULT 0,
	findings_error	INTEGER NOT NULL DEFAULT 0,
	findings_warning INTEGER NOT NULL DEFAULT 0,
	findings_info	INTEGER NOT NULL DEFAULT 0,
	-- v4: the options that shape results, as given, one "--name" or
	-- "--name=value" a line (backslash and newline escaped): what
	-- --join takes; NULL before v4
	arguments	TEXT
);

-- One row per domain row of a scan.
CREATE TABLE chainaudit_results (
	id		INTEGER PRIMARY KEY,
	scan_id		INTEGER NOT NULL REFERENCES chainaudit_scans (id),
	row_number	INTEGER NOT NULL,	-- position in the input, from 1
	domain		TEXT NOT NULL,
	contact		TEXT,
	chain_sha256	TEXT,		-- of the chain column's bytes as stored
	-- v7: comparisons, not "verdict IN (...)": SQLite builds a
	-- temporary table for an IN list of three or more on every insert
	verdict		TEXT NOT NULL
			CHECK (verdict = 'pass' OR verdict = 'fail' OR
			    verdict = 'error'),
	worst_severity	TEXT NOT NULL,	-- none, info, warning or error
	trusted		INTEGER NOT NULL,	-- a complete path exists
	error		TEXT,		-- why the row could not be audited
	path		TEXT,		-- the chosen path, leaf first
	issuer		TEXT,		-- the CA that issued the leaf
	anchor		TEXT,		-- the trust anchor the path ends at
	recheck_after	TEXT,		-- v2: from then time alone may change
					-- the verdict (expiry); NULL: unknown
	carried_from	INTEGER,	-- v2: --changed-only copied the row
					-- from this scan's audit
	-- v3: the chain the row audits: 'stored' (the chain column) or
	-- 'live' (what a handshake showed, --live; chain_sha256 is still
	-- the stored chain's)
	source		TEXT NOT NULL DEFAULT 'stored'
			CHECK (source IN ('stored', 'live')),
	served_chain_sha256 TEXT,	-- v3: --live: of the served
					-- certificates' DER, concatenated in
					-- the order sent; NULL: none served
	row_key		TEXT		-- v6: the identity of the domain
					-- row (the default table: its id; a
					-- --db-query: its row_key column),
					-- NULL before v6 or without one.
					-- --diff pairs rows by it.
);
CREATE INDEX chainaudit_results_scan_domain
    ON chainaudit_results (scan_id, domain);
CREATE INDEX chainaudit_results_scan_row	-- v4: --resume
    ON chainaudit_results (scan_id, row_number);
CREATE INDEX chainaudit_results_scan_key	-- v6: --diff
    ON chainaudit_results (scan_id, row_key);

-- One row per finding of a result.
CREATE TABLE chainaudit_findings (
	result_id	INTEGER NOT NULL REFERENCES chainaudit_results (id),
	scan_id		INTEGER NOT NULL,
	domain		TEXT NOT NULL,
	code		TEXT NOT NULL,	-- chainaudit --explain CODE
	severity	TEXT NOT NULL,	-- info, warning or error
	cert_sha256	TEXT,		-- the certificate concerned, or NULL
	message		TEXT NOT NULL,
	-- v5: when it breaks clients, or began to (notAfter, the distrust
	-- decision's effective date, the SHA-1 sunset); NULL: no date
	deadline	TEXT,
	-- v5: what to do, with the specifics (chainaudit --explain CODE
	-- has the catalog's general advice)
	fix		TEXT
);
CREATE INDEX chainaudit_findings_result ON chainaudit_findings (result_id);
CREATE INDEX chainaudit_findings_scan_code
    ON chainaudit_findings (scan_id, code);
