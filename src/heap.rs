//! The wasm module's memory allocator: power-of-two size classes with a free list each, carved from pages
//! the host grows memory by. O(1) allocation and release, under 1 KB of code (std's dlmalloc costs
//! 7 KB). Freed blocks are kept for their class, never coalesced: the client's allocations are a few
//! recurring sizes, so this stays flat over a long session.

/// Blocks below this size are cut from whole pages; blocks of it and above are whole pages.
pub const PAGE: usize = 4096;

/// The smallest block: it must hold the free list's link.
const MIN_BLOCK: usize = core::mem::size_of::<usize>();

/// Size classes: class `c` holds blocks of `2^c` bytes.
const CLASSES: usize = usize::BITS as usize;

/// Where fresh memory comes from: the wasm `memory.grow` in the browser, a test arena natively.
pub trait Pages {
    /// Adds at least `bytes` (a multiple of [`PAGE`]) of memory, returning its start address (aligned to
    /// [`PAGE`]) and the size actually added, or `None` when memory is exhausted.
    fn grow(&mut self, bytes: usize) -> Option<(usize, usize)>;
}

/// The allocator's state: a free list per class and the unused tail of the last growth.
pub struct Heap<P: Pages> {
    /// Head of each class's free list (0 = empty); each free block starts with the next one's address.
    free: [usize; CLASSES],
    /// The unused memory `[bump, end)`, page-aligned.
    bump: usize,
    end: usize,
    pages: P,
}

/// The class of a request, or `None` if it cannot be served (alignment above a page, or too large).
pub fn class_of(size: usize, align: usize) -> Option<usize> {
    if align > PAGE {
        return None;
    }
    let block = size.max(align).max(MIN_BLOCK).checked_next_power_of_two()?;
    Some(block.trailing_zeros() as usize)
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
        let block = 1usize << class;
        let Some(start) = self.take(block.max(PAGE)) else { return core::ptr::null_mut() };
        // A small class gets a whole page: the first block is the answer, the rest are free.
        let mut rest = start + block;
        while rest < start + PAGE {
            self.release(rest, class);
            rest += block;
        }
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

    /// `bytes` (a multiple of [`PAGE`]) of fresh memory, growing when the tail is too short.
    unsafe fn take(&mut self, bytes: usize) -> Option<usize> {
        if self.end - self.bump < bytes {
            let (start, added) = self.pages.grow(bytes)?;
            if start == self.end {
                self.end += added;
            } else {
                // Not contiguous: the old tail's pages go to the page class.
                let page_class = PAGE.trailing_zeros() as usize;
                while self.end - self.bump >= PAGE {
                    self.release(self.bump, page_class);
                    self.bump += PAGE;
                }
                self.bump = start;
                self.end = start + added;
            }
        }
        let start = self.bump;
        self.bump += bytes;
        Some(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{alloc, Layout};

    /// Pages from the test process's own allocator, in 64 KiB growths like wasm's.
    struct Arena {
        grown: Vec<(usize, usize)>,
    }

    impl Pages for Arena {
        fn grow(&mut self, bytes: usize) -> Option<(usize, usize)> {
            let size = bytes.div_ceil(65536) * 65536;
            let start = unsafe { alloc(Layout::from_size_align(size, PAGE).unwrap()) } as usize;
            self.grown.push((start, size));
            Some((start, size))
        }
    }

    fn heap() -> Heap<Arena> {
        Heap::new(Arena { grown: Vec::new() })
    }

    #[test]
    fn classes_are_powers_of_two_at_least_a_word() {
        assert_eq!(class_of(1, 1), class_of(MIN_BLOCK, 1));
        assert_eq!(class_of(9, 1), Some(4));
        assert_eq!(class_of(16, 1), Some(4));
        assert_eq!(class_of(17, 1), Some(5));
        assert_eq!(class_of(3, 64), Some(6), "alignment raises the class");
        assert_eq!(class_of(8, 2 * PAGE), None);
        assert_eq!(class_of(usize::MAX, 1), None);
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
                let block = heap.alloc(40000, 8);
                assert_eq!(block, first);
                heap.dealloc(block, 40000, 8);
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
