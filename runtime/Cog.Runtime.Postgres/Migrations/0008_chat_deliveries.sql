-- The chat deliveries some server has taken on (Slack's event ids and messages), so that a delivery Slack repeats,
-- possibly to another server sharing this database, is handled once. Rows older than the deduplication window are
-- deleted by whichever server prunes first.
CREATE TABLE chat_deliveries (
    provider TEXT NOT NULL,
    delivery_key TEXT NOT NULL,
    instance TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    PRIMARY KEY (provider, delivery_key)
);
CREATE INDEX chat_deliveries_claimed_at ON chat_deliveries (claimed_at);
