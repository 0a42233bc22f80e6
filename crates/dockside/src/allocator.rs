//! The global allocator: mimalloc for `dockside check` (analysis allocates many
//! small, short-lived strings on every thread; the corpus run needs a fifth less
//! CPU time), the system allocator for the language server, whose analyses are
//! built and dropped on different threads and which keeps less memory with it
//! (docs/decisions.md). The choice is made once the command is known; a block
//! is always freed by the allocator that made it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

use libmimalloc_sys as mi;
use mimalloc::MiMalloc;

static SYSTEM: AtomicBool = AtomicBool::new(false);

/// New blocks come from the system allocator from now on.
pub fn use_system() {
    SYSTEM.store(true, Ordering::Relaxed);
}

pub struct Allocator;

/// Whether plain `mi_malloc` gives the alignment: like C's `malloc`, it aligns
/// blocks to 16 bytes (`max_align_t`), or to their size when smaller. The
/// aligned entry points cost a few more checks on every call.
fn malloc_aligned(align: usize, size: usize) -> bool {
    align <= 16 && align <= size
}

/// Whether mimalloc made the block at `ptr`. Until [`use_system`] (called
/// before any other thread starts), every block is mimalloc's: no lookup.
fn from_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: only looks the address up in mimalloc's page map.
    !SYSTEM.load(Ordering::Relaxed)
        || unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr as *const c_void) }
}

/// Whether mimalloc made the block at `ptr`, asked of its page map.
#[cfg(test)]
fn in_mimalloc_heap(ptr: *mut u8) -> bool {
    // SAFETY: only looks the address up in mimalloc's page map.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr as *const c_void) }
}

// SAFETY: each call is forwarded to one of two sound allocators; `dealloc` and
// `realloc` go to the one that owns the block.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees are passed on.
        unsafe {
            if SYSTEM.load(Ordering::Relaxed) {
                System.alloc(layout)
            } else if malloc_aligned(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                MiMalloc.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            if SYSTEM.load(Ordering::Relaxed) {
                System.alloc_zeroed(layout)
            } else if malloc_aligned(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                MiMalloc.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the allocator asked here.
        unsafe {
            if from_mimalloc(ptr) {
                MiMalloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from the allocator asked here.
        unsafe {
            if !from_mimalloc(ptr) {
                System.realloc(ptr, layout, new_size)
            } else if malloc_aligned(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                MiMalloc.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_mimalloc_blocks_have_the_alignment_asked() {
        for align in [1, 2, 4, 8, 16, 32, 64] {
            for size in (align..=512).step_by(align) {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero layouts; each block is freed once, with its layout.
                unsafe {
                    let a = Allocator.alloc(layout);
                    let z = Allocator.alloc_zeroed(layout);
                    assert_eq!(a as usize % align, 0, "{size} bytes aligned to {align}");
                    assert_eq!(
                        z as usize % align,
                        0,
                        "{size} zeroed bytes aligned to {align}"
                    );
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    let grown = Allocator.realloc(a, layout, size * 3);
                    assert_eq!(
                        grown as usize % align,
                        0,
                        "{size} → {} bytes aligned to {align}",
                        size * 3
                    );
                    Allocator.dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());
                    Allocator.dealloc(z, layout);
                }
            }
        }
    }

    #[test]
    fn blocks_go_back_to_their_allocator() {
        let layout = Layout::from_size_align(64, 8).unwrap();
        // SAFETY: layouts are non-zero; each block is freed once.
        unsafe {
            let a = MiMalloc.alloc(layout);
            let b = System.alloc(layout);
            assert!(in_mimalloc_heap(a));
            assert!(!in_mimalloc_heap(b));
            use_system();
            let a = Allocator.realloc(a, layout, 4096);
            let b = Allocator.realloc(b, layout, 4096);
            assert!(in_mimalloc_heap(a));
            assert!(!in_mimalloc_heap(b));
            let big = Layout::from_size_align(4096, 8).unwrap();
            Allocator.dealloc(a, big);
            Allocator.dealloc(b, big);
        }
    }
}
