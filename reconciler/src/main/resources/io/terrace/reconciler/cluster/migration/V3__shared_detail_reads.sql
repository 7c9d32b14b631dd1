-- The details the nodes' observers read (a bucket's settings, a key's policy...), shared so that
-- the drift sweep, on whichever node it runs, does not read again what another node read within
-- the detail interval. One row per detail; a row with an empty detail marks everything of its
-- environment read before read_at as forgotten (an apply wrote to it). Each write takes the next
-- number of the sequence, and a node takes in the rows numbered after the last it took.
CREATE SEQUENCE terrace_detail_reads_seq;

CREATE TABLE terrace_detail_reads (
    environment VARCHAR(64)  NOT NULL,
    detail      TEXT         NOT NULL,
    seq         BIGINT       NOT NULL,
    node        VARCHAR(128) NOT NULL,
    summary     TEXT         NOT NULL,
    read_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    value       TEXT,
    PRIMARY KEY (environment, detail)
);

CREATE INDEX terrace_detail_reads_by_seq ON terrace_detail_reads (seq);
