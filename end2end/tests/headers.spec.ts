import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// Every page runs under the site's Content-Security-Policy (server/src/http/headers.rs):
// walking the pages a visitor, a guide, a cooperative admin and the platform admin see,
// Chromium reports no violation of it, and a listing's gallery script still runs.
const PUBLIC = [
  "/",
  "/crafts",
  "/tours",
  "/events",
  "/cooperatives",
  "/cooperatives/tejedoras-del-picacho",
  "/tours/taller-de-tintes-naturales-teotitlan",
  "/cart",
  "/sign-in",
  "/sign-up",
];
const SIGNED_IN: Array<[string, string[]]> = [
  ["guia@tianguis.demo", ["/account", "/dashboard", "/dashboard/slots"]],
  ["coop@tianguis.demo", ["/coop/tejedoras-del-picacho", "/coop/tejedoras-del-picacho/members"]],
  ["raiz@tianguis.demo", ["/admin", "/admin/outbox"]],
];

test("no page breaks the content security policy, and the gallery script still runs", async ({ page, context }, info) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && msg.text().includes("Content Security Policy")) violations.push(msg.text());
  });

  for (const path of PUBLIC) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    expect(res?.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
  }

  // A craft with several photos: its page loads the gallery's script.
  await page.goto("/crafts?community=san-bartolo-coyotepec");
  await page.locator("article.card a.card-link").first().click();
  const thumbs = page.locator(".gallery .thumbs a");
  await expect(thumbs).toHaveCount(3);
  if (info.project.name === "javascript-on") {
    await thumbs.nth(2).click();
    await expect(thumbs.nth(2)).toHaveAttribute("aria-current", "true");
  }

  for (const [email, paths] of SIGNED_IN) {
    await context.clearCookies();
    await signIn(page, email);
    for (const path of paths) {
      const res = await page.goto(path);
      expect(res?.status(), `${email} ${path}`).toBe(200);
    }
  }

  expect(violations, "no Content-Security-Policy violation").toEqual([]);
});
