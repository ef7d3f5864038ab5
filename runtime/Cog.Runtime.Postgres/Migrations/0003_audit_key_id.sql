-- The audit chain is keyed (format cog-audit-v2): each record names the fingerprint of the key that sealed it. Records
-- written before have none and keep their keyless cog-audit-v1 hashes (Cog.Runtime.Audit.AuditChain).
ALTER TABLE audit_records ADD COLUMN key_id TEXT;
