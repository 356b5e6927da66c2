-- db/upgrade-5.sql: schema version 4 -> 5 (compiled into chainaudit and
-- applied in place, in one transaction, by src/store.c and, the same
-- text, by src/store_pg.c).
--
-- Version 5 adds what --notify reads: each finding's deadline (when it
-- breaks clients, or began to) and its fix text with the specifics.
-- Findings written before version 5 have neither: --notify falls back
-- to the catalog's advice for their code.
ALTER TABLE chainaudit_findings ADD COLUMN deadline TEXT;
ALTER TABLE chainaudit_findings ADD COLUMN fix TEXT;
UPDATE chainaudit_meta SET value = '5' WHERE key = 'schema_version';
