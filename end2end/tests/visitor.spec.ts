import { expect, test } from "@playwright/test";

// A visitor opens the home page, filters crafts by community, opens a craft,
// switches to English and back. Runs once with JavaScript on and once with it off
// (see the projects in playwright.config.ts).
test("a visitor browses crafts by community in Spanish and English", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));

  await page.goto("/", { waitUntil: "load" });
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("El mercado de las comunidades");

  await page.getByRole("navigation", { name: "Secciones" }).getByRole("link", { name: "Artesanías" }).click();
  await expect(page).toHaveURL(/\/crafts$/);

  // Filter by state, then by one of its communities, with the plain GET form (works
  // with or without JavaScript): the communities are offered once a state is chosen.
  await page.getByLabel("Estado").selectOption("oaxaca");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/state=oaxaca/);
  await page.getByLabel("Comunidad").selectOption("san-bartolo-coyotepec");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/community=san-bartolo-coyotepec/);
  const cards = page.locator("article.card");
  await expect(cards.first()).toBeVisible();
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  for (const link of await cards.locator("a[href^='/communities/']").all()) {
    await expect(link).toHaveAttribute("href", "/communities/san-bartolo-coyotepec");
  }

  // Open the first craft.
  await cards.first().locator("a.card-link").click();
  await expect(page).toHaveURL(/\/crafts\/[a-z0-9-]+$/);
  await expect(page.locator(".provenance")).toContainText("San Bartolo Coyotepec");
  await expect(page.locator(".price.big")).toContainText("MXN");

  // The photo gallery: a strip of photos that scrolls sideways, and thumbnails that
  // link to each. With JavaScript a thumbnail scrolls the strip alone and is marked.
  const thumbs = page.locator(".gallery .thumbs a");
  const strip = page.locator(".photo-strip");
  const shown = () => strip.evaluate((e) => Math.round(e.scrollLeft / e.clientWidth));
  await expect(thumbs).toHaveCount(3);
  await expect(thumbs.nth(1)).toHaveAttribute("href", "#photo-2");
  await expect(thumbs.nth(1)).toHaveAccessibleName(/Foto 2 de 3/);
  await thumbs.nth(1).click();
  await expect.poll(shown).toBe(1);
  if (info.project.name === "javascript-on") {
    await expect(thumbs.nth(1)).toHaveAttribute("aria-current", "true");
    await expect(thumbs.nth(0)).not.toHaveAttribute("aria-current", "true");
    await expect(page).toHaveURL(/\/crafts\/[a-z0-9-]+$/);
  } else {
    await expect(page).toHaveURL(/#photo-2$/);
  }

  // Switch to English, then back to Spanish.
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator(".provenance")).toContainText("Cooperative");
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Crafts" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en"); // remembered
  await page.getByRole("link", { name: "Español" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");

  expect(errors, "no console errors").toEqual([]);
});

test("a bad filter value gets a clear message", async ({ page }) => {
  const response = await page.goto("/crafts?min=barato");
  expect(response?.status()).toBe(400);
  await expect(page.locator(".error-message")).toContainText("no es un precio en pesos");
});
