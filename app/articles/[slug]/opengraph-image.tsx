// GET /articles/<slug>/opengraph-image → the article's share card (share-card.tsx) | 404
import { SHARE_CARD_ALT, SHARE_CARD_SIZE, shareCardImage } from "./share-card";

export const alt = SHARE_CARD_ALT;
export const size = SHARE_CARD_SIZE;
export const contentType = "image/png";
export default shareCardImage;
