import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create as parseFont, type Font } from 'fontkit';

/** The statement PDF's fonts: DejaVu Sans covers Vietnamese (the PDF standard fonts do not). */
export interface StatementFonts {
  regular: Font;
  bold: Font;
}

export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

let fonts: StatementFonts | undefined;

/**
 * The fonts, read once: in Lambda from the folder the bundle carries (STATEMENT_FONTS_DIR, copied
 * at synth), elsewhere from the installed package. Never fetched over the network.
 */
export function statementFonts(): StatementFonts {
  if (!fonts) {
    const dir = process.env.STATEMENT_FONTS_DIR ?? fontPackageDir();
    fonts = { regular: loadFont(join(dir, FONT_FILES.regular)), bold: loadFont(join(dir, FONT_FILES.bold)) };
  }
  return fonts;
}

/**
 * fontkit caches each glyph with the characters it was first looked up for; a glyph first met as
 * a part of another (A in Á, when a document's subset is written) would be cached with none, and
 * later documents' text would lose it (no ToUnicode entry). Every glyph is looked up by its
 * character first, once.
 */
function loadFont(path: string): Font {
  const font = parseFont(readFileSync(path));
  for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
  return font;
}

/** Where the installed font package keeps its TrueType files. */
export function fontPackageDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}
