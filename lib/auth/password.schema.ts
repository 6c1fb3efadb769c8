/**
 * A new password: at least 10 characters, at most 72 bytes (bcrypt reads no more), typed twice.
 */
import { z } from "zod";

export const newPasswordSchema = z
  .object({
    password: z
      .string()
      .min(10, "Use at least 10 characters.")
      .refine((p) => new TextEncoder().encode(p).length <= 72, "Use at most 72 bytes (about 70 characters)."),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });
