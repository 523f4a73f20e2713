// Output flow-control thresholds shared by the session and its tests.

export interface FlowLimits {
  /** A client with more output than this not yet taken pauses the PTY… */
  highWater: number;
  /** …until every client is back below this. */
  lowWater: number;
  /** A client (viewer or writer) that keeps the PTY paused this long while another keeps up is dropped (`too_slow`). */
  stallMs: number;
  /** For PTYs that cannot pause (canPause false): a client this far behind is dropped instead. */
  hardLimit: number;
}

/** 256 KB keeps Ctrl-C snappy (xterm.js advises ≤ 500 KB in flight) while loopback throughput stays full. */
export const DEFAULT_FLOW: FlowLimits = {
  highWater: 256 * 1024,
  lowWater: 64 * 1024,
  stallMs: 3000,
  hardLimit: 8 << 20,
};
