// The 403 page (forbidden() from next/navigation; the studio has its own inside its layout).
import { Forbidden } from "@/components/studio/forbidden";

export default function ForbiddenPage() {
  return <Forbidden what="page" />;
}
