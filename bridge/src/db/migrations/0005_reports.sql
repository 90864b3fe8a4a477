-- Reports join the calls of a date range to their offers. For a short range, such as a
-- day, this index lets PostgreSQL look up each call's offers instead of reading them all.
CREATE INDEX offers_call_id_idx ON offers (call_id);
