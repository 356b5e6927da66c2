-- db/schema-pg.sql: chainaudit's PostgreSQL tables, schema version 7.
--
-- The same tables and columns as db/schema.sql (SQLite), with the same
-- meaning, so that a query written against one works on the other:
-- times are ISO 8601 UTC text (YYYY-MM-DDThh:mm:ssZ), hashes lower-case
-- hex SHA-256, trusted is the integer 0 or 1.  Compiled into chainaudit
-- (src/embed.sh) and applied by src/store_pg.c, in one transaction under
-- an advisory lock (so that processes starting together create it
-- once), to a database that has no chainaudit tables yet.
--
-- Two tables more than SQLite's let many processes share one scan
-- (--join): the scan's input rows, copied when the scan is created so
-- that every process reads the same rows in the same order, and the
-- batches of those rows that processes claim under a lease.

CREATE TABLE IF NOT EXISTS chainaudit_domains (
	id		BIGSERIAL PRIMARY KEY,
	domain		TEXT NOT NULL,
	chain_pem	TEXT,
	contact		TEXT
);

CREATE TABLE chainaudit_meta (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
);
INSERT INTO chainaudit_meta (key, value) VALUES ('schema_version', '7');

-- finished is set, exactly once, by the transaction that completes the
-- scan's last batch; 'running' scans are what --join and --resume
-- continue.
CREATE TABLE chainaudit_scans (
	id		BIGSERIAL PRIMARY KEY,
	started		TEXT NOT NULL,
	finished	TEXT,
	status		TEXT NOT NULL DEFAULT 'running'
			CHECK (status IN ('running', 'interrupted', 'complete')),
	evaluated_at	TEXT NOT NULL,
	source		TEXT NOT NULL,
	options		TEXT NOT NULL,
	policy_version	TEXT NOT NULL,
	chainaudit_version TEXT NOT NULL,
	base_scan	BIGINT,
	rows_read	BIGINT NOT NULL DEFAULT 0,
	rows_audited	BIGINT NOT NULL DEFAULT 0,
	rows_carried	BIGINT NOT NULL DEFAULT 0,
	rows_pass	BIGINT NOT NULL DEFAULT 0,
	rows_fail	BIGINT NOT NULL DEFAULT 0,
	rows_error	BIGINT NOT NULL DEFAULT 0,
	findings_error	BIGINT NOT NULL DEFAULT 0,
	findings_warning BIGINT NOT NULL DEFAULT 0,
	findings_info	BIGINT NOT NULL DEFAULT 0,
	arguments	TEXT		-- v4: what --join takes (schema.sql)
);

CREATE TABLE chainaudit_results (
	id		BIGSERIAL PRIMARY KEY,
	scan_id		BIGINT NOT NULL REFERENCES chainaudit_scans (id),
	row_number	BIGINT NOT NULL,
	domain		TEXT NOT NULL,
	contact		TEXT,
	chain_sha256	TEXT,
	verdict		TEXT NOT NULL
			CHECK (verdict IN ('pass', 'fail', 'error')),
	worst_severity	TEXT NOT NULL,
	trusted		INTEGER NOT NULL,
	error		TEXT,
	path		TEXT,
	issuer		TEXT,
	anchor		TEXT,
	recheck_after	TEXT,
	carried_from	BIGINT,
	source		TEXT NOT NULL DEFAULT 'stored'
			CHECK (source IN ('stored', 'live')),
	served_chain_sha256 TEXT,
	row_key		TEXT		-- v6: the domain row's identity
);
CREATE INDEX chainaudit_results_scan_domain
    ON chainaudit_results (scan_id, domain);
CREATE INDEX chainaudit_results_scan_row	-- v4: --resume
    ON chainaudit_results (scan_id, row_number);
CREATE INDEX chainaudit_results_scan_key	-- v6: --diff
    ON chainaudit_results (scan_id, row_key);

CREATE TABLE chainaudit_findings (
	result_id	BIGINT NOT NULL REFERENCES chainaudit_results (id),
	scan_id		BIGINT NOT NULL,
	domain		TEXT NOT NULL,
	code		TEXT NOT NULL,
	severity	TEXT NOT NULL,
	cert_sha256	TEXT,
	message		TEXT NOT NULL,
	deadline	TEXT,
	fix		TEXT
);
CREATE INDEX chainaudit_findings_result ON chainaudit_findings (result_id);
CREATE INDEX chainaudit_findings_scan_code
    ON chainaudit_findings (scan_id, code);

-- PostgreSQL only: the rows of a running scan, numbered from 1 in the
-- order the domain query returned them; deleted when the scan completes.
CREATE TABLE chainaudit_scan_rows (
	scan_id		BIGINT NOT NULL REFERENCES chainaudit_scans (id),
	row_number	BIGINT NOT NULL,
	domain		TEXT,
	chain		BYTEA,		-- the chain column's bytes
	contact		TEXT,
	connect		TEXT,
	row_key		TEXT,		-- v6: the row's identity
	PRIMARY KEY (scan_id, row_number)
);

-- PostgreSQL only: a scan's rows in batches.  A process claims a batch
-- (owner, lease_until) and completes it (done) in the transaction that
-- commits its results, only while it still owns it; a batch whose lease
-- ran out is claimed again by another process.
CREATE TABLE chainaudit_batches (
	scan_id		BIGINT NOT NULL REFERENCES chainaudit_scans (id),
	batch_no	INTEGER NOT NULL,
	first_row	BIGINT NOT NULL,
	last_row	BIGINT NOT NULL,
	owner		TEXT,		-- host:pid:nonce of the claimant
	lease_until	TIMESTAMPTZ,
	done		BOOLEAN NOT NULL DEFAULT false,
	PRIMARY KEY (scan_id, batch_no)
);
