-- audiencekit identity mirror: schema for PostgreSQL (9.5 or later; tested on 15).
--
-- JdbcStore runs this script itself on first use when the tables are missing, so nothing needs to be
-- done by hand. Run it yourself (psql -f schema-postgresql.sql) when the application's database user
-- may not create tables; the user then needs SELECT, INSERT, UPDATE, DELETE on both tables.
-- Statements end with ';' at the end of a line; '--' comments are ignored by JdbcStore.
--
-- audiencekit_identity: what analytics.js keeps in localStorage, per anonymousId. Traits are JSON
-- objects stored as text (kept byte-for-byte, unlike jsonb). updated_at drives the store.ttlDays expiry.
-- owners: comma-separated SHA-256 hashes (base64url) of the device keys of the browsers that may read the
-- record (at most 8); successor: '' after a late reset, else the anonymousId the identity moved to.
CREATE TABLE IF NOT EXISTS audiencekit_identity (
  anonymous_id VARCHAR(256) NOT NULL PRIMARY KEY,
  user_id      VARCHAR(256),
  group_id     VARCHAR(256),
  user_traits  TEXT NOT NULL,
  group_traits TEXT NOT NULL,
  successor    VARCHAR(256),
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  owners       VARCHAR(400)
);
CREATE INDEX IF NOT EXISTS audiencekit_identity_updated_at ON audiencekit_identity (updated_at);

-- audiencekit_fingerprint_link: which anonymousIds were seen with a live cookie from which device
-- fingerprint (an HMAC-SHA-256, base64url; never a raw IP or header) and when last. Restore needs
-- exactly one live link per fingerprint; two or more make it ambiguous.
CREATE TABLE IF NOT EXISTS audiencekit_fingerprint_link (
  fingerprint  VARCHAR(64) NOT NULL,
  anonymous_id VARCHAR(256) NOT NULL,
  last_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (fingerprint, anonymous_id)
);
CREATE INDEX IF NOT EXISTS audiencekit_fingerprint_link_last_seen ON audiencekit_fingerprint_link (last_seen);
CREATE INDEX IF NOT EXISTS audiencekit_fingerprint_link_anonymous_id ON audiencekit_fingerprint_link (anonymous_id);
