-- One schema for the embedded H2 store and PostgreSQL: only types and clauses both understand.
-- Times are epoch milliseconds (BIGINT), so that neither driver's time-zone handling is involved.

CREATE TABLE messages (
  id          VARCHAR(36)      NOT NULL PRIMARY KEY,
  route       VARCHAR(2048)    NOT NULL,
  method      VARCHAR(32)      NOT NULL,
  uri         VARCHAR(65536)   NOT NULL,
  headers     VARCHAR(1000000) NOT NULL,
  body        BYTEA            NOT NULL,
  sender_id   VARCHAR(1024),
  received_at BIGINT           NOT NULL
);

CREATE INDEX messages_received_at ON messages (received_at);

-- One row per message and backend. A claimed delivery is 'delivering' with next_attempt_at = lease_until, so that
-- due work (pending and due, or an expired lease) is one range of the deliveries_due index.
CREATE TABLE deliveries (
  message_id      VARCHAR(36)   NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  backend         VARCHAR(255)  NOT NULL,
  status          VARCHAR(16)   NOT NULL,
  attempts        INTEGER       NOT NULL,
  next_attempt_at BIGINT        NOT NULL,
  lease_owner     VARCHAR(255),
  lease_token     VARCHAR(36),
  lease_until     BIGINT,
  last_status     INTEGER,
  last_error      VARCHAR(4096),
  updated_at      BIGINT        NOT NULL,
  PRIMARY KEY (message_id, backend)
);

CREATE INDEX deliveries_due ON deliveries (backend, status, next_attempt_at);

-- The history of every attempt, for operators: kept as long as its message.
CREATE TABLE attempts (
  message_id    VARCHAR(36)   NOT NULL,
  backend       VARCHAR(255)  NOT NULL,
  attempt       INTEGER       NOT NULL,
  started_at    BIGINT        NOT NULL,
  duration_ms   BIGINT        NOT NULL,
  status        INTEGER,
  outcome       VARCHAR(16)   NOT NULL,
  error         VARCHAR(4096),
  response_head VARCHAR(1024),
  node          VARCHAR(255),
  manual        BOOLEAN       NOT NULL,
  PRIMARY KEY (message_id, backend, attempt),
  FOREIGN KEY (message_id, backend) REFERENCES deliveries (message_id, backend) ON DELETE CASCADE
);

-- The first message of each (route, sender id): the primary key is what makes deduplication hold between nodes.
CREATE TABLE dedup_keys (
  route       VARCHAR(2048) NOT NULL,
  sender_id   VARCHAR(1024) NOT NULL,
  message_id  VARCHAR(36)   NOT NULL,
  accepted_at BIGINT        NOT NULL,
  PRIMARY KEY (route, sender_id)
);

CREATE INDEX dedup_keys_accepted_at ON dedup_keys (accepted_at);
