import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./support";

// An artisan signs in, writes a craft in Spanish and English and sends it for
// approval; her cooperative's admin approves it; a visitor then finds it in /crafts.
// Runs once with JavaScript on and once with it off (see playwright.config.ts): every
// form is a plain HTML form.

// Two small photos (grana and indigo), made for this test.
const PHOTOS = [
  { name: "grana.png", mimeType: "image/png", buffer: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR4nO3NMQ0AAAgDsCnBCgIxjQw4mvRvpvpExGKxWCwWi8VisVj8N15q3T+9QrpK5AAAAABJRU5ErkJggg==", "base64") },
  { name: "indigo.png", mimeType: "image/png", buffer: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAALElEQVR4nO3NMQ0AAAgDsDnBB4rwrwAZcDTp31TPiYjFYrFYLBaLxWKx+G+8R6CI3qi+yUkAAAAASUVORK5CYII=", "base64") },
];

test("a producer's craft reaches visitors once her cooperative approves it", async ({ page }, info) => {
  const title = `Rebozo de prueba ${info.project.name} ${Date.now()}`;

  await signIn(page, "artesana@tianguis.demo");
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Nueva publicación: artesanía" }).click();
  await expect(page).toHaveURL(/\/dashboard\/new\?kind=craft/);

  // A first try with a mistake: the page says what is wrong and keeps what was typed.
  await page.getByLabel("Categoría").selectOption("textiles");
  await page.getByLabel("Título — en español").fill(title);
  await page.getByLabel("Precio (pesos)").fill("mucho");
  await page.getByLabel("Piezas disponibles").fill("3");
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.locator(".field-error").first()).toBeVisible();
  await expect(page.getByLabel("Título — en español")).toHaveValue(title);

  await page.getByLabel("Título — en inglés").fill("Test rebozo");
  await page.getByLabel("Resumen — en español").fill("Tejido en telar de cintura");
  await page.getByLabel("Resumen — en inglés").fill("Woven on a backstrap loom");
  await page.getByLabel("Precio (pesos)").fill("1,800");
  await page.getByRole("button", { name: "Guardar" }).click();
  // Saved as a draft, and straight on to its photos.
  await expect(page).toHaveURL(/\/dashboard\/listings\/\d+\/edit\?done=created#photos$/);
  await expect(page.getByRole("status")).toContainText("Guardada como borrador");

  // Two photos, each with its description.
  for (const [i, photo] of PHOTOS.entries()) {
    await page.getByLabel("Foto", { exact: true }).setInputFiles(photo);
    await page.getByLabel("Descripción de la foto (para quien no la puede ver) — en español").fill(`Rebozo, foto ${i + 1}`);
    await page.getByRole("button", { name: "Subir la foto" }).click();
    await expect(page).toHaveURL(/done=photo$/);
  }
  await expect(page.locator(".photo-item")).toHaveCount(2);
  await page.goto("/dashboard");
  const item = page.locator("li.work", { hasText: title });
  await expect(item.locator(".status")).toHaveText("Borrador");
  await item.getByRole("button", { name: "Enviar a aprobación" }).click();
  await expect(page.locator("li.work", { hasText: title }).locator(".status")).toHaveText("Esperando aprobación");

  // Not public yet.
  await page.goto(`/crafts?q=${encodeURIComponent(title)}`);
  await expect(page.getByText(title)).toHaveCount(0);
  await signOut(page);

  await signIn(page, "coop@tianguis.demo");
  await page.goto("/coop/tejedoras-del-picacho");
  await page.locator("li.work", { hasText: title }).getByRole("button", { name: "Aprobar" }).click();
  await expect(page).toHaveURL(/done=approved$/);
  await signOut(page);

  await page.goto(`/crafts?q=${encodeURIComponent(title)}`);
  const card = page.locator("article.card", { hasText: title });
  await expect(card).toBeVisible();
  await expect(card.locator("img")).toHaveAttribute("alt", "Rebozo, foto 1");
  await page.locator("article.card", { hasText: title }).locator("a.card-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});
