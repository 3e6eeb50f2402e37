-- An operator's lists of dead and cancelled deliveries (the dashboard's status filter, a bulk retry of the dead):
-- a few among millions of delivered ones, which a scan from the newest message took about a second per million
-- messages to find. Partial, so that a delivery pays for them only when it dies or is cancelled, not on its way to
-- delivered; a query uses them only with the status written as a literal.
CREATE INDEX deliveries_dead ON deliveries (message_id, backend) WHERE status = 'dead';
CREATE INDEX deliveries_cancelled ON deliveries (message_id, backend) WHERE status = 'cancelled';
