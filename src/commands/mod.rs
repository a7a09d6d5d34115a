//! One module per subcommand; each exposes `run(&Ctx, &Args)`. Shared steps, each in
//! its own module: the context (`ctx`), opening encrypted files (`open`), the job list
//! (`jobs`), the bulk runner (`bulk`), recipients and selectors (`common`). Only this
//! layer orchestrates: it calls stores, the envelope, recipients and `output`.

pub mod audit;
pub mod bulk;
pub mod check;
pub mod common;
pub mod ctx;
pub mod decrypt;
pub mod diff;
pub mod edit;
pub mod encrypt;
pub mod exec;
pub mod export;
pub mod generate;
pub mod git;
pub mod init;
pub mod jobs;
pub mod managed;
pub mod open;
pub mod pull;
pub mod purge;
pub mod push;
pub mod recipients;
pub mod redact;
pub mod render;
pub mod rotate;
pub mod scan;
pub mod scan_values;
pub mod updatekeys;
pub mod values;
