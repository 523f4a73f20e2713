// The hidden command the Docker watchdog runs as (`porthole docker-watchdog <json>`), apart so the CLI loads nothing.
export const WATCHDOG_COMMAND = "docker-watchdog";
