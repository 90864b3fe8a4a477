-- Transfers and consultations of live calls. A row is written for every cold transfer
-- and every consultation, so the call log can name who the call went to, and so that
-- any bridge process sees a consultation in progress.

CREATE TABLE call_transfers (
  id                bigserial PRIMARY KEY,
  call_id           text NOT NULL REFERENCES calls (id),
  kind              text NOT NULL,                 -- cold | warm
  target_type       text NOT NULL,                 -- agent | queue | number
  target_id         text NOT NULL,                 -- agent id, queue id or E.164 number
  target_label      text NOT NULL,                 -- agent or queue name, or the number, for the call log
  target_agent_id   text REFERENCES agents (id),   -- the agent who answers the consultation, if any
  from_agent_id     text REFERENCES agents (id),
  state             text NOT NULL,                 -- dialing | consulting | conference | target_left | completed | returned | ended
  target_leg_id     text,
  conversation_name text,                          -- the conversation the customer moved into
  created_at        timestamptz NOT NULL DEFAULT now(),
  ended_at          timestamptz
);
CREATE INDEX call_transfers_call_idx ON call_transfers (call_id, id);
-- One consultation at a time per call, whichever bridge process receives the request.
CREATE UNIQUE INDEX call_transfers_one_live_consult ON call_transfers (call_id) WHERE state IN ('dialing', 'consulting', 'conference', 'target_left');

-- Set while the customer's leg is earmuffed, muted and hears hold music.
ALTER TABLE calls ADD COLUMN on_hold boolean NOT NULL DEFAULT false;
