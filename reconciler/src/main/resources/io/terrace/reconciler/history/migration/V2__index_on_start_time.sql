-- Index on start time: retention prunes the entries older than a cutoff after every drift sweep.
CREATE INDEX reconcile_history_started_at ON reconcile_history (started_at);
