-- db/upgrade-6.sql: schema version 5 -> 6 (compiled into chainaudit and
-- applied in place, in one transaction, by src/store.c on SQLite and by
-- src/store_pg.c on PostgreSQL: the statements are the same on both;
-- PostgreSQL then runs db/upgrade-6-pg.sql for its own table).
--
-- Version 6 records each result's domain row identity: the default
-- table's id, or the value of a --db-query column named row_key.  --diff
-- pairs the rows of two scans by it, so that duplicate domain rows, and
-- rows inserted or removed between the scans, are told apart.  Results
-- written before version 6 (or read by a query without row_key) have
-- NULL: --diff then pairs rows by domain name and their order.
ALTER TABLE chainaudit_results ADD COLUMN row_key TEXT;
CREATE INDEX chainaudit_results_scan_key
    ON chainaudit_results (scan_id, row_key);
UPDATE chainaudit_meta SET value = '6' WHERE key = 'schema_version';
