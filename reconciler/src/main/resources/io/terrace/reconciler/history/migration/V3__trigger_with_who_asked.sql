-- A trigger names who asked for the pass (now:<API token name>, 63 characters at most, several when
-- requests merge): wider than the 32 characters the reasons alone needed. Portable SQL: H2 and PostgreSQL.
ALTER TABLE reconcile_history ALTER COLUMN trigger_reason SET DATA TYPE VARCHAR(1024);
