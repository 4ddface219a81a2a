//! The allocator's start-up tuning, glibc only (elsewhere these do nothing).
//!
//! - glibc's heap grows 64 MB at a time and keeps what is freed, instead of 128 KB: a start
//!   allocates the whole library at once, and in big steps that is fewer `brk` calls and page
//!   faults (BENCHMARKS.md, 2026-12-02 night: 1–6 ms off the start from the cache). Only
//!   address space is reserved: memory is used as it is touched.
//! - The span each start thread fills is advised for transparent huge pages. In 4 KB pages a
//!   third of a big start's CPU was the kernel's page faults (~3,000 a start at 25,000
//!   episodes, each zeroing, charging and mapping one page); in 2 MB pages it is a handful
//!   (BENCHMARKS.md, 2026-12-04). glibc has this as a tunable
//!   (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), but read from the environment at exec only.
//!   Where THP is off (`never` in `/sys/kernel/mm/transparent_hugepage/enabled`) the advice
//!   is ignored.
//!
//! The crate's only `unsafe` code.

/// How much of a thread's heap is advised: more than a start at 25,000 episodes allocates on
/// one thread.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const SPAN: usize = 16 << 20;

/// The size of a transparent huge page on x86-64 and on most arm64 kernels (a wrong guess
/// only makes the advice cover a little less).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HUGE: usize = 2 << 20;

/// Tunes the allocator and advises huge pages for the calling thread's heap: first thing in
/// `main`, before any other thread exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn tune() {
    // SAFETY: `mallopt` only sets allocator parameters; it takes no pointers.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        // Blocks up to a span come from the heap, not a mapping of their own: so does the
        // span's block in `advise_huge_pages`.
        libc::mallopt(libc::M_MMAP_THRESHOLD, (SPAN + (1 << 20)) as libc::c_int);
    }
    advise_huge_pages();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}

/// Advises huge pages for the next [`SPAN`] bytes of this thread's heap (after [`tune`]):
/// one block of that size is taken from the heap, the whole huge pages inside it are advised,
/// and the block is given back, so the allocations after it are carved out of the same
/// advised memory. Nothing is touched, so nothing is made resident: each advised 2 MB is made
/// so by the first write to it. Returns the advised addresses (for the test).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn advise_huge_pages() -> std::ops::Range<usize> {
    // SAFETY: the block is ours between `malloc` and `free` and is never read or written;
    // `madvise` is given only whole pages inside it, and MADV_HUGEPAGE changes how those
    // pages are backed, never what they hold.
    unsafe {
        let block = libc::malloc(SPAN);
        if block.is_null() {
            return 0..0;
        }
        let at = block as usize;
        let start = at.next_multiple_of(HUGE);
        let end = (at + SPAN) / HUGE * HUGE;
        let advised = end > start
            && libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) == 0;
        libc::free(block);
        if advised { start..end } else { 0..0 }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn advise_huge_pages() -> std::ops::Range<usize> {
    0..0
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    #[test]
    fn a_threads_next_allocations_come_from_the_span_it_advised() {
        // On a thread of its own: its own arena, and `tune` as `main` calls it.
        std::thread::spawn(|| {
            super::tune();
            let advised = super::advise_huge_pages();
            // Only where the kernel offers THP at all.
            let thp = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
                .is_ok_and(|s| !s.contains("[never]"));
            if !thp {
                return;
            }
            assert!(advised.len() >= 8 << 20, "{advised:?}");
            let library_like: Vec<u8> = vec![1; 4 << 20];
            let at = library_like.as_ptr() as usize;
            assert!(
                at + library_like.len() > advised.start && at < advised.end,
                "{at:#x} is not in {advised:x?}"
            );
        })
        .join()
        .expect("the thread");
    }
}
