"use client";
// Creates the signed-in wallet's publisher profile, or edits its name. The payout address defaults
// to the wallet; changing it later takes the account wallet's signature (PayoutPanel).
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { studioApi } from "./api-client";
import { Field, inputClass, Notice, PrimaryButton } from "./fields";

type Props = { mode: "create"; wallet: string } | { mode: "edit"; wallet: string; initial: { name: string } };

export function ProfileForm(props: Props) {
  const router = useRouter();
  const [name, setName] = useState(props.mode === "edit" ? props.initial.name : "");
  const [payTo, setPayTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const result =
      props.mode === "create"
        ? await studioApi("POST", "/api/studio/publisher", { name, payTo: payTo.trim() })
        : await studioApi("PATCH", "/api/studio/publisher", { name });
    setBusy(false);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    if (props.mode === "create") router.refresh();
    else {
      setMessage({ tone: "success", text: "Saved." });
      router.refresh();
    }
  }

  return (
    <form onSubmit={submit} className="space-y-5" data-testid="profile-form">
      <Field label="Publisher name" htmlFor="publisher-name" hint="Shown to readers as the byline.">
        <input
          id="publisher-name"
          className={inputClass}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          required
        />
      </Field>
      {props.mode === "create" && (
        <Field
          label="Payout address"
          htmlFor="publisher-pay-to"
          hint="Where readers' USDC goes. Leave empty to use the wallet you signed in with."
        >
          <input
            id="publisher-pay-to"
            className={`${inputClass} font-mono`}
            value={payTo}
            placeholder={props.wallet}
            onChange={(e) => setPayTo(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
      )}
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <PrimaryButton type="submit" disabled={busy} data-testid="profile-save">
        {props.mode === "create" ? "Create publisher profile" : "Save profile"}
      </PrimaryButton>
    </form>
  );
}
