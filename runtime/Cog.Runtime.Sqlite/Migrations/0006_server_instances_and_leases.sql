-- The servers sharing this database: one row per running server, its heartbeat renewed every few seconds. A row whose
-- heartbeat is older than the instance TTL belongs to a server that died; a peer marks its pipelines interrupted and
-- deletes the row. identity is the server's data folder's own id: the same server restarting after a crash takes its
-- row back at once, another server asking for a live name is refused.
CREATE TABLE server_instances (
    name TEXT PRIMARY KEY,
    identity TEXT NOT NULL,
    host TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);

-- Work that must run on one server at a time (the token reaper, the sweeper of dead servers): the holder renews its
-- lease before it expires; when it dies, another server takes the lease once it expired. last_run_at tells the next
-- holder when the work last ran.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_run_at BIGINT
);
