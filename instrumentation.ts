// Next calls register() once per server start: finish any settlement a previous process left
// half-done before the first reader arrives (the chain is the source of truth).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startupSweep } = await import("./lib/payments/server");
  startupSweep();
}
