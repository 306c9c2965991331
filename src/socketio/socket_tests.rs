//! Native scenario tests for a socket's emit path and recovery, on the manual clock of the Manager tests'
//! [`Driver`]: acknowledgement deadlines and error-first callbacks, the retry queue, volatile and compress
//! flags, outgoing notifications, the buffers, and connection state recovery.

use proptest::prelude::*;

use super::emit::{Callback, Flag, SocketOptions};
use super::link::Outgoing;
use super::manager_tests::{message, strings, Driver};
use super::packet::{encode_header, PacketKind};
use crate::testhost::TestHost;
use crate::Millis;

const TIMED_OUT: &str = "operation has timed out";
const DISCONNECTED: &str = "socket has been disconnected";

impl Driver {
    /// Emits `body` on namespace 0 now with callback `function` (`error_first` as `emitWithAck`'s).
    fn emit_cb(&mut self, body: &str, function: u32, error_first: bool) {
        self.m.emit(self.now, 0, message(body, vec![]), Some(Callback { function, error_first }));
    }

    /// Emits `body` on namespace 0 now without a callback.
    fn emit_plain(&mut self, body: &str) {
        self.m.emit(self.now, 0, message(body, vec![]), None);
    }

    /// Sets a flag for namespace 0's next emit.
    fn flag(&mut self, flag: Flag) {
        self.m.set_flag(0, flag);
    }

    /// Sets namespace 0's `ackTimeout` and `retries`.
    fn socket_options(&mut self, ack_timeout: Option<u64>, retries: f64) {
        self.m.set_socket_options(0, SocketOptions { ack_timeout, retries });
    }

    /// Namespace 0's buffered packets, as their wire headers and bodies.
    fn send_buffer(&self) -> Vec<String> {
        let namespace = self.m.namespace(0).expect("namespace 0");
        let render = |packet: &Outgoing<TestHost>| {
            let json = packet.message.json.as_ref().expect("the built-in encoding");
            let kind = if json.attachments.is_empty() { PacketKind::Event } else { PacketKind::BinaryEvent };
            format!("{}{}", encode_header(kind, json.attachments.len(), &namespace.name, packet.id), json.text)
        };
        namespace.send_buffer.iter().map(render).collect()
    }

    /// The transport goes away and the reconnection (after its 1 s delay) gets back to the point where the
    /// namespace must send its CONNECT; io and events on the way are drained.
    fn reconnect_to_needs_connect(&mut self) {
        self.transport_close();
        self.io();
        self.events();
        self.advance(1000);
        self.handshake();
        assert!(self.events().contains(&"needs_connect(0)".to_string()));
    }
}

/// A Manager whose namespace 0 (`/`) is added and connecting, its handshake not done yet.
fn opening() -> Driver {
    let mut d = Driver::new();
    let ns = d.m.add_namespace("/");
    d.m.connect(d.now, ns);
    d
}

/// Completes [`opening`]: the handshake, the CONNECT and the reply `40{"sid":"abc"}`; returns the io.
fn finish_connecting(d: &mut Driver) -> Vec<String> {
    d.handshake();
    d.events();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc"}"#);
    d.io()
}

// ----- timeout() and ackTimeout -----

#[test]
fn a_timeout_fires_exactly_at_its_deadline_and_late_replies_are_ignored() {
    let mut d = Driver::connected();
    d.flag(Flag::Timeout(Some(100)));
    d.emit_cb(r#"["a"]"#, 1, false);
    assert_eq!(d.io(), strings(&[r#"420["a"]"#]));
    assert_eq!(d.timer_in(), Some(100), "the ack deadline comes before the ping deadline");
    d.events();
    d.advance(99);
    assert!(d.events().is_empty(), "nothing at 99 ms");
    d.advance(1);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(0, #1, {TIMED_OUT})")]));
    d.text(r#"430["too late"]"#);
    assert!(d.events().is_empty(), "the reply after the deadline is ignored");
    assert_eq!(d.m.namespace(0).unwrap().pending_acks(), 0);
    assert_eq!(d.timer_in(), Some(45_000 - 100), "back to the ping deadline");
}

#[test]
fn a_reply_before_the_deadline_goes_to_the_error_first_callback() {
    let mut d = Driver::connected();
    d.flag(Flag::Timeout(Some(100)));
    d.emit_cb(r#"["a"]"#, 1, false);
    d.advance(60);
    d.text(r#"430["ok",2]"#);
    assert_eq!(d.events(), strings(&[r#"sent(0, ["a"])"#, r#"ack_error_first(0, #1, ["ok",2])"#]));
    assert_eq!(d.timer_in(), Some(45_000 - 60), "the deadline is gone");
    d.advance(1000);
    assert!(d.events().is_empty(), "and never fires");
}

#[test]
fn flags_apply_to_the_next_emit_only() {
    let mut d = Driver::connected();
    d.flag(Flag::Timeout(Some(100)));
    d.flag(Flag::Compress(false));
    assert_eq!(d.m.namespace(0).unwrap().flags().timeout, Some(100));
    d.emit_cb(r#"["a"]"#, 1, false);
    assert_eq!(*d.m.namespace(0).unwrap().flags(), Default::default(), "reset by the emit");
    d.emit_cb(r#"["b"]"#, 2, false);
    d.text(r#"431["b"]"#);
    d.text(r#"430["a"]"#);
    let events = d.events();
    assert_eq!(events[2..], strings(&[r#"ack_reply(0, #2, ["b"])"#, r#"ack_error_first(0, #1, ["a"])"#]));
}

#[test]
fn several_deadlines_fire_in_timer_order_even_from_one_late_wake_up() {
    let mut d = Driver::connected();
    for (function, ms) in [(1, 300), (2, 100), (3, 200), (4, 100)] {
        d.flag(Flag::Timeout(Some(ms)));
        d.emit_cb(r#"["a"]"#, function, false);
    }
    d.events();
    d.sleep(1000);
    d.m.handle_timeout(d.now);
    let failed = |n: u32| format!("ack_failed(0, #{n}, {TIMED_OUT})");
    assert_eq!(d.events(), vec![failed(2), failed(4), failed(3), failed(1)]);
}

#[test]
fn a_zero_timeout_fires_at_the_next_timer() {
    let mut d = Driver::connected();
    d.flag(Flag::Timeout(Some(0)));
    d.emit_cb(r#"["a"]"#, 1, false);
    assert_eq!(d.timer_in(), Some(1), "at the next wake-up, never within this one");
    d.events();
    d.advance(1);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(0, #1, {TIMED_OUT})")]));
}

#[test]
fn a_buffered_packet_is_removed_when_its_timeout_fires_and_never_sent() {
    let mut d = opening();
    d.flag(Flag::Timeout(Some(50)));
    d.emit_cb(r#"["expires"]"#, 1, false);
    d.emit_cb(r#"["stays"]"#, 2, false);
    assert_eq!(d.send_buffer(), strings(&[r#"20["expires"]"#, r#"21["stays"]"#]));
    d.advance(50);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(0, #1, {TIMED_OUT})")]));
    assert_eq!(d.send_buffer(), strings(&[r#"21["stays"]"#]));
    assert_eq!(finish_connecting(&mut d), strings(&["40", r#"421["stays"]"#]));
    d.text(r#"431["ok"]"#);
    assert_eq!(d.events(), strings(&[r#"sent(0, ["stays"])"#, "connect(0)", r#"ack_reply(0, #2, ["ok"])"#]));
}

#[test]
fn ack_timeout_makes_every_callback_error_first_unless_timeout_overrides_it() {
    let mut d = Driver::connected();
    d.socket_options(Some(200), 0.0);
    d.emit_cb(r#"["replied"]"#, 1, false);
    d.emit_cb(r#"["silent"]"#, 2, false);
    d.flag(Flag::Timeout(Some(50)));
    d.emit_cb(r#"["shorter"]"#, 3, false);
    d.flag(Flag::Timeout(None));
    d.emit_cb(r#"["falls back"]"#, 4, false);
    d.emit_plain(r#"["no callback"]"#);
    let sent = [r#"420["replied"]"#, r#"421["silent"]"#, r#"422["shorter"]"#, r#"423["falls back"]"#, r#"42["no callback"]"#];
    assert_eq!(d.io(), strings(&sent));
    d.events();
    d.text(r#"430[1]"#);
    assert_eq!(d.events(), strings(&[r#"ack_error_first(0, #1, [1])"#]));
    d.advance(50);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(0, #3, {TIMED_OUT})")]));
    d.advance(150);
    assert_eq!(d.events(), [2, 4].map(|n| format!("ack_failed(0, #{n}, {TIMED_OUT})")));
}

// ----- disconnection -----

#[test]
fn on_disconnect_error_first_callbacks_of_sent_packets_fail_and_plain_ones_are_dropped() {
    let mut d = Driver::connected();
    d.emit_cb(r#"["plain"]"#, 1, false);
    d.emit_cb(r#"["with ack"]"#, 2, true);
    d.flag(Flag::Timeout(Some(5000)));
    d.emit_cb(r#"["with timeout"]"#, 3, false);
    d.events();
    d.transport_close();
    let events = d.events();
    assert_eq!(events[..2], strings(&["close(transport close)", "disconnect(0, transport close)"]));
    assert_eq!(events[2..], [2, 3].map(|n| format!("ack_failed(0, #{n}, {DISCONNECTED})")), "then the errors in id order");
    assert_eq!(d.m.namespace(0).unwrap().pending_acks(), 0);
    assert_eq!(d.timer_in(), Some(1000), "only the reconnection is left: the 5 s deadline is gone");
}

#[test]
fn callbacks_of_buffered_packets_survive_a_disconnect_with_their_deadlines() {
    let mut d = Driver::connected();
    d.transport_close();
    d.events();
    d.io();
    d.emit_cb(r#"["buffered"]"#, 1, true);
    d.flag(Flag::Timeout(Some(3000)));
    d.emit_cb(r#"["buffered with timeout"]"#, 2, false);
    d.advance(1000);
    d.handshake();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.io(), strings(&["40", r#"420["buffered"]"#, r#"421["buffered with timeout"]"#]));
    d.events();
    d.m.disconnect(d.now, 0);
    let events = d.events();
    assert_eq!(events[..2], strings(&["close(forced close)", "disconnect(0, io client disconnect)"]));
    assert_eq!(events[2..], [1, 2].map(|n| format!("ack_failed(0, #{n}, {DISCONNECTED})")));
}

#[test]
fn a_server_disconnect_fails_error_first_callbacks_too() {
    let mut d = Driver::connected();
    d.emit_cb(r#"["a"]"#, 1, true);
    d.events();
    d.text("41");
    let expected = ["close(forced close)", "disconnect(0, io server disconnect)", &format!("ack_failed(0, #1, {DISCONNECTED})")];
    assert_eq!(d.events(), strings(&expected), "the Manager closes first (the last namespace left), as in socket.io-client");
}

// ----- volatile and compress -----

#[test]
fn volatile_drops_unless_the_transport_is_writable() {
    let mut d = opening();
    d.flag(Flag::Volatile);
    d.emit_plain(r#"["before the connection is open"]"#);
    assert!(d.send_buffer().is_empty(), "dropped, not buffered");
    d.emit_plain(r#"["not volatile"]"#);
    assert_eq!(d.send_buffer(), strings(&[r#"2["not volatile"]"#]), "the flag was for one emit");
    d.handshake();
    d.flag(Flag::Volatile);
    d.emit_plain(r#"["open, namespace not connected"]"#);
    assert_eq!(d.send_buffer().len(), 2, "a writable transport buffers it like socket.io-client");
    d.events();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc"}"#);
    assert_eq!(d.io(), strings(&["40", r#"42["not volatile"]"#, r#"42["open, namespace not connected"]"#]));
    d.flag(Flag::Volatile);
    d.emit_plain(r#"["connected"]"#);
    assert_eq!(d.io(), strings(&[r#"42["connected"]"#]));
}

#[test]
fn a_dropped_volatile_emit_still_registers_its_callback() {
    let mut d = opening();
    d.flag(Flag::Volatile);
    d.flag(Flag::Timeout(Some(100)));
    d.emit_cb(r#"["dropped"]"#, 1, false);
    d.emit_cb(r#"["next"]"#, 2, false);
    assert_eq!(d.send_buffer(), strings(&[r#"21["next"]"#]), "the dropped packet used ack id 0");
    d.advance(100);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(0, #1, {TIMED_OUT})")]));
}

#[test]
fn compress_is_kept_on_buffered_packets() {
    let mut d = opening();
    d.flag(Flag::Compress(false));
    d.emit_plain(r#"["a"]"#);
    d.emit_plain(r#"["b"]"#);
    let compress: Vec<bool> = d.m.namespace(0).unwrap().send_buffer.iter().map(|packet| packet.compress).collect();
    assert_eq!(compress, vec![false, true]);
}

// ----- retries -----

#[test]
fn retries_send_one_packet_at_a_time_in_order() {
    let mut d = Driver::connected();
    d.socket_options(Some(1000), 2.0);
    d.emit_cb(r#"["a"]"#, 1, false);
    d.emit_cb(r#"["b"]"#, 2, false);
    d.emit_plain(r#"["c"]"#);
    assert_eq!(d.io(), strings(&[r#"420["a"]"#]), "one in flight");
    assert_eq!(d.m.namespace(0).unwrap().queued(), 3);
    d.text(r#"430["A"]"#);
    assert_eq!(d.io(), strings(&[r#"421["b"]"#]));
    d.text(r#"431[]"#);
    assert_eq!(d.io(), strings(&[r#"422["c"]"#]), "a queued emit asks for an ack even without a callback");
    d.text(r#"432[]"#);
    assert!(d.io().is_empty());
    let expected =
        [r#"sent(0, ["a"])"#, r#"ack_error_first(0, #1, ["A"])"#, r#"sent(0, ["b"])"#, "ack_error_first(0, #2, [])", r#"sent(0, ["c"])"#];
    assert_eq!(d.events(), strings(&expected));
    assert_eq!(d.m.namespace(0).unwrap().queued(), 0);
}

#[test]
fn retries_resend_at_each_deadline_with_a_new_id_then_give_up() {
    let mut d = Driver::connected();
    d.socket_options(Some(100), 2.0);
    d.emit_cb(r#"["a"]"#, 1, true);
    d.emit_plain(r#"["next"]"#);
    assert_eq!(d.io(), strings(&[r#"420["a"]"#]));
    d.advance(99);
    assert!(d.io().is_empty());
    d.advance(1);
    assert_eq!(d.io(), strings(&[r#"421["a"]"#]), "second attempt exactly at the deadline");
    d.advance(100);
    assert_eq!(d.io(), strings(&[r#"422["a"]"#]), "third attempt");
    d.events();
    d.advance(100);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(0, #1, {TIMED_OUT})"), r#"sent(0, ["next"])"#]));
    assert_eq!(d.io(), strings(&[r#"423["next"]"#]), "1 + retries attempts, then the queue moves on");
    d.text(r#"431["late answer to the second attempt"]"#);
    assert_eq!(d.events(), Vec::<String>::new());
}

#[test]
fn a_later_attempt_may_succeed() {
    let mut d = Driver::connected();
    d.socket_options(Some(100), 3.0);
    d.emit_cb(r#"["a"]"#, 1, false);
    d.advance(100);
    assert_eq!(d.io(), strings(&[r#"420["a"]"#, r#"421["a"]"#]));
    d.events();
    d.text(r#"431["done"]"#);
    assert_eq!(d.events(), strings(&[r#"ack_error_first(0, #1, ["done"])"#]));
    d.advance(1000);
    assert!(d.io().is_empty() && d.events().is_empty());
}

#[test]
fn retries_without_ack_timeout_read_the_first_reply_argument_as_the_error() {
    let mut d = Driver::connected();
    d.socket_options(None, 1.0);
    d.emit_cb(r#"["a"]"#, 1, false);
    d.text(r#"430["not null"]"#);
    assert_eq!(d.io(), strings(&[r#"420["a"]"#, r#"421["a"]"#]), "a non-null first argument is a failure: sent again");
    d.events();
    d.text(r#"431["still not null",2]"#);
    assert_eq!(d.events(), strings(&[r#"ack_rejected(0, #1, "still not null")"#]));
    d.emit_cb(r#"["b"]"#, 2, false);
    d.text(r#"432[null,"x"]"#);
    d.emit_cb(r#"["c"]"#, 3, false);
    d.text(r#"433[]"#);
    d.text(r#"434[]"#);
    let events = d.events();
    assert_eq!(events[1], r#"ack_reply(0, #2, [null,"x"])"#, "(null, ...rest) is the callback's success");
    assert_eq!(events.last().map(String::as_str), Some("ack_rejected(0, #3, undefined)"), "an empty answer fails with undefined");
}

#[test]
fn the_retry_queue_drains_on_connect_after_the_buffer() {
    let mut d = opening();
    d.emit_plain(r#"["buffered"]"#);
    d.socket_options(Some(500), 1.0);
    d.emit_cb(r#"["queued"]"#, 1, false);
    d.emit_cb(r#"["queued too"]"#, 2, false);
    assert_eq!(d.send_buffer().len(), 1, "queued emits are not buffered");
    let io = finish_connecting(&mut d);
    assert_eq!(io, strings(&["40", r#"42["buffered"]"#, r#"420["queued"]"#]));
    assert_eq!(d.events(), strings(&[r#"sent(0, ["buffered"])"#, r#"sent(0, ["queued"])"#, "connect(0)"]));
}

#[test]
fn an_attempt_lost_in_a_disconnect_is_sent_again_on_reconnect() {
    let mut d = Driver::connected();
    d.socket_options(None, 3.0);
    d.emit_cb(r#"["a"]"#, 1, false);
    assert_eq!(d.io(), strings(&[r#"420["a"]"#]));
    d.reconnect_to_needs_connect();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.io(), strings(&["40", r#"421["a"]"#]), "forced: the head was still in flight");
    d.text(r#"431[null]"#);
    assert_eq!(d.events(), strings(&[r#"sent(0, ["a"])"#, "connect(0)", "ack_reply(0, #1, [null])"]));
}

#[test]
fn with_ack_timeout_a_disconnect_counts_as_a_failed_attempt() {
    let mut d = Driver::connected();
    d.socket_options(Some(5000), 1.0);
    d.emit_cb(r#"["a"]"#, 1, false);
    d.transport_close();
    assert!(!d.events().iter().any(|event| event.starts_with("ack_")), "one failure of two allowed");
    d.io();
    d.advance(1000);
    d.handshake();
    d.events();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.io(), strings(&["40", r#"421["a"]"#]));
    d.transport_close();
    let events = d.events();
    assert_eq!(events.last(), Some(&format!("ack_failed(0, #1, {DISCONNECTED})")), "the second failure gives up");
    assert_eq!(d.m.namespace(0).unwrap().queued(), 0);
}

#[test]
fn flags_of_an_emit_left_waiting_in_the_queue_stay_set_as_in_socket_io_client() {
    let mut d = Driver::connected();
    d.socket_options(None, 1.0);
    d.emit_plain(r#"["in flight"]"#);
    d.flag(Flag::Timeout(Some(50)));
    d.emit_cb(r#"["waits"]"#, 1, false);
    assert_eq!(d.m.namespace(0).unwrap().flags().timeout, Some(50), "not consumed: nothing was sent");
    d.emit_cb(r#"["inherits the timeout"]"#, 2, false);
    d.text(r#"430[null]"#);
    assert_eq!(d.io(), strings(&[r#"420["in flight"]"#, r#"421["waits"]"#]));
    assert_eq!(*d.m.namespace(0).unwrap().flags(), Default::default(), "consumed by the drained emit");
    d.advance(50);
    assert_eq!(d.io(), strings(&[r#"422["waits"]"#]), "its own timeout: sent again at 50 ms");
    d.text(r#"432[]"#);
    assert_eq!(d.io(), strings(&[r#"423["inherits the timeout"]"#]));
    d.events();
    d.advance(50);
    assert_eq!(d.io(), strings(&[r#"424["inherits the timeout"]"#]), "the leaked 50 ms timeout applies");
}

#[test]
fn volatile_emits_bypass_the_retry_queue() {
    let mut d = Driver::connected();
    d.socket_options(None, 2.0);
    d.emit_plain(r#"["queued"]"#);
    d.flag(Flag::Volatile);
    d.emit_plain(r#"["dropped"]"#);
    assert_eq!(d.io(), strings(&[r#"420["queued"]"#]), "right after a send the transport is not writable");
    d.flag(Flag::Volatile);
    d.emit_plain(r#"["volatile"]"#);
    assert_eq!(d.io(), strings(&[r#"42["volatile"]"#]), "once drained it is, and the queue does not hold it");
    assert_eq!(d.m.namespace(0).unwrap().queued(), 1);
}

// ----- time ordering -----

#[test]
fn a_late_timer_fires_an_earlier_ack_deadline_before_the_ping_timeout() {
    let mut d = Driver::connected();
    d.flag(Flag::Timeout(Some(45_000 - 1)));
    d.emit_cb(r#"["a"]"#, 1, false);
    d.events();
    d.sleep(50_000);
    d.m.handle_timeout(d.now);
    let events = d.events();
    assert_eq!(events[..2], [format!("ack_failed(0, #1, {TIMED_OUT})"), "close(ping timeout)".to_string()]);
}

#[test]
fn a_late_timer_fires_the_ping_timeout_before_a_later_ack_deadline() {
    let mut d = Driver::connected();
    d.flag(Flag::Timeout(Some(45_000 + 1)));
    d.emit_cb(r#"["a"]"#, 1, false);
    d.events();
    d.sleep(50_000);
    d.m.handle_timeout(d.now);
    let events = d.events();
    assert_eq!(events[..2], strings(&["close(ping timeout)", "disconnect(0, ping timeout)"]));
    assert_eq!(events[2], format!("ack_failed(0, #1, {DISCONNECTED})"));
}

#[test]
fn ack_deadlines_of_every_namespace_set_the_timer() {
    let mut d = Driver::connected();
    let admin = d.m.add_namespace("/admin");
    d.connect_ns(admin, "a1");
    d.m.set_flag(admin, Flag::Timeout(Some(70)));
    d.m.emit(d.now, admin, message(r#"["x"]"#, vec![]), Some(Callback { function: 9, error_first: false }));
    assert_eq!(d.timer_in(), Some(70));
    d.events();
    d.advance(70);
    assert_eq!(d.events(), strings(&[&format!("ack_failed(1, #9, {TIMED_OUT})")]));
}

// ----- outgoing notifications and buffers -----

#[test]
fn outgoing_notifications_follow_actual_sends_only() {
    let mut d = opening();
    d.emit_plain(r#"["buffered"]"#);
    assert!(d.events().is_empty(), "not sent yet");
    finish_connecting(&mut d);
    assert_eq!(d.events(), strings(&[r#"sent(0, ["buffered"])"#, "connect(0)"]));
    d.text(r#"425["question"]"#);
    d.events();
    d.m.ack(d.now, 0, 5, message("[1]", vec![]));
    assert_eq!(d.io(), strings(&["435[1]"]));
    assert!(d.events().is_empty(), "answers to the server are not outgoing events");
}

#[test]
fn assigning_the_send_buffer_keeps_the_named_packets() {
    let mut d = opening();
    for body in [r#"["a"]"#, r#"["b"]"#, r#"["c"]"#] {
        d.emit_plain(body);
    }
    d.m.retain_send_buffer(0, &[2, 0, 2, 9]);
    assert_eq!(d.send_buffer(), strings(&[r#"2["a"]"#, r#"2["c"]"#]), "in buffer order; unknown positions are ignored");
    d.m.retain_send_buffer(0, &[]);
    assert!(d.send_buffer().is_empty());
    assert_eq!(finish_connecting(&mut d), strings(&["40"]), "nothing left to send");
}

#[test]
fn the_receive_buffer_holds_events_until_connect() {
    let mut d = opening();
    d.handshake();
    d.events();
    d.m.send_connect(0, None);
    d.text(r#"42["early",1]"#);
    d.text(r#"423["early with ack"]"#);
    let namespace = d.m.namespace(0).unwrap();
    let buffered: Vec<(String, Option<u64>)> = namespace.receive_buffer.iter().map(|r| (r.args.to_string(), r.ack_id)).collect();
    assert_eq!(buffered, vec![(r#"["early",1]"#.to_string(), None), (r#"["early with ack"]"#.to_string(), Some(3))]);
    d.text(r#"40{"sid":"abc"}"#);
    assert!(d.m.namespace(0).unwrap().receive_buffer.is_empty());
    let events = d.events();
    assert_eq!(events, strings(&[r#"message(0, ["early",1], ack=None)"#, r#"message(0, ["early with ack"], ack=Some(3))"#, "connect(0)"]));
}

// ----- connection state recovery -----

/// A namespace 0 connected to a server with recovery on (pid `p1`), having received events with offsets.
fn recovering() -> Driver {
    let mut d = opening();
    d.handshake();
    d.events();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"s1","pid":"p1"}"#);
    d.text(r#"42["tick",1,"o1"]"#);
    d.text(r#"427["asks","o-with-ack"]"#);
    d.io();
    d
}

fn recovery_state(d: &Driver) -> (Option<String>, Option<String>, Option<bool>) {
    let recovery = d.m.namespace(0).unwrap().recovery();
    let offset = recovery.offset().map(|offset| offset.to_string());
    (recovery.pid().map(str::to_string), offset, recovery.recovered())
}

#[test]
fn the_pid_and_the_last_offset_are_remembered_and_listeners_still_see_the_offset() {
    let mut d = recovering();
    assert_eq!(recovery_state(&d), (Some("p1".to_string()), Some(r#""o1""#.to_string()), Some(false)));
    let events = d.events();
    assert!(events.contains(&r#"message(0, ["tick",1,"o1"], ack=None)"#.to_string()), "{events:?}");
}

#[test]
fn a_recovered_session_delivers_the_missed_events_before_connect() {
    let mut d = recovering();
    d.reconnect_to_needs_connect();
    assert_eq!(recovery_state(&d).0.as_deref(), Some("p1"), "the shell sends {{pid, offset, ...auth}}");
    d.m.send_connect(0, Some(message(r#"{"pid":"p1","offset":"o1"}"#, vec![])));
    assert_eq!(d.io(), strings(&[r#"40{"pid":"p1","offset":"o1"}"#]));
    d.text(r#"42["missed",2,"o2"]"#);
    d.text(r#"42["missed",3,"o3"]"#);
    assert!(d.events().is_empty(), "buffered until the CONNECT reply");
    d.text(r#"40{"sid":"s2","pid":"p1"}"#);
    let expected = [r#"message(0, ["missed",2,"o2"], ack=None)"#, r#"message(0, ["missed",3,"o3"], ack=None)"#, "connect(0)"];
    assert_eq!(d.events(), strings(&expected));
    assert_eq!(recovery_state(&d), (Some("p1".to_string()), Some(r#""o3""#.to_string()), Some(true)));
    assert_eq!(d.m.namespace(0).unwrap().sid.as_deref(), Some("s2"));
}

#[test]
fn a_new_pid_or_none_is_no_recovery() {
    let mut d = recovering();
    d.reconnect_to_needs_connect();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"s2","pid":"p2"}"#);
    assert_eq!(recovery_state(&d), (Some("p2".to_string()), Some(r#""o1""#.to_string()), Some(false)));
    d.reconnect_to_needs_connect();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"s3"}"#);
    assert_eq!(recovery_state(&d), (None, Some(r#""o1""#.to_string()), None), "undefined without a pid");
}

#[test]
fn without_recovery_recovered_is_undefined_after_connect_and_no_offset_is_kept() {
    let mut d = Driver::connected();
    d.text(r#"42["tick","looks like an offset"]"#);
    assert_eq!(recovery_state(&d), (None, None, None));
}

// ----- properties -----

/// One step of the random scenario below.
#[derive(Clone, Debug)]
enum Step {
    Emit { with_callback: bool, error_first: bool },
    Flag(Flag),
    Reply { id: u64, null_first: bool },
    Advance(Millis),
    TransportClose,
    Reconnect,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (any::<bool>(), any::<bool>()).prop_map(|(with_callback, error_first)| Step::Emit { with_callback, error_first }),
        1 => prop_oneof![
            proptest::option::of(0u64..300).prop_map(Flag::Timeout),
            Just(Flag::Volatile),
            any::<bool>().prop_map(Flag::Compress),
        ]
        .prop_map(Step::Flag),
        3 => (0u64..12, any::<bool>()).prop_map(|(id, null_first)| Step::Reply { id, null_first }),
        2 => (0u64..400).prop_map(Step::Advance),
        1 => Just(Step::TransportClose),
        1 => Just(Step::Reconnect),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the traffic and options, every callback is called at most once (also when several attempts
    /// of a queued emit were sent) and the timer is never armed in the past.
    #[test]
    fn callbacks_settle_at_most_once(
        steps in proptest::collection::vec(step(), 0..50),
        ack_timeout in proptest::option::of(0u64..300),
        retries in prop_oneof![Just(0.0), Just(1.0), Just(2.0), Just(f64::INFINITY)],
    ) {
        let mut d = Driver::connected();
        d.socket_options(ack_timeout, retries);
        let mut next_callback = 0u32;
        let mut settled = std::collections::HashSet::new();
        for step in steps {
            match step {
                Step::Emit { with_callback, error_first } => {
                    next_callback += 1;
                    let callback = with_callback.then_some(Callback { function: next_callback, error_first });
                    d.m.emit(d.now, 0, message(r#"["e"]"#, vec![]), callback);
                }
                Step::Flag(flag) => d.flag(flag),
                Step::Reply { id, null_first } => d.text(&format!("43{id}[{}]", if null_first { "null" } else { "1" })),
                Step::Advance(ms) => {
                    let target = d.now + ms;
                    let mut wake_ups = 0;
                    while let Some(at) = d.m.poll_timeout().filter(|at| *at <= target) {
                        d.now = d.now.max(at);
                        d.m.handle_timeout(d.now);
                        wake_ups += 1;
                        prop_assert!(wake_ups < 1000, "the timer makes no progress");
                    }
                    d.now = target;
                }
                Step::TransportClose => d.transport_close(),
                Step::Reconnect => {
                    if !d.m.is_open() && d.m.is_reconnecting() {
                        d.advance(10_000);
                        if !d.m.is_open() {
                            d.text(r#"0{"sid":"e2","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#);
                        }
                        d.m.send_connect(0, None);
                        d.text(r#"40{"sid":"again"}"#);
                    }
                }
            }
            for event in d.events() {
                if let Some(rest) = event.strip_prefix("ack_") {
                    let callback = rest.split('#').nth(1).and_then(|tail| tail.split(',').next()).unwrap_or_default().to_string();
                    prop_assert!(settled.insert(callback.clone()), "callback #{} settled twice", callback);
                }
            }
            d.io();
            prop_assert!(d.m.poll_timeout().is_none_or(|at| at >= d.now));
        }
    }
}
