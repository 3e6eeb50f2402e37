-- Traces (issue 22): the W3C traceparent of the span that accepted the message, so that each later attempt, after a
-- restart or on another node, is a span of the webhook's trace. NULL when tracing was off at the accept. 55 characters
-- today (version 00); the room is for a future version's. One schema for SQLite and PostgreSQL.
ALTER TABLE messages ADD COLUMN trace_parent VARCHAR(256);
