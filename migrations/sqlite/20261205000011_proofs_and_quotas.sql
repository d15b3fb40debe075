-- Issue 13: proven phone numbers, roles offered to existing accounts, quotas.

-- A sign-up waiting for the code sent to its number: the account exists only once
-- the code is entered. One row per number; a new sign-up replaces it.
CREATE TABLE pending_sign_ups (
    phone TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- SHA-256 of the six digits.
    code_hash TEXT NOT NULL,
    tries INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);

-- A role offered to a number that already has an account: it attaches only when
-- the holder of that account opens the link sent to the number, signed in.
CREATE TABLE role_offers (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_code TEXT NOT NULL,
    offered_by TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    accepted_ms INTEGER
);
CREATE INDEX role_offers_by_user ON role_offers (user_id);

-- What each account holds against its quotas; reserved in the statement that
-- checks the limit, released when the file or upload goes.
CREATE TABLE account_usage (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    products INTEGER NOT NULL,
    bytes INTEGER NOT NULL
);

-- Who an upload's bytes are charged to (NULL: uploads from before quotas).
ALTER TABLE evidence ADD COLUMN charged_to TEXT;
CREATE INDEX evidence_receiving ON evidence (state, updated_ms);
