//! Randomness for IVs: bytes from the OS CSPRNG, fetched 4 KiB at a time per thread so a
//! file with 30 values costs one `getrandom` call instead of 31. Every byte is handed out
//! once and wiped from the pool as it is taken. A pool remembers the process that filled
//! it: after a `fork` the child finds another process id and throws the inherited bytes
//! away, so parent and child never hand out the same IV. Data keys, ephemeral X25519
//! scalars, salts and generated secrets never come from here: they are drawn from the OS
//! each time ([`fill_secret`]).

use std::cell::RefCell;

use zeroize::Zeroize;

const POOL: usize = 4096;

struct Pool {
    buf: [u8; POOL],
    pos: usize,
    /// The process that filled `buf` (0: never filled).
    pid: u32,
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

thread_local! {
    static THREAD_POOL: RefCell<Pool> =
        const { RefCell::new(Pool { buf: [0; POOL], pos: POOL, pid: 0 }) };
}

/// Fills `out` with random bytes for public, unique-only values (IVs), from the
/// per-thread pool.
///
/// # Errors
/// When the OS RNG fails.
pub fn fill(out: &mut [u8]) -> Result<(), getrandom::Error> {
    if out.len() > POOL / 4 {
        return getrandom::fill(out);
    }
    THREAD_POOL.with(|p| {
        let mut p = p.borrow_mut();
        let pid = std::process::id();
        if p.pid != pid {
            // Never filled, or inherited across fork: none of it may be used here.
            p.buf.zeroize();
            p.pos = POOL;
            p.pid = pid;
        }
        if POOL - p.pos < out.len() {
            getrandom::fill(&mut p.buf)?;
            p.pos = 0;
        }
        let start = p.pos;
        let end = start + out.len();
        out.copy_from_slice(&p.buf[start..end]);
        p.buf[start..end].zeroize();
        p.pos = end;
        Ok(())
    })
}

/// Fills `out` with random bytes for a secret (data key, scalar, salt, generated value)
/// straight from the OS RNG: no copy of it ever sits in a pool.
///
/// # Errors
/// When the OS RNG fails.
pub fn fill_secret(out: &mut [u8]) -> Result<(), getrandom::Error> {
    getrandom::fill(out)
}
