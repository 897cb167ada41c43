import { expect, test } from "@playwright/test";
import { fillCart } from "./support";

// Two visitors fill one cart each with two crafts from two cooperatives and a tour
// booking, and check out on the demo's simulated provider: the first pays by card
// and sees the confirmation; the second gets an OXXO voucher, which is paid later.
// Runs with JavaScript on and off: every step is a plain form.
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
