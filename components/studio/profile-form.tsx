"use client";
// Creates the signed-in wallet's publisher profile, or edits its name. The payout address defaults
// to the wallet; changing it later takes the account wallet's signature (PayoutPanel).
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { studioApi } from "./api-client";
import { Field, inputClass, Notice } from "./fields";
import { useStudioMutation } from "./use-studio-mutation";

type Props = { mode: "create"; wallet: string } | { mode: "edit"; wallet: string; initial: { name: string } };

export function ProfileForm(props: Props) {
  const [name, setName] = useState(props.mode === "edit" ? props.initial.name : "");
  const [payTo, setPayTo] = useState("");
  const { busy, message, run, succeeded, router } = useStudioMutation<"save">();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await run("save", () =>
      props.mode === "create"
        ? studioApi("POST", "/api/studio/publisher", { name, payTo: payTo.trim() })
        : studioApi("PATCH", "/api/studio/publisher", { name }),
    );
    if (!result.ok) return;
    if (props.mode === "create") router.refresh();
    else succeeded("Saved.");
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
      <Button type="submit" disabled={busy !== null} data-testid="profile-save">
        {props.mode === "create" ? "Create publisher profile" : "Save profile"}
      </Button>
    </form>
  );
}
