// What the library says is left of a purchase's access at `now`: "forever", a countdown to the
// end of its window ("2 days 3 hours left"), "expired", or "one request" for a per-request call.
// Pure: takes the purchase's access as the server read it.
import type { Access } from "@/lib/payments/entitlements";

const UNITS = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
] as const;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

export function accessLeft(access: Access, now: Date): string {
  switch (access.kind) {
    case "forever":
      return "forever";
    case "once":
      return "one request (used)";
    case "until": {
      const seconds = Math.floor((access.endsAt.getTime() - now.getTime()) / 1000);
      if (seconds <= 0) return "expired";
      if (seconds < 60) return "less than a minute left";
      // The two largest units that are not zero: "2 days 3 hours", "5 hours 12 minutes", "4 minutes".
      const parts: string[] = [];
      let rest = seconds;
      for (const [unit, size] of UNITS) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0 || parts.length > 0) parts.push(plural(n, unit));
        if (parts.length === 2) break;
      }
      return `${parts.filter((p) => !p.startsWith("0 ")).join(" ")} left`;
    }
    default: {
      const never: never = access;
      throw new Error(`unhandled access ${String(never)}`);
    }
  }
}
