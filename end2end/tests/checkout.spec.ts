import { expect, type Page, test } from "@playwright/test";

// Two visitors fill one cart each with two crafts from two cooperatives and a tour
// booking, and check out on the demo's simulated provider: the first pays by card
// and sees the confirmation; the second gets an OXXO voucher, which is paid later.
// Runs with JavaScript on and off: every step is a plain form.
// Made to order: no stock runs out however often the tests run.
const RUG = "/crafts/tapete-ojo-de-dios-gran-formato";
const POT = "/crafts/cantaro-mezcalero-barro-negro";
const TOUR = "/tours/taller-de-tintes-naturales-teotitlan";

// `date`: which open date of the tour. A cash voucher needs days to be paid and known,
// so OXXO is offered only when the tour is far enough ahead (the last date shown).
async function fillCart(page: Page, name: string, email: string, date: "first" | "last") {
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
  await expect(page.getByRole("heading", { name: "Tus lugares están apartados" })).toBeVisible();

  await page.goto("/cart");
  for (const coop of ["Tejedoras del Picacho", "Tierra Negra", "Telar de Grana"]) {
    await expect(page.locator(".cart-part h2", { hasText: coop })).toBeVisible();
  }
  await page.getByRole("link", { name: "Hacer el pedido" }).click();
  await page.locator("#name").fill(name);
  await page.locator("#email").fill(email);
  // Both crafts are shipped (each cooperative's first way): the address is needed.
  await page.getByLabel("Calle y número").fill("Av. Juárez 12");
  await page.getByLabel("Ciudad o pueblo").fill("Oaxaca de Juárez");
  await page.getByLabel("Estado", { exact: true }).fill("Oaxaca");
  await page.getByLabel("Código postal").fill("68000");
  await page.getByRole("button", { name: "Hacer el pedido y pagar" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9A-Z]{4}-[0-9A-Z]{4}\?k=/);
  await expect(page.getByRole("heading", { name: "Pago de prueba" })).toBeVisible();
  await expect(page.locator(".order-part")).toHaveCount(3);
}

test("a visitor pays two crafts and a tour once, by card", async ({ page }, info) => {
  const email = `tarjeta-${info.project.name}-${Date.now()}@ejemplo.mx`;
  await fillCart(page, `Tarjeta ${info.project.name}`, email, "first");
  await page.getByRole("button", { name: "Tarjeta aprobada" }).click();
  await expect(page.getByRole("heading", { name: "Pedido pagado: gracias" })).toBeVisible();
  await expect(page.locator(".order-part .status").first()).toContainText("Pagado");
  await page.locator(".order-part a[href^='/bookings/']").first().click();
  await expect(page.getByRole("heading", { name: "Tu reserva está confirmada" })).toBeVisible();
});

test("a visitor pays by OXXO voucher, later", async ({ page }, info) => {
  const email = `oxxo-${info.project.name}-${Date.now()}@ejemplo.mx`;
  await fillCart(page, `OXXO ${info.project.name}`, email, "last");
  await page.getByRole("button", { name: "Ficha OXXO (se paga después)" }).click();
  await expect(page.getByRole("heading", { name: "Tu ficha OXXO" })).toBeVisible();
  await expect(page.locator(".voucher-number .code")).toHaveText(/^\d{14}$/);
  await expect(page.getByRole("heading", { name: "Esperando el pago" })).toBeVisible();
  // Later, at the store.
  await page.reload();
  await page.getByRole("button", { name: "Simular: se pagó en la tienda" }).click();
  await expect(page.getByRole("heading", { name: "Pedido pagado: gracias" })).toBeVisible();
});
