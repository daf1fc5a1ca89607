// The studio forms' one way to call the studio API: JSON in, JSON out, and the server's error
// message (the same sentence the API's tests check) back for the form to show.
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export async function studioApi<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    return {
      ok: false,
      status: 0,
      message: "Could not reach the server; check your connection and try again.",
    };
  }
  const json = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return { ok: true, data: json as T };
  const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
  return {
    ok: false,
    status: res.status,
    message: typeof message === "string" ? message : `The server answered ${res.status}.`,
  };
}
