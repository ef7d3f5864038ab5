-- Whether a trigger accepts requests that a page of another site made a browser send (cross-site request forgery):
-- refused unless the trigger allows them. Existing triggers refuse them.
ALTER TABLE triggers ADD COLUMN allow_cross_origin INTEGER NOT NULL DEFAULT 0;
