// A terminal broker for runners that offer no terminals: nothing is offered, nothing is held.
import type { TerminalBroker } from "../domain/coordinator.ts";

export const noTerminalBroker: TerminalBroker = {
  offer: () => {},
  hold: async () => {},
  withdraw: () => {},
};
