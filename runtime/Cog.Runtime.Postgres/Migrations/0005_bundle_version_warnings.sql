-- What a version's manifest was accepted with but should fix (a version 4/5 manifest giving a key twice), as a JSON
-- array of texts ("line 12, column 5: Duplicate key ..."); shown by the API and cogctl with the version.
ALTER TABLE bundle_versions ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
