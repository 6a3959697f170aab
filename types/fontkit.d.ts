declare module 'fontkit' {
  /** A parsed font (pdfkit takes it in place of the file's bytes). Only what this code base uses. */
  export interface Font {
    layout(text: string): unknown;
    characterSet: number[];
    glyphForCodePoint(codePoint: number): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
