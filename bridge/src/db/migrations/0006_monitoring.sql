-- Supervisor monitoring of live calls, and its audit: who listened to, whispered to or
-- barged into which call, in which mode, and when.

CREATE TABLE monitor_sessions (
  id                   bigserial PRIMARY KEY,
  call_id              text NOT NULL REFERENCES calls (id),
  lead_zendesk_user_id bigint NOT NULL,
  mode                 text NOT NULL,                 -- listen | whisper | barge | take_over
  lead_leg_id          text,
  state                text NOT NULL DEFAULT 'ringing',  -- ringing | live | ended | failed
  started_at           timestamptz NOT NULL DEFAULT now(),
  ended_at             timestamptz
);
CREATE INDEX monitor_sessions_call_idx ON monitor_sessions (call_id);

CREATE TABLE monitor_audit (
  id                   bigserial PRIMARY KEY,
  session_id           bigint NOT NULL REFERENCES monitor_sessions (id),
  call_id              text NOT NULL,
  lead_zendesk_user_id bigint NOT NULL,
  action               text NOT NULL,                 -- start | switch | refused_switch | end
  mode                 text NOT NULL,
  detail               text,
  at                   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitor_audit_at_idx ON monitor_audit (at DESC);
