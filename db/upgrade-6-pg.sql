-- db/upgrade-6-pg.sql: the PostgreSQL half of schema version 5 -> 6,
-- run by src/store_pg.c right after db/upgrade-6.sql in the same
-- transaction: a running scan's copied rows keep their identity too.
-- Rows copied before version 6 have NULL (their results then do).
ALTER TABLE chainaudit_scan_rows ADD COLUMN row_key TEXT;
