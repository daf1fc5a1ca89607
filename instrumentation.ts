// Next calls register() once per server start. In production a configuration that cannot serve
// (no receipt secret, a bad variable) stops the process here, at boot and loudly, rather than
// leaving it up to answer every paid request with a 500. Then: count rate limits in the shared database,
// finish any settlement a previous process left half-done before the first reader arrives (the
// chain is the source of truth), and sweep again on a timer while the server lives.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NODE_ENV === "production") {
    const { env, EnvError } = await import("./lib/env");
    try {
      env();
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      console.error(`[kiosk] refusing to start: ${error.message}`);
      process.exit(1);
    }
  }
  const { startServerTasks } = await import("./lib/payments/server");
  startServerTasks();
}
