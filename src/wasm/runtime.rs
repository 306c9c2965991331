//! What std would provide on wasm32, in far fewer bytes: the global allocator ([`crate::heap`] over
//! `memory.grow`) and the panic handler. The wasm path never panics by design; if it did, the handler
//! traps without formatting a message, which keeps `core::fmt` out of the module.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

use crate::heap::{Heap, Pages};

/// Bytes per wasm memory page.
const WASM_PAGE: usize = 65536;

/// Fresh memory: first the free end of the module's initial memory (after the stack and the data, where
/// the linker's `__heap_base` points), then `memory.grow`.
struct WasmPages {
    /// Whether the initial memory's free end has been handed out.
    started: bool,
}

extern "C" {
    /// The first address after the module's stack and static data (defined by the linker).
    static __heap_base: u8;
}

impl Pages for WasmPages {
    fn grow(&mut self, bytes: usize) -> Option<(usize, usize)> {
        if !self.started {
            self.started = true;
            let end = core::arch::wasm32::memory_size(0) * WASM_PAGE;
            // Only the symbol's address is taken (no unsafe needed for that).
            let start = core::ptr::addr_of!(__heap_base) as usize;
            if start < end {
                return Some((start, end - start));
            }
        }
        let pages = bytes.div_ceil(WASM_PAGE);
        let previous = core::arch::wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then(|| (previous * WASM_PAGE, pages * WASM_PAGE))
    }
}

/// The heap, shared by the module's single thread.
struct GlobalHeap(UnsafeCell<Heap<WasmPages>>);

// SAFETY: wasm32-unknown-unknown without atomics runs one thread, so there is no concurrent access.
unsafe impl Sync for GlobalHeap {}

#[global_allocator]
static HEAP: GlobalHeap = GlobalHeap(UnsafeCell::new(Heap::new(WasmPages { started: false })));

// SAFETY: `Heap` hands out distinct blocks of at least the layout's size and alignment, from memory
// only it grows.
unsafe impl GlobalAlloc for GlobalHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(ptr, layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
