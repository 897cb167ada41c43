import { expect, type Page } from "@playwright/test";

// The password of every demo account (demo data: never a real site's).
export const PASSWORD = "tianguis demo 2026";

export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Entrar" }).click();
  await expect(page).toHaveURL(/\/account$/);
}

export async function signOut(page: Page) {
  await page.goto("/account");
  await page.getByRole("button", { name: "Salir" }).click();
  await expect(page).toHaveURL(/\/sign-in\?done=signed-out$/);
}
