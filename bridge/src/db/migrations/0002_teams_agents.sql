-- Teams work in their own time zone; agents belong to one team and are offered calls
-- only while that team's shift is open.

CREATE TABLE teams (
  id              text PRIMARY KEY,              -- a short slug chosen by the admin, such as "rome"
  name            text NOT NULL,
  time_zone       text NOT NULL,                 -- IANA zone, such as Europe/Rome
  wrap_up_seconds integer NOT NULL DEFAULT 30,
  zendesk_group_id bigint,
  shifts          jsonb NOT NULL DEFAULT '[]',   -- weekly shifts in the team's local time
  holidays        jsonb NOT NULL DEFAULT '[]',   -- whole or partial days off
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id               text PRIMARY KEY,
  zendesk_user_id  bigint NOT NULL UNIQUE,
  name             text NOT NULL,
  team_id          text REFERENCES teams (id),
  languages        text[] NOT NULL DEFAULT '{}',
  skills           text[] NOT NULL DEFAULT '{}',
  devices          jsonb NOT NULL DEFAULT '[]',   -- phone numbers, SIP URIs or in-app users
  state            text NOT NULL DEFAULT 'offline',
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  missed_offers    integer NOT NULL DEFAULT 0,
  current_call_id  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_team_state_idx ON agents (team_id, state, state_changed_at);
