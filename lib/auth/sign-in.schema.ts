import { z } from "zod";

export const signInSchema = z.object({
  email: z
    .email("Enter a valid e-mail address.")
    .max(254)
    .transform((s) => s.trim().toLowerCase()),
  password: z.string().min(1, "Enter your password.").max(200),
  next: z.string().max(512).optional(),
});
