-- Audit of recording playback from the Zendesk app: one row per link the bridge issued,
-- with who asked for it and how often the file was streamed through it.

CREATE TABLE app_playbacks (
  id               text PRIMARY KEY,              -- random uuid, carried by the signed link
  recording_id     text NOT NULL REFERENCES recordings (id),
  call_id          text NOT NULL REFERENCES calls (id),
  zendesk_user_id  bigint NOT NULL,
  user_name        text,
  issued_at        timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  plays            integer NOT NULL DEFAULT 0,
  first_played_at  timestamptz,
  last_played_at   timestamptz
);
CREATE INDEX app_playbacks_recording_idx ON app_playbacks (recording_id, issued_at);
CREATE INDEX app_playbacks_user_idx ON app_playbacks (zendesk_user_id, issued_at);

-- What agents did with an offered call in the app (accepted, declined), for routing and reports.
CREATE TABLE app_offer_actions (
  id               bigserial PRIMARY KEY,
  offer_id         text NOT NULL,
  call_id          text NOT NULL,
  zendesk_user_id  bigint NOT NULL,
  action           text NOT NULL,                 -- accepted | declined
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX app_offer_actions_call_idx ON app_offer_actions (call_id);
