-- audiencekit identity mirror: schema for H2 (2.x; tested on 2.3.232).
--
-- JdbcStore runs this script itself on first use when the tables are missing. The tables are the same
-- as in schema-postgresql.sql (see the comments there); only the traits type differs: H2 keeps them as
-- CHARACTER LARGE OBJECT. Statements end with ';' at the end of a line.
CREATE TABLE IF NOT EXISTS audiencekit_identity (
  anonymous_id VARCHAR(256) NOT NULL PRIMARY KEY,
  user_id      VARCHAR(256),
  group_id     VARCHAR(256),
  user_traits  CHARACTER LARGE OBJECT NOT NULL,
  group_traits CHARACTER LARGE OBJECT NOT NULL,
  successor    VARCHAR(256),
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  owners       VARCHAR(400)
);
CREATE INDEX IF NOT EXISTS audiencekit_identity_updated_at ON audiencekit_identity (updated_at);

CREATE TABLE IF NOT EXISTS audiencekit_fingerprint_link (
  fingerprint  VARCHAR(64) NOT NULL,
  anonymous_id VARCHAR(256) NOT NULL,
  last_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (fingerprint, anonymous_id)
);
CREATE INDEX IF NOT EXISTS audiencekit_fingerprint_link_last_seen ON audiencekit_fingerprint_link (last_seen);
CREATE INDEX IF NOT EXISTS audiencekit_fingerprint_link_anonymous_id ON audiencekit_fingerprint_link (anonymous_id);
