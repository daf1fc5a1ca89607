// Next calls register() once per server start: count rate limits in the shared database, finish
// any settlement a previous process left half-done before the first reader arrives (the chain is
// the source of truth), and sweep again on a timer while the server lives.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerTasks } = await import("./lib/payments/server");
  startServerTasks();
}
