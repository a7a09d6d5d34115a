//! Running one job per file on every core, with a progress bar on a terminal, a
//! summary line, and each failure reported with its file.

use rayon::prelude::*;

use crate::commands::ctx::Ctx;
use crate::commands::jobs::Job;
use crate::error::{Outcome, Result};
use crate::recipients;
use crate::recipients::remote::Deferral;

/// Outcome of one job in a bulk run.
pub enum Done {
    /// Written.
    Written,
    /// Skipped (already in the wanted state), with a reason.
    Skipped,
}

/// A progress bar that appears only on a terminal, only after a second of work.
struct Progress {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
    allowed: bool,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} files [{bar:30}] {per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Self {
            bar,
            start: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
            allowed: !quiet && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        use std::sync::atomic::Ordering;
        self.bar.inc(1);
        if self.allowed
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

/// Errors printed one by one in a bulk run; the rest are counted.
const MAX_REPORTED: usize = 50;

/// Runs `f` over the jobs in parallel, reports each error, prints a summary, and
/// returns an error carrying the highest exit code when any job failed.
///
/// # Errors
/// The single job's error when there was one job. Several jobs report their own
/// errors; the run's [`Outcome::Failed`] carries the highest exit code.
pub fn run_bulk<F>(ctx: &Ctx, verb: &str, jobs: Vec<Job>, f: F) -> Result<Outcome>
where
    F: Fn(&Job) -> Result<Done> + Sync + Send,
{
    let start = std::time::Instant::now();
    let total = jobs.len();
    if total == 1 {
        if let Some(job) = jobs.first() {
            return f(job).map(|_| Outcome::Clean);
        }
    }
    let progress = Progress::new(total, ctx.global.quiet);
    // First pass: files whose key is held by a service start their request and are
    // set aside, so requests overlap instead of waiting one by one.
    let first: Vec<Deferral<Result<Done>>> = jobs
        .par_iter()
        .map(|j| {
            let r = recipients::remote::deferring(|| f(j));
            if matches!(r, Deferral::Ran(_)) {
                progress.tick();
            }
            r
        })
        .collect();
    let later: Vec<usize> = (0..total)
        .filter(|&i| matches!(first.get(i), Some(Deferral::Waiting)))
        .collect();
    // A waiting job's place holds a placeholder until its second run fills it.
    let mut results: Vec<Result<Done>> = first
        .into_iter()
        .map(|d| match d {
            Deferral::Ran(r) => r,
            Deferral::Waiting => Ok(Done::Skipped),
        })
        .collect();
    let second: Vec<(usize, Result<Done>)> = later
        .par_iter()
        .filter_map(|&i| {
            let r = f(jobs.get(i)?);
            progress.tick();
            Some((i, r))
        })
        .collect();
    for (i, r) in second {
        if let Some(slot) = results.get_mut(i) {
            *slot = r;
        }
    }
    progress.bar.finish_and_clear();
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let mut code = 0u8;
    for r in &results {
        match r {
            Ok(Done::Written) => {}
            Ok(Done::Skipped) => skipped += 1,
            Err(e) => {
                failed += 1;
                code = code.max(e.exit_code());
                if failed <= MAX_REPORTED {
                    eprintln!(
                        "sealbox: error: {}",
                        crate::output::escape_name(&e.to_string())
                    );
                }
            }
        }
    }
    if failed > MAX_REPORTED {
        eprintln!("sealbox: … and {} more errors", failed - MAX_REPORTED);
    }
    let done = total - failed - skipped;
    let mut summary = format!(
        "{verb} {done} files in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    if skipped > 0 {
        summary.push_str(&format!(", skipped {skipped} (already {verb})"));
    }
    if failed > 0 {
        summary.push_str(&format!(", {failed} failed"));
    }
    let asked = recipients::remote::requests_sent();
    if asked > 0 {
        summary.push_str(&format!(
            ", {asked} key unwrap request{}",
            if asked == 1 { "" } else { "s" }
        ));
    }
    ctx.note(&summary);
    Ok(if failed > 0 {
        Outcome::Failed { failed, code }
    } else {
        Outcome::Clean
    })
}
