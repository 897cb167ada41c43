import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./support";

// A visitor picks a date on a tour's calendar, books two adults and a child, goes
// straight to checkout (filled in with the name and email typed), pays (the demo's
// simulated card) and sees the booking code and its QR; the guide opens the
// slot's manifest, checks the party in by typing the code, and opens the QR's
// link (as a phone camera would) to find the party already checked in. Runs with
// JavaScript on and off.
const TOUR = "/tours/taller-de-tintes-naturales-teotitlan";

test("a visitor books 2 adults and 1 child and the guide checks them in", async ({ page }, info) => {
  const email = `familia-${info.project.name}-${Date.now()}@ejemplo.mx`;
  const name = `Familia Prueba ${info.project.name}`;

  await page.goto(TOUR);
  const date = page.locator("table.calendar a.slot.open").first();
  await expect(date).toBeVisible();
  await date.click();
  await expect(page).toHaveURL(/\/slots\/\d+$/);
  const slotId = new URL(page.url()).pathname.split("/").pop();

  // A mistake first: nobody chosen. The message says so; what was typed stays.
  await page.getByLabel("Nombre").fill(name);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByRole("button", { name: "Apartar lugares" }).click();
  await expect(page.locator(".field-error").first()).toContainText("al menos un lugar");
  await expect(page.getByLabel("Correo electrónico")).toHaveValue(email);

  await page.locator("#count_adult").fill("2");
  await page.locator("#count_child").fill("1");
  await page.getByRole("button", { name: "Apartar lugares" }).click();
  // Straight on to checkout, filled in with what was typed: nothing typed twice.
  await expect(page).toHaveURL(/\/checkout\?done=booked&/);
  await expect(page.getByRole("status")).toContainText("Tus lugares están apartados hasta las");
  await expect(page.getByRole("status")).toContainText("(hora de la Ciudad de México)");
  await expect(page.locator("#name")).toHaveValue(name);
  await expect(page.locator("#email")).toHaveValue(email);
  await expect(page.locator(".checkout-part")).toContainText("3 lugares");
  await page.getByRole("button", { name: "Hacer el pedido y pagar" }).click();
  await page.getByRole("button", { name: "Tarjeta aprobada" }).click();
  await expect(page.getByRole("heading", { name: "Pedido pagado: gracias" })).toBeVisible();
  await page.locator(".order-part a[href^='/bookings/']").first().click();

  await expect(page.getByRole("heading", { name: "Tu reserva está confirmada" })).toBeVisible();
  const code = (await page.locator(".booking-code .code").textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(page.locator("figure.qr svg")).toBeVisible();

  await signIn(page, "guia@tianguis.demo");
  await page.goto(`/dashboard/slots/${slotId}`);
  await expect(page.locator("table.manifest-rows")).toContainText(name);
  await page.getByLabel("Código de la reserva (o escanea su QR)").fill(code.toLowerCase().replace("-", ""));
  await page.locator("form.check-in").getByRole("button", { name: "Registrar llegada" }).click();
  await expect(page.getByRole("status")).toContainText(`Llegada registrada: ${name} (3)`);
  await expect(page.locator("tr", { hasText: name })).toContainText("llegó");

  // The QR code's link, as the guide's phone camera opens it: the code is filled in.
  await page.goto(`/dashboard/slots/${slotId}?code=${code}`);
  await expect(page.getByLabel("Código de la reserva (o escanea su QR)")).toHaveValue(code);
  await page.locator("form.check-in").getByRole("button", { name: "Registrar llegada" }).click();
  await expect(page.getByRole("status")).toContainText("ya había llegado");
  await signOut(page);
});
