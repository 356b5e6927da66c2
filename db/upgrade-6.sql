-- db/upgrade-6.sql: schema version 5 -> 6.
--
-- PLACEHOLDER on branch writer: version 6 belongs to branch diff (issue
-- 15, --diff's domain-row identity); this file only keeps the version
-- numbers in order until that branch's upgrade-6.sql replaces it.
UPDATE chainaudit_meta SET value = '6' WHERE key = 'schema_version';
