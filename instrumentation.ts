// Next calls register() once per server start. In production a configuration that cannot serve
// (no receipt secret, a bad variable) stops the process here, at boot and loudly, rather than
// leaving it up to answer every paid request with a 500. Then: count rate limits in the shared database,
// finish any settlement a previous process left half-done before the first reader arrives (the
// chain is the source of truth), and sweep again on a timer while the server lives.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { refuseToStartIfMisconfigured } = await import("./lib/boot");
  refuseToStartIfMisconfigured();
  const { startServerTasks } = await import("./lib/payments/server");
  startServerTasks();
}
