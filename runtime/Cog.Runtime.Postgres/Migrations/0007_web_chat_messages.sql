-- The web console's chat rooms' recent messages, shared by every server on the store (they were a file in each
-- server's data folder): a person sees a room's history whichever server they reach, and a server pushes a message
-- another server stored. Each room keeps its newest messages only (the server drops older ones as it appends).
CREATE TABLE web_chat_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room TEXT NOT NULL,
    author TEXT NOT NULL,
    from_cog BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    html TEXT NOT NULL,
    thread TEXT NULL,
    client_id TEXT NULL
);
CREATE INDEX web_chat_messages_room ON web_chat_messages (room, id);
