-- Cluster coordination: change claims and the drift sweep's shared observations.

-- One row per (environment, revision) whose CHANGE pass some node has scheduled: every node
-- polls git, and only the node that inserts the row schedules the pass.
CREATE TABLE terrace_change_claims (
    environment VARCHAR(64)  NOT NULL,
    revision    VARCHAR(64)  NOT NULL,
    claimed_by  VARCHAR(128) NOT NULL,
    claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (environment, revision)
);

-- The drift sweep's batched observation of each environment, handed to that environment's next
-- pass on whichever node it runs, so the pass does not observe again.
CREATE TABLE terrace_observations (
    environment VARCHAR(64) NOT NULL PRIMARY KEY,
    observed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    document    TEXT        NOT NULL
);

-- When each environment was last applied: an observation from before it is stale.
CREATE TABLE terrace_applies (
    environment VARCHAR(64) NOT NULL PRIMARY KEY,
    applied_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
