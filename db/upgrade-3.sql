-- db/upgrade-3.sql: schema version 2 -> 3 (compiled into chainaudit and
-- applied in place, in one transaction, by src/store.c).
--
-- Version 3 adds what --db --live records: whether a result audits the
-- chain stored in the database or the chain a handshake showed, and the
-- served chain's hash.  Every row written before version 3 audited the
-- stored chain, so they get 'stored' and no served hash.
ALTER TABLE chainaudit_results ADD COLUMN source TEXT NOT NULL
    DEFAULT 'stored' CHECK (source IN ('stored', 'live'));
ALTER TABLE chainaudit_results ADD COLUMN served_chain_sha256 TEXT;
UPDATE chainaudit_meta SET value = '3' WHERE key = 'schema_version';
