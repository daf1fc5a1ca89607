// Rendered (with HTTP 403) when a studio page calls forbidden(): the resource is another publisher's.
import { Forbidden } from "@/components/studio/forbidden";

export default function StudioForbidden() {
  return <Forbidden what="article or data endpoint" />;
}
