-- Administrative units in force since 1 July 2025 (no districts).
CREATE TABLE province (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE commune (
    code INTEGER PRIMARY KEY,
    province_code INTEGER NOT NULL REFERENCES province (code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX commune_by_province ON commune (province_code);

-- A deployment running the seed's three-tier plan defines districts as named groups of communes.
CREATE TABLE district_group (
    id TEXT PRIMARY KEY,
    province_code INTEGER NOT NULL REFERENCES province (code),
    name TEXT NOT NULL,
    CONSTRAINT district_group_name_unique UNIQUE (province_code, name)
);

CREATE TABLE district_group_commune (
    group_id TEXT NOT NULL REFERENCES district_group (id),
    commune_code INTEGER NOT NULL REFERENCES commune (code),
    PRIMARY KEY (group_id, commune_code)
);
