-- db/upgrade-4.sql: schema version 3 -> 4 (compiled into chainaudit and
-- applied in place, in one transaction, by src/store.c on SQLite and by
-- src/store_pg.c on PostgreSQL: the statements are the same on both).
--
-- Version 4 records the options that shape a scan's results as they
-- were given (one "--name" or "--name=value" a line), so that a process
-- joining the scan (--join) takes them from the row instead of having to
-- repeat them.  Scans recorded before version 4 get NULL: joining one
-- still needs its options repeated.  And an index by row number, by
-- which --resume finds what a scan already holds and checks that each
-- row is still where it was.
ALTER TABLE chainaudit_scans ADD COLUMN arguments TEXT;
CREATE INDEX chainaudit_results_scan_row
    ON chainaudit_results (scan_id, row_number);
UPDATE chainaudit_meta SET value = '4' WHERE key = 'schema_version';
