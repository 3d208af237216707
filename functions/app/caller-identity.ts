/**
 * Who calls a private function: the email of the Google identity token in the Authorization
 * header. Cloud Run (IAM) has already verified the token's signature and audience before the
 * function runs, so only its payload is read here; a header that is not a bearer JWT with an
 * email claim names no one.
 */

/**
 * The caller's email from an "Authorization: Bearer <JWT>" header, or null.
 *
 * @example callerEmail("Bearer eyJhbGciOi….eyJlbWFpbCI6InRydW9uZ3Bob25nQGNvbmdhbi5leGFtcGxlIn0.sig") // → "truongphong@congan.example"
 */
export function callerEmail(authorization: string | readonly string[] | undefined): string | null {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const token = /^Bearer\s+(\S+)$/i.exec(typeof header === "string" ? header.trim() : "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    return typeof claims.email === "string" && claims.email.includes("@") ? claims.email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}
