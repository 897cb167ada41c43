import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RUG, fillCart, signIn } from "./support";

// Every page type, as each role sees it, on a 360 px phone: nothing wider than the
// screen, and no accessibility violation of any impact by axe-core (all its rules);
// every public page previewed with an absolute JPEG, every listing with its JSON-LD.
// Screenshots of the main page types at 360 px and 1280 px go to end2end/screenshots/
// for review. Runs in the "layout" project (JavaScript on: axe is a script).

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const PHONE = { width: 360, height: 780 };
const SHOTS = join(__dirname, "..", "screenshots");
const DESKTOP = { width: 1280, height: 900 };

type Problem = string;

// Pages found by following a link on another page (the demo's codes and ids vary).
async function linkOn(page: Page, path: string, hrefPrefix: string): Promise<string> {
  await page.goto(path);
  const href = await page
    .locator(`a[href^="${hrefPrefix}"]`)
    .first()
    .getAttribute("href", { timeout: 5_000 })
    .catch(() => null);
  expect(href, `${path} links to ${hrefPrefix}…`).toBeTruthy();
  return href!;
}

async function check(page: Page, who: string, path: string, problems: Problem[], shot?: string) {
  await page.setViewportSize(PHONE);
  const res = await page.goto(path);
  expect(res, path).toBeTruthy();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > PHONE.width) {
    const wide = await page.evaluate((limit) => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = el.getBoundingClientRect();
        if (r.right > limit + 0.5 && getComputedStyle(el).position !== "fixed") {
          const parentWide = el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 0.5;
          if (!parentWide) out.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 60) + ` (${Math.round(r.right)} px)`);
        }
      }
      return out.slice(0, 5);
    }, PHONE.width);
    problems.push(`${who} ${path}: ${width} px wide on a ${PHONE.width} px phone: ${wide.join(", ")}`);
  }
  // The phone's header is one row: logo and name, the cart (with its count), the menu.
  const oneRow = await page.evaluate(() => {
    const rects = Array.from(
      document.querySelectorAll(".site-header > .brand, .site-header > .cart-link, .site-header > .menu"),
    ).map((el) => el.getBoundingClientRect());
    // In one row when every piece starts above where every other one ends.
    return Math.max(...rects.map((r) => r.top)) < Math.min(...rects.map((r) => r.bottom));
  });
  if (!oneRow) problems.push(`${who} ${path}: the phone's header takes more than one row`);
  if (who === "visitor" && res!.status() === 200 && !path.startsWith("/orders/") && !path.startsWith("/bookings/")) {
    await sharedWell(page, path, problems);
  }
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the script evaluated above
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(
      (v: { id: string; impact: string; nodes: { target: string[] }[] }) =>
        `${v.impact} ${v.id} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`,
    );
  });
  for (const v of violations) problems.push(`${who} ${path}: ${v}`);
  if (shot) {
    const name = `${shot}-${who.replace(/@.*/, "")}`;
    await page.screenshot({ path: join(SHOTS, `${name}-360.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SHOTS, `${name}-1280.png`), fullPage: true });
  }
}

// A public page shared in a chat or a post: an absolute og:image that is a JPEG the
// site serves; a listing page: schema.org JSON-LD that parses, of the listing's type.
async function sharedWell(page: Page, path: string, problems: Problem[]) {
  // Pages not meant to be shared or found (the cart, sign-in…) say noindex.
  if (await page.locator('meta[name="robots"][content*="noindex"]').count()) return;
  const tags = page.locator('meta[property="og:image"]');
  const image = (await tags.count()) === 1 ? await tags.getAttribute("content") : null;
  if (!image || !/^https?:\/\//.test(image)) {
    problems.push(`visitor ${path}: og:image is not an absolute address: ${image}`);
  } else {
    const answer = await page.request.get(new URL(image).pathname);
    if (answer.status() !== 200 || answer.headers()["content-type"] !== "image/jpeg") {
      problems.push(`visitor ${path}: og:image ${image} answers ${answer.status()} ${answer.headers()["content-type"]}`);
    }
  }
  const kind = path.match(/^\/(crafts|tours|events)\/[^/?]+$/)?.[1];
  if (kind) {
    const expected = { crafts: "Product", tours: "TouristTrip", events: "Event" }[kind];
    const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
    const types = blocks.flatMap((text) => {
      try {
        return [JSON.parse(text)["@type"]];
      } catch {
        problems.push(`visitor ${path}: JSON-LD that does not parse: ${text.slice(0, 80)}`);
        return [];
      }
    });
    if (!types.includes(expected)) problems.push(`visitor ${path}: no ${expected} JSON-LD (found ${types})`);
  }
}

test("every page fits a 360 px phone and has no accessibility violation, for every role", async ({ page, context }) => {
  test.setTimeout(300_000);
  const problems: Problem[] = [];

  // A visitor, not signed in.
  const craft = await linkOn(page, "/crafts?community=san-bartolo-coyotepec", "/crafts/");
  const tour = "/tours/taller-de-tintes-naturales-teotitlan";
  const event = await linkOn(page, "/events", "/events/");
  const slot = await linkOn(page, tour, "/slots/");
  const visitor: Array<[string, string?]> = [
    ["/", "home"],
    ["/crafts", "catalog"],
    ["/tours"],
    ["/events"],
    ["/crafts?min=barato"],
    ["/crafts?q=tapate", "search with a typo"],
    ["/crafts?q=tapete%20cobre&category=metalwork", "search that finds nothing"],
    ["/search?q=barro%20negro", "one box"],
    ["/tours?cooperative=tejedoras-del-picacho", "one cooperative's"],
    [craft, "craft"],
    [tour, "tour"],
    [event, "event"],
    [slot, "slot"],
    ["/cooperatives"],
    ["/cooperatives/tejedoras-del-picacho", "cooperative"],
    ["/communities/teotitlan-del-valle", "community"],
    ["/communities/teotitlan-del-valle/fund", "fund"],
    ["/cart"],
    ["/sign-in"],
    ["/sign-up"],
    ["/forgot-password"],
    ["/order-links"],
    ["/about"],
    ["/contact"],
    ["/terms"],
    ["/returns", "returns"],
    ["/privacy"],
    ["/no-such-page"],
  ];
  for (const [path, shot] of visitor) await check(page, "visitor", path, problems, shot);

  // The same visitor with a craft in the cart.
  // (The rug is made to order: it never runs out, however often the tests run.)
  await page.goto(RUG);
  await page.getByRole("button", { name: "Agregar al carrito" }).click();
  await expect(page).toHaveURL(/\/cart\?done=added$/);
  await check(page, "visitor", "/cart", problems, "cart");
  await check(page, "visitor", "/checkout", problems, "checkout");

  // A visitor's order, waiting to be paid, then paid: its receipt, and a booking in it.
  // (Its emails, with their long links, are then in the outbox the admin reads.)
  await context.clearCookies();
  await fillCart(page, "Ana Pruebas", `pantallas-${Date.now()}@ejemplo.mx`, "first");
  const order = new URL(page.url());
  await check(page, "visitor", order.pathname + order.search, problems, "order-to-pay");
  await page.getByRole("button", { name: "Tarjeta aprobada" }).click();
  await expect(page.getByRole("heading", { name: "Pedido pagado: gracias" })).toBeVisible();
  await check(page, "visitor", order.pathname + order.search, problems, "receipt");
  const booking = await page.locator(".order-part a[href^='/bookings/']").first().getAttribute("href");
  await check(page, "visitor", booking!, problems, "booking");

  const signedIn: Array<[string, Array<[string, string?]>]> = [
    ["visita@tianguis.demo", [["/account", "account"]]],
    [
      "artesana@tianguis.demo",
      [["/dashboard", "dashboard"], ["/dashboard/earnings", "earnings"]],
    ],
    ["guia@tianguis.demo", [["/dashboard"], ["/dashboard/slots", "slots"]]],
    [
      "coop@tianguis.demo",
      [
        ["/coop/tejedoras-del-picacho", "coop"],
        ["/coop/tejedoras-del-picacho/members"],
        ["/coop/tejedoras-del-picacho/profile"],
        ["/coop/tejedoras-del-picacho/finances", "finances"],
        ["/coop/tejedoras-del-picacho/shipping"],
        ["/dashboard/orders", "orders"],
      ],
    ],
    ["raiz@tianguis.demo", [["/admin"], ["/admin/outbox", "outbox"]]],
  ];
  for (const [email, paths] of signedIn) {
    await context.clearCookies();
    await signIn(page, email);
    for (const [path, shot] of paths) await check(page, email, path, problems, shot);
    // Pages reached from those: an order, a booking, a listing's editor, a manifest.
    const found: Array<[string, string, string?]> = {
      "visita@tianguis.demo": [],
      "artesana@tianguis.demo": [
        ["/dashboard", "/dashboard/new?kind=craft", "new-craft"],
        ["/dashboard", "/dashboard/listings/"],
        ["/dashboard", "/dashboard/producers/"],
      ],
      "guia@tianguis.demo": [
        ["/dashboard/slots", "/dashboard/slots/", "manifest"],
        ["/dashboard", "/dashboard/listings/"],
      ],
      "coop@tianguis.demo": [["/dashboard/orders", "/dashboard/orders/", "sold-order"]],
      "raiz@tianguis.demo": [],
    }[email]!;
    for (const [from, prefix, shot] of found) {
      await check(page, email, await linkOn(page, from, prefix), problems, shot);
    }
  }

  expect(problems, problems.join("\n")).toEqual([]);
});
