//! The single integration test crate: drives the real `sealbox` binary (and the real
//! `sops` and `age` CLIs for interop) in throwaway directories.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod attacker;
mod audit;
mod bulk;
mod cli;
mod collector;
mod commands;
mod env;
mod export;
mod fixtures;
mod gitdrivers;
mod hostile;
mod interop;
mod kms;
mod managers;
mod purge;
mod render_managers;
mod rng;
mod roundtrip;
mod runtime;
mod scan;
mod scan_credentials;
mod scan_issue20;
mod scan_values;
mod sops_callers;
mod sops_dropin;
mod sops_dropin_edges;
mod sops_dropin_more;
mod sops_yaml_comments;
mod tamper;
mod team;
mod trust;
mod vectors;
mod yaml_shapes;
