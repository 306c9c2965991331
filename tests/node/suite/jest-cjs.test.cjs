// Jest, CommonJS (its default): `const io = require("socket.io-client")` (see scenarios.cjs).
const io = require("socket.io-client");
const scenarios = require("./scenarios.cjs");

scenarios({ io, test, beforeEach, afterEach });
