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

// Made to order: no stock runs out however often the tests run.
export const RUG = "/crafts/tapete-ojo-de-dios-gran-formato";
export const POT = "/crafts/cantaro-mezcalero-barro-negro";
const TOUR = "/tours/taller-de-tintes-naturales-teotitlan";

// `date`: which open date of the tour. A cash voucher needs days to be paid and known,
// so OXXO is offered only when the tour is far enough ahead (the last date shown).
export async function fillCart(page: Page, name: string, email: string, date: "first" | "last") {
  for (const craft of [RUG, POT]) {
    await page.goto(craft);
    await page.getByRole("button", { name: "Agregar al carrito" }).click();
    await expect(page).toHaveURL(/\/cart\?done=added$/);
  }
  await page.goto(TOUR);
  const dates = page.locator("table.calendar a.slot.open");
  await (date === "first" ? dates.first() : dates.last()).click();
  await page.getByLabel("Nombre").fill(name);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.locator("#count_adult").fill("1");
  await page.getByRole("button", { name: "Apartar lugares" }).click();
  await expect(page).toHaveURL(/\/checkout\?done=booked&/);

  await page.goto("/cart");
  for (const coop of ["Tejedoras del Picacho", "Tierra Negra", "Telar de Grana"]) {
    await expect(page.locator(".cart-part h2", { hasText: coop })).toBeVisible();
  }
  await placeOrder(page, name, email);
  await expect(page.getByRole("heading", { name: "Pago de prueba" })).toBeVisible();
  await expect(page.locator(".order-part")).toHaveCount(3);
}

// From the cart to the order's page: the buyer's name and email and an address (both
// crafts are shipped, each cooperative's first way).
export async function placeOrder(page: Page, name: string, email: string) {
  await page.goto("/cart");
  await page.getByRole("link", { name: "Hacer el pedido" }).click();
  await page.locator("#name").fill(name);
  await page.locator("#email").fill(email);
  await page.getByLabel("Calle y número").fill("Av. Juárez 12");
  await page.getByLabel("Ciudad o pueblo").fill("Oaxaca de Juárez");
  await page.getByLabel("Estado", { exact: true }).fill("Oaxaca");
  await page.getByLabel("Código postal").fill("68000");
  await page.getByRole("button", { name: "Hacer el pedido y pagar" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9A-Z]{4}-[0-9A-Z]{4}\?k=/);
}
