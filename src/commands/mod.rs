//! One module per subcommand; each exposes `run(&Ctx, &Args)`. Shared steps (read,
//! open, seal, write, walk directories) live in `common.rs`. Only this layer
//! orchestrates: it calls stores, the envelope, recipients and `output`.

pub mod audit;
pub mod check;
pub mod common;
pub mod decrypt;
pub mod edit;
pub mod encrypt;
pub mod exec;
pub mod export;
pub mod generate;
pub mod git;
pub mod init;
pub mod rotate;
pub mod scan;
pub mod updatekeys;
pub mod values;
