-- Outbound click-to-call runs in a named conversation, like an inbound queue call, so
-- that hold, consultations, conferences and transfers work the same way. The agent's
-- device is rung first and joins the conversation; once the agent answers, the bridge
-- dials the customer into it.

-- The conversation name the call started with; webhooks of the conversation (its
-- recording) carry it in their URL, so they find the call even before any leg does.
ALTER TABLE calls ADD COLUMN outbound_conversation text;
CREATE UNIQUE INDEX calls_outbound_conversation_idx ON calls (outbound_conversation);
-- The conversation the customer is in now; a completed warm transfer moves them to a new one.
ALTER TABLE calls ADD COLUMN conversation_name text;
-- The leg of the agent who placed the call, until they hand the call over.
ALTER TABLE calls ADD COLUMN agent_leg_id text;
ALTER TABLE calls ADD COLUMN customer_leg_id text;
-- waiting (the agent's device rings) | dialing | dialled | failed | cancelled (the agent
-- hung up before answering). Only the request that moves it from waiting dials the customer.
ALTER TABLE calls ADD COLUMN customer_dial text;
ALTER TABLE calls ADD COLUMN customer_dial_error text;

-- A consultation action (complete, return, conference, end) claims the row before its
-- Voice API requests, so a double click or a second bridge process gets a clear 409.
ALTER TABLE call_transfers ADD COLUMN pending_action text;
ALTER TABLE call_transfers ADD COLUMN pending_since timestamptz;
