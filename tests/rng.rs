//! The IV pool after `fork`: parent and child must never hand out the same bytes
//! (issue 14, finding 3). Data keys never come from the pool at all.

// fork() and _exit() have no safe wrapper in our dependencies; the child only draws
// random bytes, writes them to a pipe and exits.
#![allow(unsafe_code)]

use std::io::Read as _;
use std::os::fd::FromRawFd as _;

#[test]
fn iv_pool_is_not_shared_across_fork() {
    // Fill this thread's pool, so a child would inherit unused bytes.
    let mut first = [0u8; 32];
    sealbox::crypto::rng::fill(&mut first).unwrap();

    let mut fds = [0i32; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let mut iv = [0u8; 32];
        let ok = sealbox::crypto::rng::fill(&mut iv).is_ok();
        let code = if ok && unsafe { libc::write(fds[1], iv.as_ptr().cast(), iv.len()) } == 32 {
            0
        } else {
            1
        };
        unsafe { libc::_exit(code) };
    }
    unsafe { libc::close(fds[1]) };
    let mut parent = [0u8; 32];
    sealbox::crypto::rng::fill(&mut parent).unwrap();
    let mut child = Vec::new();
    let mut pipe = unsafe { std::fs::File::from_raw_fd(fds[0]) };
    pipe.read_to_end(&mut child).unwrap();
    let mut status = 0;
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(status, 0, "child failed");
    assert_eq!(child.len(), 32);
    assert_ne!(
        child.as_slice(),
        parent.as_slice(),
        "child reused the parent's pool"
    );
    assert_ne!(first, parent);
}
