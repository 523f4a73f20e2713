// The recording player page: asciinema-player on one terminal session's cast, with speed and idle-time limit.
import { create, type Player } from "asciinema-player";

const box = document.getElementById("player")!;
const speed = document.getElementById("player-speed") as HTMLSelectElement;
const idle = document.getElementById("player-idle") as HTMLSelectElement;
let player: Player | null = null;
let playing = false;

/** (Re)creates the player with the chosen speed and idle limit, at `startAt` seconds, playing if it was. */
function mount(startAt: number): void {
  player?.dispose();
  const idleTimeLimit = Number(idle.value);
  const created = create({ url: box.dataset.castUrl! }, box, {
    speed: Number(speed.value),
    ...(idleTimeLimit > 0 ? { idleTimeLimit } : {}),
    startAt,
    // Until it plays, the player shows the frame where the previous one stood.
    ...(startAt > 0 ? { poster: `npt:${startAt}` } : {}),
    autoPlay: playing,
    preload: true,
    fit: "width",
    controls: true,
    terminalFontFamily: "monospace",
  });
  created.addEventListener("play", () => (playing = true));
  created.addEventListener("pause", () => (playing = false));
  created.addEventListener("ended", () => (playing = false));
  player = created;
}

const remount = () => mount(player?.getCurrentTime() ?? 0);
speed.addEventListener("change", remount);
idle.addEventListener("change", remount);
/** For browser tests and the console. */
Object.assign(globalThis, { portholePlayer: () => player });
mount(0);
