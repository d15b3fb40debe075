//! Sao's one integration-test binary (zero2prod style): a fresh database per
//! test, Arrange / Act / Assert. Data-layer tests run on SQLite always and on
//! PostgreSQL when `SAO_TEST_POSTGRES_URL` is set (README's test command sets it
//! when a server answers); browser and page-weight tests need the release site
//! (`SAO_RELEASE_BIN`), which the test command builds first.
mod accounts;
mod admin_units;
mod aftercare;
mod audit;
mod authz;
mod authz_personas;
mod browser;
mod browser_catalogue;
mod browser_decision;
mod browser_levels;
mod browser_promotion;
mod browser_roles;
mod browser_seal;
mod browser_shared;
mod browser_walk;
mod catalogue;
mod certificates;
mod commune;
mod commune_register;
mod council;
mod decisions;
mod desk;
mod english;
mod harness;
mod hostile;
mod hostile_accounts;
mod hostile_scopes;
mod http;
mod inspections_offline;
mod layers;
mod levels;
mod links;
mod office_rounds;
mod page_weight;
mod page_weight_network;
mod photos;
mod plan;
mod producer;
mod programme_report;
mod promotion;
mod proposal;
mod repository;
mod schema;
mod scoring_cli;
mod self_report;
mod sittings;
mod sms;
mod support;
mod upgrade;
mod vietnamese_text;
