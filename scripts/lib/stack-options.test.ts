import path from "node:path";
import { describe, expect, it } from "vitest";
import { StackError, parseStackOptions } from "./stack-options";

describe("parseStackOptions", () => {
  it("defaults to port 3000, anvil on 8545, .data, automine", () => {
    expect(parseStackOptions(["dev"], {}, "/repo")).toEqual({
      mode: "dev",
      port: 3000,
      anvilPort: 8545,
      dataDir: "/repo/.data",
      blockTime: undefined,
      fresh: false,
      databaseUrl: undefined,
    });
  });

  it("reads PORT, ANVIL_PORT, KIOSK_DATA_DIR, ANVIL_BLOCK_TIME and DATABASE_URL", () => {
    const options = parseStackOptions(
      ["start", "--fresh"],
      {
        PORT: "4000",
        ANVIL_PORT: "8601",
        KIOSK_DATA_DIR: "/tmp/kiosk",
        ANVIL_BLOCK_TIME: "2",
        DATABASE_URL: "postgres://localhost/kiosk",
      },
      "/repo",
    );
    expect(options).toEqual({
      mode: "start",
      port: 4000,
      anvilPort: 8601,
      dataDir: "/tmp/kiosk",
      blockTime: 2,
      fresh: true,
      databaseUrl: "postgres://localhost/kiosk",
    });
  });

  it("resolves a relative data dir against the working directory", () => {
    expect(parseStackOptions(["dev"], { KIOSK_DATA_DIR: "e2e/.data" }, "/repo").dataDir).toBe(
      path.resolve("/repo/e2e/.data"),
    );
  });

  it("lets --block-time override ANVIL_BLOCK_TIME, in both spellings", () => {
    expect(parseStackOptions(["dev", "--block-time", "0.5"], { ANVIL_BLOCK_TIME: "3" }).blockTime).toBe(0.5);
    expect(parseStackOptions(["dev", "--block-time=4"], {}).blockTime).toBe(4);
  });

  it.each([
    [["serve"], {}, /usage:/],
    [[], {}, /usage:/],
    [["dev", "--frsh"], {}, /unknown argument "--frsh"/],
    [["dev", "--block-time"], {}, /needs a number/],
    [["dev", "--block-time", "0"], {}, /--block-time must be a positive number/],
    [["dev"], { PORT: "http" }, /PORT must be a port number/],
    [["dev"], { ANVIL_PORT: "70000" }, /ANVIL_PORT must be a port number/],
    [["dev"], { ANVIL_BLOCK_TIME: "-1" }, /ANVIL_BLOCK_TIME must be a positive number/],
  ] as const)("rejects %j %j in one line", (argv, env, message) => {
    let thrown: unknown;
    try {
      parseStackOptions(argv, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StackError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain("\n");
  });
});
