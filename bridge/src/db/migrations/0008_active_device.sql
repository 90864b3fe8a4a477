-- The device an agent picked in the top bar: one of their configured devices, or their
-- in-browser softphone. NULL means no choice, so the bridge rings the first configured
-- phone or SIP device.

ALTER TABLE agents ADD COLUMN active_device jsonb;
