// One studio API call at a time, with what the form shows around it: which action is running
// (its button says so and every button waits), and the server's message or a success line.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ApiResult } from "./api-client";

export type FormMessage = { tone: "error" | "success"; text: string };

export function useStudioMutation<Action extends string>() {
  const router = useRouter();
  const [busy, setBusy] = useState<Action | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);

  /** Runs the call as `action` and hands back its result; a refusal's message is shown already. */
  async function run<T>(action: Action, call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    setBusy(action);
    setMessage(null);
    const result = await call();
    setBusy(null);
    if (!result.ok) setMessage({ tone: "error", text: result.message });
    return result;
  }

  /** Shows `text` and re-renders the page's server components with the saved state. */
  function succeeded(text: string) {
    setMessage({ tone: "success", text });
    router.refresh();
  }

  return { busy, message, setMessage, run, succeeded, router };
}
