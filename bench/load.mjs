// How much of the machine something other than the bench used (Linux only; null elsewhere): the
// machine's busy CPU time from /proc/stat, minus the CPU time of this process and all its descendants
// (the server, Chromium and its renderers). Descendants that exited are still counted, through their
// parents' cutime/cstime. The result is in cores: 1.0 = one core busy with other work on average.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + (steal ?? 0);
}

function processTable() {
  const table = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is the state (field 3 of stat(5)): ppid is field 4, utime..cstime fields 14..17.
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
      table.set(Number(name), { ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime });
    } catch {
      // the process exited while we were reading
    }
  }
  return table;
}

function ownTicks() {
  const table = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  let total = 0;
  const stack = [process.pid];
  while (stack.length) {
    const pid = stack.pop();
    total += table.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export function loadSample() {
  if (os.platform() !== "linux") return null;
  try {
    return { at: process.hrtime.bigint(), machine: machineBusyTicks(), own: ownTicks() };
  } catch {
    return null;
  }
}

// Average cores used by others and by the bench between two samples.
export function loadBetween(start, end) {
  if (!start || !end) return null;
  const seconds = Number(end.at - start.at) / 1e9;
  const machine = (end.machine - start.machine) / TICKS_PER_SECOND / seconds;
  const own = (end.own - start.own) / TICKS_PER_SECOND / seconds;
  return { seconds, benchCores: own, otherCores: Math.max(0, machine - own), cores: os.cpus().length };
}
