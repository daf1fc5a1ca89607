// The pretest check: quick and silent when Chromium and PostgreSQL are there, and a clear refusal
// naming what to fix when they are not (checked with a Chromium path that does not exist).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("passes silently within a second when both packages are present", async () => {
  const started = Date.now();
  const { stdout, stderr } = await run("bash", ["scripts/system-deps.sh"]);
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(stdout + stderr).toBe("");
});

it("stops with one line naming KIOSK_E2E_CHROMIUM when it points at nothing", async () => {
  const attempt = run("bash", ["scripts/system-deps.sh"], {
    env: { ...process.env, KIOSK_E2E_CHROMIUM: "/nonexistent/chrome", KIOSK_SYSTEM_DEPS_NO_INSTALL: "1" },
  });
  await expect(attempt).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(
      /^system-deps: KIOSK_E2E_CHROMIUM=\/nonexistent\/chrome is not an executable/,
    ),
  });
});
