-- Where the IVR editor draws each node of a flow version: { "<node id>": { "x": 0, "y": 0 } }.
-- Kept apart from the definition, which live calls read, and null for versions stored
-- without one (by the ops admin API, or before the editor sent positions).
ALTER TABLE ivr_flows ADD COLUMN layout jsonb;
