-- Accounts, roles with their scopes, one-time tokens, the outbox, login throttling
-- and sessions. Times are Unix milliseconds; "disabled_ms" NULL means active.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL CONSTRAINT users_phone_unique UNIQUE,
    display_name TEXT NOT NULL,
    -- NULL until an invited official chooses a password.
    password_hash TEXT,
    -- Changing it ends every session of the user (axum-login's session auth hash).
    session_epoch TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    disabled_ms INTEGER
);

CREATE TABLE role_grants (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    -- '' with scope_kind 'none'; a commune or province code; a council id.
    scope_kind TEXT NOT NULL,
    scope_code TEXT NOT NULL,
    granted_ms INTEGER NOT NULL,
    CONSTRAINT role_grants_unique UNIQUE (user_id, role, scope_kind, scope_code)
);
CREATE INDEX role_grants_by_user ON role_grants (user_id);

-- Invitation and password-reset links: only the SHA-256 of the token is kept.
CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER
);

-- Every SMS or e-mail Sao means to send; a transport delivers pending rows.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    sent_ms INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (state, created_ms);

-- Failed logins per account ("phone:+84…") and per client address ("addr:…").
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start_ms INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL
);

-- tower-sessions records; user_id is read from axum-login's data so that
-- "log out of every device" can remove them all.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT,
    expiry_ms INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expiry_ms);
