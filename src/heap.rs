//! The wasm module's memory allocator: size classes with a free list each, carved from the memory the
//! host gives. O(1) allocation and release, under 1 KB of code (std's dlmalloc costs 7 KB). Freed blocks
//! are kept for their class, never coalesced: the client's allocations are a few recurring sizes, so this
//! stays flat over a long session.
//!
//! The classes are the powers of two and, from 48 bytes up, the sizes halfway between (48, 96, 192, ...,
//! 768, ...): a block wastes at most a third of itself instead of half. (A Manager's state, about 720
//! bytes, takes a 768-byte block, not 1 KiB.)
//!
//! A class takes memory in runs of [`RUN_BLOCKS`] blocks (at least [`MIN_RUN`] bytes, at most a
//! [`PAGE`]), not a page each: a connected Manager uses about ten classes, mostly one or two blocks of
//! each, and small runs keep its whole heap inside the module's first 64 KiB wasm page.

/// The largest run; blocks of this size and above are taken one at a time, aligned to it.
pub const PAGE: usize = 4096;

/// Blocks a class takes from fresh memory at once.
const RUN_BLOCKS: usize = 8;

/// The smallest run, so the tiniest classes do not come back for more every few allocations.
const MIN_RUN: usize = 256;

/// The smallest block: it must hold the free list's link.
const MIN_BLOCK: usize = core::mem::size_of::<usize>();

/// Size classes: class `2c` holds blocks of `2^c` bytes, class `2c + 1` (from `c` = [`HALF_STEPS_FROM`])
/// blocks of `3 * 2^(c - 1)` bytes, aligned to `2^(c - 1)`.
const CLASSES: usize = 2 * usize::BITS as usize;

/// The first `c` with a class between `2^c` and `2^(c + 1)`: 48-byte blocks, 16-aligned.
const HALF_STEPS_FROM: u32 = 5;

/// Where fresh memory comes from: the wasm `memory.grow` in the browser, a test arena natively.
pub trait Pages {
    /// Adds at least `bytes` of memory, returning its start address and the size actually added, or `None`
    /// when memory is exhausted.
    fn grow(&mut self, bytes: usize) -> Option<(usize, usize)>;
}

/// The allocator's state: a free list per class and the unused tail of the last growth.
pub struct Heap<P: Pages> {
    /// Head of each class's free list (0 = empty); each free block starts with the next one's address.
    free: [usize; CLASSES],
    /// The unused memory `[bump, end)`.
    bump: usize,
    end: usize,
    pages: P,
}

/// The class of a request, or `None` if it cannot be served (alignment above a page, or too large).
pub fn class_of(size: usize, align: usize) -> Option<usize> {
    if align > PAGE {
        return None;
    }
    let needed = size.max(align).max(MIN_BLOCK);
    let c = needed.checked_next_power_of_two()?.trailing_zeros();
    // `needed` is above 2^(c - 1): the half step below 2^c serves it if it fits and is aligned enough.
    let half = c.checked_sub(1).filter(|&below| below >= HALF_STEPS_FROM);
    match half {
        Some(below) if needed <= 3 << (below - 1) && align <= 1 << (below - 1) => Some(2 * below as usize + 1),
        _ => Some(2 * c as usize),
    }
}

/// The size of class `class`'s blocks and the alignment they are carved at.
fn block_of(class: usize) -> (usize, usize) {
    let c = class / 2;
    let (block, align) = if class.is_multiple_of(2) { (1 << c, 1 << c) } else { (3 << (c - 1), 1 << (c - 1)) };
    (block, align.min(PAGE))
}

impl<P: Pages> Heap<P> {
    /// An empty heap over `pages`.
    pub const fn new(pages: P) -> Self {
        Heap { free: [0; CLASSES], bump: 0, end: 0, pages }
    }

    /// A block for `size` bytes aligned to `align`, or null.
    ///
    /// # Safety
    /// The memory handed out by `pages` must be valid for reads and writes and owned by this heap.
    pub unsafe fn alloc(&mut self, size: usize, align: usize) -> *mut u8 {
        let Some(class) = class_of(size, align) else { return core::ptr::null_mut() };
        let head = self.free[class];
        if head != 0 {
            self.free[class] = *(head as *const usize);
            return head as *mut u8;
        }
        let (block, align) = block_of(class);
        let run = block.saturating_mul(RUN_BLOCKS).clamp(MIN_RUN, PAGE).max(block);
        let Some(start) = self.take(run, align) else { return core::ptr::null_mut() };
        // The first block is the answer, the rest of the run is free (a remainder too small for another
        // block goes to smaller classes).
        let mut rest = start + block;
        while rest + block <= start + run {
            self.release(rest, class);
            rest += block;
        }
        self.release_range(rest, start + run);
        start as *mut u8
    }

    /// Takes back a block [`Heap::alloc`] gave for `size`/`align`.
    ///
    /// # Safety
    /// `ptr` must come from `alloc` with the same `size` and `align`, and not be used afterwards.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, size: usize, align: usize) {
        if let Some(class) = class_of(size, align) {
            self.release(ptr as usize, class);
        }
    }

    /// Resizes a block: the same one while the class stays, else a copy.
    ///
    /// # Safety
    /// As [`Heap::dealloc`] for `ptr`, `size` and `align`.
    pub unsafe fn realloc(&mut self, ptr: *mut u8, size: usize, align: usize, new_size: usize) -> *mut u8 {
        if class_of(new_size, align).is_some_and(|class| class_of(size, align) == Some(class)) {
            return ptr;
        }
        let moved = self.alloc(new_size, align);
        if !moved.is_null() {
            core::ptr::copy_nonoverlapping(ptr, moved, size.min(new_size));
            self.dealloc(ptr, size, align);
        }
        moved
    }

    unsafe fn release(&mut self, block: usize, class: usize) {
        *(block as *mut usize) = self.free[class];
        self.free[class] = block;
    }

    /// `bytes` of fresh memory aligned to `align` (a power of two), growing when the tail is too short.
    /// Memory skipped over goes to the classes it fits, so none is lost.
    unsafe fn take(&mut self, bytes: usize, align: usize) -> Option<usize> {
        let aligned = |at: usize| (at + align - 1) & !(align - 1);
        while aligned(self.bump) + bytes > self.end {
            let (start, added) = self.pages.grow(bytes + align)?;
            if start != self.end {
                // Not contiguous (the first region, or a host that grew elsewhere).
                self.release_range(self.bump, self.end);
                self.bump = start;
            }
            self.end = start + added;
        }
        let start = aligned(self.bump);
        self.release_range(self.bump, start);
        self.bump = start + bytes;
        Some(start)
    }

    /// Gives the unused memory `[from, to)` to the classes it holds aligned blocks of.
    unsafe fn release_range(&mut self, mut from: usize, to: usize) {
        while from < to {
            // The largest block the space holds at this address.
            let block = 1usize << from.trailing_zeros().min((to - from).ilog2());
            if block >= MIN_BLOCK {
                self.release(from, 2 * block.trailing_zeros() as usize);
            }
            from += block;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{alloc, Layout};

    /// Memory from the test process's own allocator, in 64 KiB growths like wasm's; the first region
    /// starts `offset` bytes into its growth, as the wasm module's free end of initial memory does.
    struct Arena {
        grown: Vec<(usize, usize)>,
        offset: usize,
    }

    impl Pages for Arena {
        fn grow(&mut self, bytes: usize) -> Option<(usize, usize)> {
            let size = (bytes + self.offset).div_ceil(65536) * 65536;
            let start = unsafe { alloc(Layout::from_size_align(size, PAGE).unwrap()) } as usize;
            self.grown.push((start, size));
            let offset = core::mem::take(&mut self.offset);
            Some((start + offset, size - offset))
        }
    }

    fn heap() -> Heap<Arena> {
        Heap::new(Arena { grown: Vec::new(), offset: 0 })
    }

    #[test]
    fn small_classes_take_small_runs_from_an_unaligned_start() {
        let mut heap = Heap::new(Arena { grown: Vec::new(), offset: 20 });
        unsafe {
            // One block of each class up to a page, as a connected client needs: it fits in runs far
            // smaller than a page per class.
            let blocks: Vec<(usize, *mut u8)> = (2..=12).map(|class| (1usize << class, heap.alloc(1 << class, 1 << class))).collect();
            let mut spans: Vec<(usize, usize)> = blocks.iter().map(|&(size, b)| (b as usize, size)).collect();
            assert!(spans.iter().all(|&(at, size)| at % size == 0), "each block is aligned to its size");
            spans.sort();
            assert!(spans.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0), "blocks overlap");
            let (first, size) = heap.pages.grown[0];
            assert_eq!(heap.pages.grown.len(), 1);
            assert!(spans.iter().all(|&(at, len)| at >= first + 20 && at + len <= first + size), "outside the region");
            assert!(heap.bump - (first + 20) <= 24 * 1024, "{} bytes taken", heap.bump - first - 20);
        }
    }

    #[test]
    fn memory_skipped_for_alignment_serves_smaller_classes() {
        let mut heap = Heap::new(Arena { grown: Vec::new(), offset: 20 });
        unsafe {
            let first = heap.alloc(PAGE, 8) as usize;
            let region = heap.pages.grown[0].0;
            assert_eq!(first, region + PAGE, "aligned past the region's unaligned start");
            // [region + 20, region + 4096) was skipped: it holds aligned blocks of 8, 32, 64, ..., 2048
            // bytes (and 4 at region + 20, below this target's smallest block).
            assert_eq!(heap.alloc(2048, 8) as usize, region + 2048);
            assert_eq!(heap.alloc(64, 8) as usize, region + 64);
            assert_eq!(heap.alloc(8, 8) as usize, region + 24);
            assert_eq!(heap.pages.grown.len(), 1);
        }
    }

    #[test]
    fn classes_are_powers_of_two_and_half_steps_at_least_a_word() {
        let block = |size, align| class_of(size, align).map(|class| block_of(class).0);
        assert_eq!(block(1, 1), Some(MIN_BLOCK));
        assert_eq!(block(9, 1), Some(16));
        assert_eq!(block(17, 1), Some(32), "no half step below 48 bytes");
        assert_eq!(block(33, 1), Some(48));
        assert_eq!(block(49, 1), Some(64));
        assert_eq!(block(700, 8), Some(768));
        assert_eq!(block(769, 8), Some(1024));
        assert_eq!(block(700, 512), Some(1024), "a half step is aligned to a quarter of the power above it");
        assert_eq!(block(3, 64), Some(64), "alignment raises the class");
        assert_eq!(class_of(8, 2 * PAGE), None);
        assert_eq!(class_of(usize::MAX, 1), None);
    }

    #[test]
    fn half_step_blocks_are_aligned_distinct_and_fill_their_runs() {
        let mut heap = heap();
        unsafe {
            let mut addresses: Vec<usize> = (0..40).map(|_| heap.alloc(700, 8) as usize).collect();
            assert!(addresses.iter().all(|a| a % 256 == 0 && *a != 0));
            addresses.sort();
            assert!(addresses.windows(2).all(|w| w[1] - w[0] >= 768), "blocks overlap");
            // A 4 KiB run (page-aligned here) holds five 768-byte blocks; the 256 bytes left at its end go
            // to the 256-byte class.
            assert_eq!(heap.alloc(256, 8) as usize % PAGE, 5 * 768);
        }
    }

    #[test]
    fn blocks_are_aligned_distinct_and_reused() {
        let mut heap = heap();
        unsafe {
            let blocks: Vec<*mut u8> = (0..600).map(|_| heap.alloc(24, 8)).collect();
            let mut addresses: Vec<usize> = blocks.iter().map(|&b| b as usize).collect();
            assert!(addresses.iter().all(|a| a % 32 == 0 && *a != 0));
            addresses.sort();
            assert!(addresses.windows(2).all(|w| w[1] - w[0] >= 32), "blocks overlap");
            for &b in &blocks {
                b.write_bytes(0xAB, 24);
            }
            heap.dealloc(blocks[5], 24, 8);
            assert_eq!(heap.alloc(30, 4), blocks[5], "a freed block serves the next request of its class");
        }
    }

    #[test]
    fn large_blocks_take_whole_pages_and_memory_stays_flat() {
        let mut heap = heap();
        unsafe {
            let first = heap.alloc(65536, 8);
            assert_eq!(first as usize % PAGE, 0);
            heap.dealloc(first, 65536, 8);
            for _ in 0..100 {
                let block = heap.alloc(60000, 8);
                assert_eq!(block, first);
                heap.dealloc(block, 60000, 8);
            }
        }
        assert_eq!(heap.pages.grown.len(), 1);
    }

    #[test]
    fn realloc_keeps_the_contents() {
        let mut heap = heap();
        unsafe {
            let a = heap.alloc(10, 1);
            a.copy_from(b"0123456789".as_ptr(), 10);
            assert_eq!(heap.realloc(a, 10, 1, 16), a, "same class: same block");
            let b = heap.realloc(a, 10, 1, 5000);
            assert_ne!(b, a);
            assert_eq!(core::slice::from_raw_parts(b, 10), b"0123456789");
        }
    }
}
