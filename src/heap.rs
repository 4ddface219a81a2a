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
/// `main`, before any other thread exists. Setting `M_TOP_PAD` also fixes glibc's mmap
/// threshold at its default ([`MMAP_THRESHOLD`]) instead of letting it grow.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn tune() {
    // SAFETY: `mallopt` only sets allocator parameters; it takes no pointers.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
    }
    advise_huge_pages();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}

/// glibc's mmap threshold, which stays fixed once `M_TOP_PAD` is set: blocks above it get
/// mappings of their own, in 4 KB pages, which suits big buffers written only in part.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 << 10;

/// Advises huge pages for the next [`SPAN`] bytes of this thread's heap (after [`tune`]): one
/// block of that size is taken from the heap (the mmap threshold is raised for that one
/// `malloc`, as glibc itself moves it from any thread), the whole huge pages inside it are
/// advised, and it is given back, so the allocations after it are carved out of the same
/// advised memory. Only the block's first and last pages are written (by `malloc` and `free`,
/// outside the advised pages): nothing else is made resident, and each advised 2 MB is made
/// so by the first write to it. Returns the advised addresses (for the test).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn advise_huge_pages() -> std::ops::Range<usize> {
    // SAFETY: `mallopt` takes no pointers. The block is ours between `malloc` and `free` and
    // is never read or written; `madvise` is given only whole pages inside it, and
    // MADV_HUGEPAGE changes how those pages are backed, never what they hold.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, (SPAN + (1 << 20)) as libc::c_int);
        let block = libc::malloc(SPAN);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
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
            // The library is many small allocations: one of the next ones, after 4 MB of them.
            let library_like: Vec<Vec<u8>> = (0..4096).map(|_| vec![1; 1024]).collect();
            let at = library_like.last().map_or(0, |v| v.as_ptr() as usize);
            assert!(advised.contains(&at), "{at:#x} is not in {advised:x?}");
        })
        .join()
        .expect("the thread");
    }
}
