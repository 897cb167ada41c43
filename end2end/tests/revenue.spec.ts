import { expect, type Page, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { POT, RUG, placeOrder, signIn, signOut } from "./support";

// Where the money goes, in a real browser, with JavaScript on and off: a visitor
// buys crafts of two cooperatives and reads the split on the receipt; the
// cooperative's admin marks her part delivered, sees the artisan's share become
// available, pays it out and downloads the statement; a member votes on the
// community fund's open proposal, and changes her vote.
const FINANCES = "/coop/tejedoras-del-picacho/finances";

/// "$1,234.56 MXN" → 123456.
function centavos(text: string): number {
  const m = text.match(/\$([\d,]+)\.(\d\d)/);
  if (!m) throw new Error(`no amount in ${text}`);
  return Number(m[1].replaceAll(",", "")) * 100 + Number(m[2]);
}

async function payable(page: Page): Promise<number> {
  await page.goto(FINANCES);
  return centavos(await page.locator("#payout p").first().innerText());
}

test("a visitor sees the split, and the cooperative pays out what was delivered", async ({ page }, info) => {
  // The visitor.
  for (const craft of [RUG, POT]) {
    await page.goto(craft);
    await page.getByRole("button", { name: "Agregar al carrito" }).click();
    await expect(page).toHaveURL(/\/cart\?done=added$/);
  }
  await placeOrder(page, `Recibo ${info.project.name}`, `recibo-${info.project.name}-${Date.now()}@ejemplo.mx`);
  const code = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByRole("button", { name: "Tarjeta aprobada" }).click();
  await expect(page.getByRole("heading", { name: "Pedido pagado: gracias" })).toBeVisible();

  const receipt = page.locator("#receipt");
  await expect(receipt.getByRole("heading", { name: "A dónde va tu dinero" })).toBeVisible();
  await expect(receipt).toContainText("Hecho o guiado por Rosario Bautista Ruiz");
  await expect(receipt).toContainText("Tejedoras del Picacho");
  await expect(receipt).toContainText("Tierra Negra");
  // The rug, the pot, their shipping, and the total row: every centavo accounted for.
  const rows = receipt.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThanOrEqual(3);
  const total = centavos(await rows.last().locator("td").last().innerText());
  let sum = 0;
  for (const cell of await rows.last().locator("td").all()) sum += centavos(await cell.innerText());
  expect(sum).toBe(2 * total);

  // The cooperative's admin.
  await signIn(page, "coop@tianguis.demo");
  const before = await payable(page);
  await expect(page.locator("#member-balances")).toContainText("Rosario Bautista Ruiz");
  await page.goto(`/dashboard/orders/${code}`);
  await page.getByLabel("Paquetería").fill("Estafeta");
  await page.getByLabel("Número de guía").fill(`EST-${Date.now()}`);
  await page.getByRole("button", { name: "Marcar como enviado" }).click();
  await page.getByRole("button", { name: "Marcar como entregado" }).click();
  await expect(page.locator(".order-part .status").first()).toContainText("Entregado");
  const after = await payable(page);
  expect(after).toBeGreaterThan(before);

  const payout = page.locator("#payout");
  await payout.getByLabel("Transferencia SPEI").check();
  await payout.getByLabel("Referencia").fill(`SPEI ${info.project.name} ${Date.now()}`);
  await payout.getByRole("button", { name: "Registrar el pago a la cooperativa" }).click();
  await expect(page.getByText("Pago registrado.")).toBeVisible();
  expect(await payable(page)).toBe(0);
  await expect(page.locator("#payout-list")).toContainText(`SPEI ${info.project.name}`);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Descargar el estado de cuenta (CSV)" }).click();
  const file = await (await download).path();
  const csv = await readFile(file, "utf8");
  // A byte-order mark first, so that Excel reads the accents of names as UTF-8.
  expect(csv.startsWith("\uFEFF")).toBe(true);
  expect(csv.slice(1).split("\r\n")[0]).toBe("fecha,asiento,tipo,pedido,cuenta,titular,cargo,abono,moneda,nota");
  expect(csv).toContain(code);
  expect(csv).toContain("Pago a la cooperativa");
  await signOut(page);
});

test("a member votes on the fund's open proposal, and changes her mind", async ({ page }) => {
  await signIn(page, "artesana@tianguis.demo");
  await page.goto("/communities/teotitlan-del-valle/fund");
  await expect(page.getByRole("heading", { name: "Fondo comunitario de Teotitlán del Valle" })).toBeVisible();
  const roof = page.locator("article.proposal", { hasText: "Techo del salón comunitario" });
  await roof.getByRole("button", { name: "En contra" }).click();
  await expect(page.getByText("Voto guardado.")).toBeVisible();
  await expect(roof).toContainText("Tu voto: En contra");
  await roof.getByRole("button", { name: "A favor" }).click();
  await expect(roof).toContainText("Tu voto: A favor");
  // The approved project was paid for; everyone sees it.
  await signOut(page);
  await page.goto("/communities/teotitlan-del-valle/fund");
  await expect(page.locator("#spending")).toContainText("Casa de los Tintes");
  await expect(page.locator("article.proposal", { hasText: "Techo del salón comunitario" }).getByRole("button")).toHaveCount(0);
});
