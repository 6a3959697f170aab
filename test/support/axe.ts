import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core (the npm package, injected into the page) on whatever the page shows: its serious and
 * critical violations (and those of `ALWAYS_ENFORCED`), each as `rule: target` lines. Injected through the DevTools protocol
 * (`page.evaluate`), which the pages' Content-Security-Policy does not apply to, so the pages keep
 * their `default-src 'none'`.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Rules that fail the check whatever axe's impact (landmark-unique is "moderate" in axe; the inbox once named two landmarks alike). */
const ALWAYS_ENFORCED = ['landmark-unique'];

export interface AxeFinding { rule: string; impact: string; help: string; targets: string[] }

export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated in the page (this project's TypeScript has no DOM types).
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || ${JSON.stringify(ALWAYS_ENFORCED)}.includes(v.id))
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })))`);
}

/** The page at desktop width and at 390 px: every serious or critical violation at either, labelled with the width. */
export async function axeAtBothWidths(page: Page): Promise<string[]> {
  const original = page.viewportSize() ?? { width: 390, height: 844 };
  const found: string[] = [];
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    for (const v of await axeViolations(page)) found.push(`${viewport.width}px ${v.rule} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
  }
  await page.setViewportSize(original);
  return found;
}

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
