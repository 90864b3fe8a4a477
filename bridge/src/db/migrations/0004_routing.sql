-- Queues, IVR flows, routing rules, and the live state of waiting callers and offers.

CREATE TABLE queues (
  id                     text PRIMARY KEY,
  name                   text NOT NULL,
  team_ids               text[] NOT NULL,          -- follow-the-sun order: first open team serves
  zendesk_group_id       bigint,
  max_wait_seconds       integer NOT NULL DEFAULT 300,
  overflow               jsonb NOT NULL DEFAULT '{"type": "voicemail"}',
  hold_music_url         text,
  announce_every_seconds integer NOT NULL DEFAULT 60,
  ring_seconds           integer NOT NULL DEFAULT 20,
  required_skills        text[] NOT NULL DEFAULT '{}',
  callback_key           text,                     -- a key a waiting caller presses to be called back
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Every saved flow is a new version; calls remember the version they started with.
CREATE TABLE ivr_flows (
  id         text NOT NULL,
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

CREATE TABLE phone_numbers (
  e164       text PRIMARY KEY,
  language   text NOT NULL,
  flow_id    text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE routing_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE calls ADD COLUMN ivr_flow_id text;
ALTER TABLE calls ADD COLUMN ivr_flow_version integer;
ALTER TABLE calls ADD COLUMN queue_id text;
ALTER TABLE calls ADD COLUMN agent_id text;
ALTER TABLE calls ADD COLUMN zendesk_group_id bigint;
ALTER TABLE calls ADD COLUMN route_reason text;

-- Open tickets of callers, refreshed in the background, so routing never waits on Zendesk.
CREATE TABLE caller_tickets (
  phone_e164        text NOT NULL,
  ticket_id         bigint NOT NULL,
  subject           text,
  status            text NOT NULL,
  priority          text,
  assignee_id       bigint,
  group_id          bigint,
  organization_tags text[] NOT NULL DEFAULT '{}',
  updated_at        timestamptz NOT NULL,
  refreshed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (phone_e164, ticket_id)
);

CREATE TABLE queue_entries (
  call_id            text PRIMARY KEY REFERENCES calls (id),
  queue_id           text NOT NULL REFERENCES queues (id),
  state              text NOT NULL DEFAULT 'waiting',  -- waiting | offering | connected | callback | overflowed | abandoned
  priority           integer NOT NULL DEFAULT 0,
  language           text NOT NULL,
  preferred_agent_id text,
  preferred_until    timestamptz,
  caller_leg_id      text,
  region_url         text,
  conversation_name  text NOT NULL,
  callback_number    text,
  enqueued_at        timestamptz NOT NULL DEFAULT now(),
  last_announced_at  timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_entries_order_idx ON queue_entries (state, priority DESC, enqueued_at);

CREATE TABLE offers (
  id           bigserial PRIMARY KEY,
  call_id      text NOT NULL REFERENCES calls (id),
  agent_id     text NOT NULL REFERENCES agents (id),
  state        text NOT NULL DEFAULT 'ringing',        -- ringing | accepted | missed | failed | cancelled | ended
  agent_leg_id text,
  reason       text,
  created_at   timestamptz NOT NULL DEFAULT now(),    -- the routing clock's time of the offer
  inserted_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz
);
-- The database itself refuses a second live offer to one agent or for one call.
CREATE UNIQUE INDEX offers_one_live_per_agent ON offers (agent_id) WHERE state IN ('ringing', 'accepted');
CREATE UNIQUE INDEX offers_one_live_per_call ON offers (call_id) WHERE state IN ('ringing', 'accepted');
CREATE INDEX offers_created_at_idx ON offers (created_at);

-- Conversations a call's legs moved into (a queue's named conversation), so their events
-- and recordings find the call.
CREATE TABLE call_conversations (
  conversation_id text PRIMARY KEY,
  call_id         text NOT NULL REFERENCES calls (id)
);
