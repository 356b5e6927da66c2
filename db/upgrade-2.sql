-- db/upgrade-2.sql: schema version 1 -> 2 (compiled into chainaudit and
-- applied in place, in one transaction, by src/store.c).
--
-- Version 2 adds what --changed-only needs: the scan a scan copied
-- unchanged rows from, and per result the instant from which time alone
-- may change its verdict.  Rows written by version 1 get NULL there, so
-- --changed-only re-audits them once.
ALTER TABLE chainaudit_scans ADD COLUMN base_scan INTEGER;
ALTER TABLE chainaudit_scans ADD COLUMN rows_carried INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chainaudit_results ADD COLUMN recheck_after TEXT;
ALTER TABLE chainaudit_results ADD COLUMN carried_from INTEGER;
UPDATE chainaudit_meta SET value = '2' WHERE key = 'schema_version';
