-- Issue 17: the catalogue's search words for each certificate — its product's,
-- its producer's and its commune's names folded without diacritics by the
-- server (`domain::catalogue::search_text`; neither engine folds Vietnamese
-- alike), so a search is one indexed query, not a scan in the server.
CREATE TABLE catalogue_words (
    code TEXT PRIMARY KEY REFERENCES certificates (code),
    folded TEXT NOT NULL
);
