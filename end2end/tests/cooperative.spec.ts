import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signOut } from "./support";

// A cooperative admin invites a new artisan by email; she opens the link in the
// email (read here from the platform admin's outbox, where the demo keeps its mail),
// creates her account from it, joins with one button and writes her public profile;
// the admin then sees her among the members and in the record of changes. Runs with
// JavaScript on and off.
const COOP = "Cooperativa de Tejedoras del Picacho";

test("an invited artisan joins her cooperative from the emailed link", async ({ page }, info) => {
  const email = `tejedora-${info.project.name}-${Date.now()}@ejemplo.mx`;
  const name = `Elena Prueba ${info.project.name}`;

  await signIn(page, "coop@tianguis.demo");
  await page.goto("/coop/tejedoras-del-picacho/members");
  // A mistake first (she is a member already): the message sits next to the field,
  // and what was typed stays.
  await page.getByLabel("Correo electrónico").fill("artesana@tianguis.demo");
  await page.getByRole("button", { name: "Enviar invitación" }).click();
  await expect(page.locator(".field-error").first()).toContainText("ya es integrante");
  await expect(page.getByLabel("Correo electrónico")).toHaveValue("artesana@tianguis.demo");
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Se une como").selectOption("artisan");
  await page.getByRole("button", { name: "Enviar invitación" }).click();
  await expect(page).toHaveURL(/done=invited$/);
  await expect(page.locator(`li[data-email="${email}"]`)).toBeVisible();
  await signOut(page);

  await signIn(page, "raiz@tianguis.demo");
  await page.goto("/admin/outbox");
  const link = await page
    .locator(`li.email[data-to="${email}"] a[href*="/invitations/"]`)
    .first()
    .getAttribute("href");
  expect(link).toBeTruthy();
  await signOut(page);

  // The link points at the public address; the test server serves the same path.
  await page.goto(new URL(link!).pathname);
  await expect(page.getByRole("heading", { name: `Invitación de ${COOP}` })).toBeVisible();
  await page.getByRole("link", { name: "Crear una cuenta" }).click();
  await page.getByLabel("Tu nombre").fill(name);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Crear mi cuenta" }).click();
  await expect(page).toHaveURL(/\/invitations\//);
  await page.getByRole("button", { name: `Unirme a ${COOP}` }).click();
  await expect(page).toHaveURL(/\/dashboard\?done=joined$/);
  await expect(page.getByRole("status")).toContainText("Ya eres parte de la cooperativa");

  await page.getByRole("link", { name: "Editar el perfil público" }).click();
  await page.getByLabel("Qué haces (por ejemplo: tapetes de lana, recorridos por la selva) — en español").fill("Rebozos de algodón");
  await page.getByRole("button", { name: "Guardar perfil" }).click();
  await expect(page).toHaveURL(/done=saved$/);
  await page.goto("/cooperatives/tejedoras-del-picacho");
  await expect(page.locator("li", { hasText: name })).toContainText("Rebozos de algodón");
  await signOut(page);

  await signIn(page, "coop@tianguis.demo");
  await page.goto("/coop/tejedoras-del-picacho/members");
  await expect(page.locator(`li.work[data-email="${email}"]`)).toContainText(name);
  await expect(page.locator("ol.history")).toContainText(`${name} se unió a la cooperativa`);
});
