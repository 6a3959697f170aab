import PDFDocument from 'pdfkit';
import { AMOUNT_COLUMNS_FROM, type StatementDocument } from '../core/statement.ts';
import { statementFonts, type StatementFonts } from './statement-fonts.ts';

/**
 * The statement as a printable A4 PDF, from the same document as the email (pdfkit). The PDF's
 * standard fonts have no Vietnamese: DejaVu Sans (regular and bold) is embedded, subset.
 */


/** Parsed once and shared by every document: parsing and laying out anew per statement cost most of its time. */
/** Column widths in points on an A4 page with 40 pt margins (515 pt): period and deadline, then four amounts. */
const WIDTHS = [95, 64, 89, 89, 89, 89];
const MARGIN = 40;
/** The summary's labels; the values (a date with what is left to pay, at most) get the rest of the line. */
const LABEL_WIDTH = 245;

export function statementPdf(doc: StatementDocument, f: StatementFonts = statementFonts()): Promise<Buffer> {
  // A fixed creation date: the same statement gives the same bytes (its SHA-256 is recorded).
  const pdf = new PDFDocument({
    size: 'A4', margin: MARGIN, font: f.regular as never, lang: doc.locale,
    info: { Title: doc.title, Subject: doc.subject, Creator: 'arrears-follow-up', CreationDate: new Date(0), ModDate: new Date(0) },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', f.regular as never);
  pdf.registerFont('bold', f.bold as never);

  pdf.font('bold').fontSize(12).text(doc.title, { align: 'center' }).moveDown(0.8);
  pdf.font('regular').fontSize(10);
  for (const line of doc.header) pdf.text(line);
  pdf.moveDown(0.5);

  const row = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'bold' : 'regular').fontSize(8.5);
    const heights = cells.map((c, i) => pdf.heightOfString(c, { width: WIDTHS[i]! - 6 }));
    const height = Math.max(...heights) + 6;
    if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
    const top = pdf.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      const w = WIDTHS[i]!;
      pdf.rect(x, top, w, height).lineWidth(0.5).stroke('#888888');
      pdf.fillColor('#000000').text(c, x + 3, top + 3, { width: w - 6, align: i >= AMOUNT_COLUMNS_FROM ? 'right' : 'left', lineBreak: true });
      x += w;
    });
    pdf.x = MARGIN;
    pdf.y = top + height;
  };
  row(doc.columns, true);
  for (const r of doc.rows) row(r, false);
  row(doc.total, true);

  pdf.moveDown(1).fontSize(10);
  for (const s of doc.summary) {
    const top = pdf.y;
    pdf.font('regular').text(s.label, MARGIN, top, { width: LABEL_WIDTH });
    const labelBottom = pdf.y;
    pdf.font('bold').text(s.value, MARGIN + LABEL_WIDTH, top, { width: 515 - LABEL_WIDTH, align: 'right' });
    pdf.x = MARGIN;
    pdf.y = Math.max(labelBottom, pdf.y) + 2;
  }
  pdf.moveDown(1).font('regular').fontSize(9).fillColor('#444444');
  for (const line of doc.footer) pdf.text(line, MARGIN);
  pdf.end();
  return done;
}
