//! Randomness for data keys and IVs, straight from the OS CSPRNG, fetched 4 KiB at a
//! time per thread so a file with 30 values costs one `getrandom` call instead of 32.
//! Every byte is handed out once and wiped from the pool as it is taken.

use std::cell::RefCell;

use zeroize::Zeroize;

const POOL: usize = 4096;

struct Pool {
    buf: [u8; POOL],
    pos: usize,
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

thread_local! {
    static THREAD_POOL: RefCell<Pool> = const { RefCell::new(Pool { buf: [0; POOL], pos: POOL }) };
}

/// Fills `out` with random bytes.
///
/// # Errors
/// When the OS RNG fails.
pub fn fill(out: &mut [u8]) -> Result<(), getrandom::Error> {
    if out.len() > POOL / 4 {
        return getrandom::fill(out);
    }
    THREAD_POOL.with(|p| {
        let mut p = p.borrow_mut();
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
