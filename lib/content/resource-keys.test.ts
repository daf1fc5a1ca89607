// Resource keys: built, parsed, and read off request paths, in one place.
import { describe, expect, it } from "vitest";
import {
  articleKey,
  articleKeyOf,
  dataKey,
  dataKeyOf,
  parseResourceKey,
  resourceKeyForPath,
} from "./resource-keys";

describe("resource keys", () => {
  it("maps request paths to resource keys", () => {
    expect(resourceKeyForPath("/articles/deep-sea")).toBe("article:deep-sea");
    expect(resourceKeyForPath("/api/articles/deep-sea")).toBe("article:deep-sea");
    expect(resourceKeyForPath("/api/data/weather/harbor-tides.csv")).toBe("data:weather/harbor-tides.csv");
    expect(resourceKeyForPath("/studio")).toBeNull();
  });

  it("parse back into what they were built from", () => {
    expect(parseResourceKey(articleKey("deep-sea"))).toEqual({ kind: "article", slug: "deep-sea" });
    expect(parseResourceKey(dataKey("weather/harbor-tides.csv"))).toEqual({
      kind: "data",
      path: "weather/harbor-tides.csv",
    });
    expect(parseResourceKey("article:")).toBeNull();
    expect(parseResourceKey("publisher:1")).toBeNull();
    expect(parseResourceKey("deep-sea")).toBeNull();
  });

  it("name nothing for a URL that cannot be a resource", () => {
    expect(articleKeyOf({ slug: "..%2Fetc" })).toEqual({ kind: "article", key: null });
    expect(articleKeyOf({ slug: "deep-sea" })).toEqual({ kind: "article", key: "article:deep-sea" });
    expect(dataKeyOf({ path: ["a".repeat(301)] })).toEqual({ kind: "data", key: null });
    expect(dataKeyOf({ path: ["weather", "tides.csv"] })).toEqual({
      kind: "data",
      key: "data:weather/tides.csv",
    });
  });
});
