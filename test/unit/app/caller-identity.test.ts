/** The close function's caller: the email claim of the bearer identity token (verified by Cloud Run before the call). */
import { describe, expect, it } from "vitest";
import { callerEmail } from "../../../functions/app/caller-identity.js";

const token = (claims: object): string => ["{\"alg\":\"RS256\"}", JSON.stringify(claims)].map((p) => Buffer.from(p).toString("base64url")).join(".") + ".sig";

describe("callerEmail", () => {
  it("reads the email claim of a bearer JWT, lower case", () => {
    expect(callerEmail(`Bearer ${token({ email: "TruongPhong@congan.example", aud: "x" })}`)).toBe("truongphong@congan.example");
    expect(callerEmail([`bearer ${token({ email: "a@b.vn" })}`])).toBe("a@b.vn");
  });

  it.each([[undefined], [""], ["Basic YWxhZGRpbjpvcGVuc2VzYW1l"], ["Bearer not-a-jwt"], [`Bearer ${token({ sub: "123" })}`], [`Bearer ${token({ email: "khong-phai-thu" })}`], ["Bearer a.%%%.c"]])(
    "names no one for %j",
    (header) => {
      expect(callerEmail(header)).toBeNull();
    },
  );
});
