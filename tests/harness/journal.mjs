// Expected journals (the in-page t.journal: "m" for the Manager, "s" for the socket) shared by the
// lifecycle scenarios.

// A socket that connects.
export const CONNECTED = ["m open", "s connect"];

// A connected socket losing its connection with `reason`, then reconnecting at the first attempt.
export const lostAndBack = (reason) => [
  `s disconnect ${reason}`,
  `m close ${reason}`,
  "m reconnect_attempt 1",
  "m open",
  "m reconnect 1",
  "s connect",
];
