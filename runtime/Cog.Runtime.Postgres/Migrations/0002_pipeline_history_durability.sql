-- Each user's last pipeline history index, so that concurrent pipelines of one user are numbered one after the other:
-- SqlHistoryStore increments it with UPDATE ... RETURNING, which locks the user's row until the history row is
-- committed (reading MAX(user_index) + 1 instead let concurrent transactions pick the same index).
ALTER TABLE users ADD COLUMN last_pipeline_index BIGINT NOT NULL DEFAULT 0;
UPDATE users SET last_pipeline_index = COALESCE((SELECT MAX(h.user_index) FROM pipeline_history h WHERE h.user_id = users.id), 0);

-- The server instance that runs each pipeline, so that a server restarted after a crash marks the pipelines it left
-- running as interrupted (and only its own, when several servers share the database).
ALTER TABLE pipeline_history ADD COLUMN instance TEXT;
