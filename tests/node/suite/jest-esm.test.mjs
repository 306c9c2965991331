// Jest, ES module (node --experimental-vm-modules): `import { io } from "socket.io-client"` (see
// scenarios.cjs).
import { afterEach, beforeEach, test } from "@jest/globals";
import { io } from "socket.io-client";
import scenarios from "./scenarios.cjs";

scenarios({ io, test, beforeEach, afterEach });
