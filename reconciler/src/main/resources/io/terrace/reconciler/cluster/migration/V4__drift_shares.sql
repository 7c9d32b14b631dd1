-- Each node's drift sweep covers the regions that fall to it. Its newest drift report is kept
-- here, one row per node, so that any node's /api/drift shows the whole fleet.
CREATE TABLE terrace_drift_shares (
    node_id  VARCHAR(128) NOT NULL PRIMARY KEY,
    swept_at TIMESTAMP WITH TIME ZONE NOT NULL,
    report   TEXT NOT NULL
);
