-- Calls, their legs and every webhook as received. Vonage ids are text: leg ids are
-- often 32 hex characters without dashes and conversation ids start with "CON-".

CREATE TABLE calls (
  id               text PRIMARY KEY,            -- Vonage conversation_uuid
  direction        text NOT NULL DEFAULT 'inbound',
  caller_leg_id    text,                         -- uuid of the caller's leg, from the answer webhook
  from_raw         text,
  to_raw           text,
  from_e164        text,
  to_e164          text,
  caller_withheld  boolean NOT NULL DEFAULT false,
  language         text NOT NULL DEFAULT 'en',
  destination      text,
  region_url       text,
  ncco             jsonb,                        -- returned again for a duplicated answer request
  status           text NOT NULL DEFAULT 'in_progress',
  outcome          text,
  started_at       timestamptz,
  answered_at      timestamptz,
  ended_at         timestamptz,
  duration_seconds integer,
  talk_seconds     integer,
  zendesk_state    text NOT NULL DEFAULT 'waiting',
  zendesk_error    text,
  requester_id     bigint,
  ticket_id        bigint,
  ticket_reused    boolean,
  zendesk_call_id  bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_started_at_idx ON calls (started_at DESC, id);
CREATE INDEX calls_from_e164_idx ON calls (from_e164);
CREATE INDEX calls_ticket_id_idx ON calls (ticket_id);

CREATE TABLE call_legs (
  id               text PRIMARY KEY,             -- Vonage leg uuid
  call_id          text NOT NULL REFERENCES calls (id),
  direction        text,
  from_raw         text,
  to_raw           text,
  status           text NOT NULL,
  detail           text,
  started_at       timestamptz,
  answered_at      timestamptz,
  ended_at         timestamptz,
  duration_seconds integer
);
CREATE INDEX call_legs_call_id_idx ON call_legs (call_id);

CREATE TABLE call_events (
  id           bigserial PRIMARY KEY,
  call_id      text REFERENCES calls (id),          -- null when an event names no known call
  leg_id       text,
  kind         text NOT NULL,
  status       text,
  occurred_at  timestamptz,
  payload      jsonb NOT NULL,
  content_hash text NOT NULL UNIQUE,              -- duplicates of one delivery collapse here
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_events_call_id_idx ON call_events (call_id, id);

CREATE TABLE recordings (
  id              text PRIMARY KEY,               -- Vonage recording_uuid
  call_id         text NOT NULL REFERENCES calls (id),
  kind            text NOT NULL,                  -- call | voicemail
  url             text,
  size_bytes      bigint,
  started_at      timestamptz,
  ended_at        timestamptz,
  state           text NOT NULL DEFAULT 'pending', -- pending | attached | failed
  reason          text,
  attempts        integer NOT NULL DEFAULT 0,
  file_name       text,
  upload_token    text,
  upload_token_at timestamptz,
  ticket_id       bigint,
  attachment_id   bigint,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recordings_call_id_idx ON recordings (call_id);

-- Zendesk users by phone number, so a lookup never waits for Zendesk's search index.
CREATE TABLE phone_index (
  phone_e164      text PRIMARY KEY,
  zendesk_user_id bigint,
  user_name       text,
  claimed_until   timestamptz,                    -- set while one job creates the user
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Webhook JWT ids seen inside the accepted iat window, to reject replays.
CREATE TABLE webhook_tokens (
  jti         text PRIMARY KEY,
  issued_at   timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_tokens_issued_at_idx ON webhook_tokens (issued_at);
