-- The agent leg that the agent muted, so that a reloaded sidebar and every bridge process
-- show the mute as Vonage has it. A leg id rather than a flag: after a handover the new
-- agent's leg is a different one, and it starts unmuted.
ALTER TABLE calls ADD COLUMN muted_leg_id text;
