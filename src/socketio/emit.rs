//! What an emit carries into the core: the event and its encoding, the user's callback, the one-shot flags
//! set by `timeout()`, `volatile` and `compress()`, and the socket options `ackTimeout` and `retries`.

use crate::prelude::*;

use crate::float;
use crate::host::Host;

/// The built-in parser's encoding of a packet's data: its JSON text, binary values replaced by placeholders.
pub struct Json<H: Host> {
    /// The JSON text.
    pub text: H::Text,
    /// The binary values, in placeholder order.
    pub attachments: Vec<H::Binary>,
}

impl<H: Host> Clone for Json<H> {
    fn clone(&self) -> Self {
        Self { text: self.text.clone(), attachments: self.attachments.clone() }
    }
}

/// The data of an outgoing packet as the shell hands it over: an event's `[name, ...args]`, an
/// acknowledgement's arguments or a CONNECT's auth payload.
pub struct Message<H: Host> {
    /// The data as the page passed it (handed to outgoing catch-all listeners, shown in `sendBuffer`, and
    /// given to a custom parser's `Encoder`).
    pub args: H::Value,
    /// Its encoding by the built-in parser; `None` when a custom parser encodes packets (the core then
    /// never reads it).
    pub json: Option<Json<H>>,
}

impl<H: Host> Clone for Message<H> {
    fn clone(&self) -> Self {
        Self { args: self.args.clone(), json: self.json.clone() }
    }
}

/// The user's acknowledgement callback of an emit.
pub struct Callback<A> {
    /// The function.
    pub function: A,
    /// Whether it takes an error first even without a timeout (`emitWithAck`'s callback; socket.io-client's
    /// `withError`).
    pub error_first: bool,
}

/// The modifiers of the next emit (socket.io-client's `flags`). An emit consumes them, except one that goes
/// to the retry queue and is not sent at once: socket.io-client leaves them set for the next emit then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flags {
    /// `timeout(ms)`: the acknowledgement deadline; `None` falls back to the `ackTimeout` option.
    pub timeout: Option<u64>,
    /// `volatile`: drop the packet unless the transport is writable right now.
    pub volatile: bool,
    /// `compress(bool)` (no effect on the wire in browsers; shown in `sendBuffer`).
    pub compress: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Self { timeout: None, volatile: false, compress: true }
    }
}

/// One modifier for the next emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// `socket.timeout(ms)`; `None` (`undefined` or `null`) falls back to `ackTimeout`.
    Timeout(Option<u64>),
    /// Reading `socket.volatile`.
    Volatile,
    /// `socket.compress(flag)`: `false` only for an explicit `false`.
    Compress(bool),
}

impl Flags {
    /// Applies `flag`.
    pub fn set(&mut self, flag: Flag) {
        match flag {
            Flag::Timeout(ms) => self.timeout = ms,
            Flag::Volatile => self.volatile = true,
            Flag::Compress(compress) => self.compress = compress,
        }
    }
}

/// The socket options that shape emits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SocketOptions {
    /// `ackTimeout`: the deadline of every acknowledgement that has no `timeout()` of its own.
    pub ack_timeout: Option<u64>,
    /// `retries`: how many times a non-volatile emit is sent again after a failed attempt (`0`: no queue).
    pub retries: f64,
}

impl SocketOptions {
    /// Whether emits go through the retry queue (socket.io-client tests `retries` for truthiness).
    pub fn uses_queue(&self) -> bool {
        self.retries != 0.0 && !self.retries.is_nan()
    }
}

/// A delay in milliseconds as `setTimeout` reads it: converted like a WebIDL `long` (NaN and infinities are
/// 0, other values wrap modulo 2^32), and negative delays are 0.
pub fn timer_delay(ms: f64) -> u64 {
    if !ms.is_finite() {
        return 0;
    }
    const TWO_32: f64 = 4_294_967_296.0;
    let ms = float::trunc(ms);
    let wrapped = ms - TWO_32 * float::floor(ms / TWO_32);
    let signed = if wrapped >= TWO_32 / 2.0 { wrapped - TWO_32 } else { wrapped };
    if signed <= 0.0 {
        0
    } else {
        signed as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_delays_follow_set_timeout() {
        assert_eq!(timer_delay(100.0), 100);
        assert_eq!(timer_delay(99.9), 99);
        assert_eq!(timer_delay(0.0), 0);
        assert_eq!(timer_delay(-5.0), 0);
        assert_eq!(timer_delay(f64::NAN), 0);
        assert_eq!(timer_delay(f64::INFINITY), 0, "Infinity converts to 0: the timer fires at once");
        assert_eq!(timer_delay(2_147_483_647.0), 2_147_483_647);
        assert_eq!(timer_delay(2_147_483_648.0), 0, "2^31 wraps to a negative delay");
        assert_eq!(timer_delay(4_294_967_296.0 + 7.0), 7);
    }

    #[test]
    fn flags_default_to_compressed_and_apply_one_at_a_time() {
        let mut flags = Flags::default();
        assert_eq!(flags, Flags { timeout: None, volatile: false, compress: true });
        flags.set(Flag::Timeout(Some(5)));
        flags.set(Flag::Volatile);
        flags.set(Flag::Compress(false));
        assert_eq!(flags, Flags { timeout: Some(5), volatile: true, compress: false });
        flags.set(Flag::Timeout(None));
        assert_eq!(flags.timeout, None);
    }

    #[test]
    fn retries_are_truthy_numbers() {
        let queue = |retries| SocketOptions { ack_timeout: None, retries }.uses_queue();
        assert!(!queue(0.0));
        assert!(!queue(f64::NAN));
        assert!(queue(3.0));
        assert!(queue(-1.0));
        assert!(queue(f64::INFINITY));
    }
}
