// Start-up checks for the Node.js server (instrumentation.ts). Kept out of instrumentation.ts
// itself, which Next also compiles for the Edge runtime, where process.exit does not exist.
import { env, EnvError } from "./env";

/** In production, a configuration that cannot serve stops the process at boot, naming the variable. */
export function refuseToStartIfMisconfigured(): void {
  if (process.env.NODE_ENV !== "production") return;
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`[kiosk] refusing to start: ${error.message}`);
    process.exit(1);
  }
}
