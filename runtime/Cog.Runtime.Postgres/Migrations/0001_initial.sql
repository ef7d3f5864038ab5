-- Cog store, version 1 (PostgreSQL). Ids are UUID strings; times are microseconds since the Unix epoch (UTC).
-- Applied in one transaction by the migrator, which records it in schema_migrations.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email_address TEXT NOT NULL UNIQUE,
    first_name TEXT,
    last_name TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL
);

CREATE TABLE chat_handles (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    handle TEXT NOT NULL,
    provider_user_id TEXT NOT NULL,
    UNIQUE (user_id, provider),
    UNIQUE (provider, handle),
    UNIQUE (provider, provider_user_id)
);

CREATE TABLE user_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE group_roles (
    group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    PRIMARY KEY (group_id, role_id)
);
CREATE INDEX group_roles_role ON group_roles (role_id);

CREATE TABLE bundles (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    installed_at BIGINT NOT NULL
);

CREATE TABLE permissions (
    id TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    bundle_id TEXT REFERENCES bundles (id) ON DELETE CASCADE,
    UNIQUE (namespace, name)
);
CREATE INDEX permissions_bundle ON permissions (bundle_id);

CREATE TABLE role_permissions (
    role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_id TEXT NOT NULL REFERENCES permissions (id) ON DELETE RESTRICT,
    PRIMARY KEY (role_id, permission_id)
);
CREATE INDEX role_permissions_permission ON role_permissions (permission_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);

CREATE TABLE bundle_versions (
    id TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    manifest_json TEXT NOT NULL,
    description TEXT,
    package_digest TEXT,
    package BYTEA,
    enabled BOOLEAN NOT NULL,
    installed_at BIGINT NOT NULL,
    UNIQUE (bundle_id, version)
);
-- One enabled version per bundle, enforced by the database.
CREATE UNIQUE INDEX bundle_versions_one_enabled ON bundle_versions (bundle_id) WHERE enabled;

CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (bundle_id, name)
);

CREATE TABLE command_versions (
    command_id TEXT NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
    bundle_version_id TEXT NOT NULL REFERENCES bundle_versions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    options_json TEXT NOT NULL,
    PRIMARY KEY (command_id, bundle_version_id)
);
CREATE INDEX command_versions_version ON command_versions (bundle_version_id);

CREATE TABLE rules (
    id TEXT PRIMARY KEY,
    command_id TEXT NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
    rule_text TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    site BOOLEAN NOT NULL,
    UNIQUE (command_id, rule_text)
);

CREATE TABLE rule_versions (
    rule_id TEXT NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    bundle_version_id TEXT NOT NULL REFERENCES bundle_versions (id) ON DELETE CASCADE,
    PRIMARY KEY (rule_id, bundle_version_id)
);
CREATE INDEX rule_versions_version ON rule_versions (bundle_version_id);

CREATE TABLE aliases (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX aliases_user_name ON aliases (owner_user_id, name) WHERE owner_user_id IS NOT NULL;
CREATE UNIQUE INDEX aliases_site_name ON aliases (name) WHERE owner_user_id IS NULL;

CREATE TABLE relays (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,
    description TEXT,
    enabled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE relay_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE relay_group_members (
    group_id TEXT NOT NULL REFERENCES relay_groups (id) ON DELETE CASCADE,
    relay_id TEXT NOT NULL REFERENCES relays (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, relay_id)
);
CREATE INDEX relay_group_members_relay ON relay_group_members (relay_id);

CREATE TABLE relay_group_bundles (
    group_id TEXT NOT NULL REFERENCES relay_groups (id) ON DELETE CASCADE,
    bundle_id TEXT NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, bundle_id)
);

CREATE TABLE config_layers (
    bundle_id TEXT NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    config_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (bundle_id, layer)
);

CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    description TEXT,
    as_user TEXT,
    timeout_seconds INTEGER NOT NULL,
    enabled BOOLEAN NOT NULL
);
CREATE INDEX triggers_as_user ON triggers (as_user);

CREATE TABLE pipeline_history (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_index BIGINT NOT NULL,
    pipeline_text TEXT NOT NULL,
    room TEXT,
    provider TEXT,
    item_count BIGINT NOT NULL,
    state TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    UNIQUE (user_id, user_index)
);
CREATE INDEX pipeline_history_state ON pipeline_history (state);

-- Append-only and hash-chained (Cog.Runtime.Audit.AuditChain). The payload is TEXT on purpose: it is hashed byte
-- for byte.
CREATE TABLE audit_records (
    sequence BIGINT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    command TEXT,
    outcome TEXT,
    payload TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_records_actor ON audit_records (actor, sequence);
CREATE INDEX audit_records_command ON audit_records (command, sequence);
CREATE INDEX audit_records_time ON audit_records (occurred_at);
