import PDFDocument from 'pdfkit';
import { AMOUNT_COLUMNS_FROM, type StatementDocument } from '../core/statement.ts';
import { fill } from '../core/template.ts';
import { statementFonts, type StatementFonts } from './statement-fonts.ts';

/**
 * The statement as a printable A4 PDF, from the same document as the email (pdfkit), laid out as
 * an administrative letter (Decree 30/2020/ND-CP): the letterhead (the agency above and the
 * office, the document number; the national motto, the place and date), the statement, how to pay
 * and whom to call, the signature block, and every page numbered. The PDF's standard fonts have no
 * Vietnamese: DejaVu Sans (regular and bold) is embedded, subset.
 */

/** Column widths in points on an A4 page with 40 pt margins (515 pt): period and deadline, then four amounts. */
const WIDTHS = [95, 64, 89, 89, 89, 89];
const MARGIN = 40;
const CONTENT = 515;
/** The summary's labels; the values (a date with what is left to pay, at most) get the rest of the line. */
const LABEL_WIDTH = 245;
/** The letterhead's two columns: the agency on the left, the motto on the right. */
const AGENCY_WIDTH = 215;
const MOTTO_X = MARGIN + AGENCY_WIDTH + 10;
const MOTTO_WIDTH = CONTENT - AGENCY_WIDTH - 10;
/** The signature block, right of the page. */
const SIGNATURE_WIDTH = 220;
/** Room kept at the foot of every page for its number. */
const FOOT = 28;

/**
 * Every statement lays out the same labels, names and figures (fontkit's shaping of each word is most
 * of a PDF's cost): the word layouts pdfkit keeps per document are kept per face for the whole
 * process instead, renewed every few hundred documents so the amounts of every unit never pile up.
 * A layout depends only on the face and the word (pdfkit scales it by the face's units once, when
 * made), and the glyphs a document uses still go into its own subset (pdfkit's encode).
 */
const LAYOUTS_RENEWED_EVERY = 250;
let layouts: { regular: Record<string, unknown>; bold: Record<string, unknown>; documents: number } | undefined;
type LaidOutFont = { layoutCache?: Record<string, unknown> };

function shareLayouts(pdf: PDFKit.PDFDocument, f: StatementFonts): void {
  if (!layouts || layouts.documents >= LAYOUTS_RENEWED_EVERY || fontsOfLayouts !== f) {
    layouts = { regular: Object.create(null) as Record<string, unknown>, bold: Object.create(null) as Record<string, unknown>, documents: 0 };
    fontsOfLayouts = f;
  }
  layouts.documents++;
  const faces = pdf as unknown as { _font: LaidOutFont };
  pdf.font('bold');
  faces._font.layoutCache = layouts.bold;
  pdf.font('regular');
  faces._font.layoutCache = layouts.regular;
}
let fontsOfLayouts: StatementFonts | undefined;

export function statementPdf(doc: StatementDocument, f: StatementFonts = statementFonts()): Promise<Buffer> {
  const l = doc.letter;
  // Created when sent: the letter's send time, so the same statement sent at the same time gives the same bytes (its SHA-256 is recorded).
  const pdf = new PDFDocument({
    size: 'A4', margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOT }, font: null as never, lang: doc.locale, bufferPages: true,
    info: { Title: doc.title, Subject: doc.subject, Author: l.agency[1], Creator: 'arrears-follow-up', CreationDate: l.sentAt, ModDate: l.sentAt },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  // No default font (`font: null`): pdfkit would embed it, then compare it with 'regular' (the same face) by
  // serialising both name tables, for every document. Each face is opened once, under its name.
  pdf.registerFont('regular', f.regular as never);
  pdf.registerFont('bold', f.bold as never);
  shareLayouts(pdf, f);
  const bottom = () => pdf.page.height - pdf.page.margins.bottom;

  // Letterhead: the agency above, the office (bold, underlined by a short rule), the number | the motto, the place and date.
  const top = pdf.y;
  pdf.font('regular').fontSize(9).text(l.agency[0], MARGIN, top, { width: AGENCY_WIDTH, align: 'center' });
  pdf.font('bold').text(l.agency[1], MARGIN, pdf.y, { width: AGENCY_WIDTH, align: 'center' });
  const ruleY = pdf.y + 2;
  pdf.moveTo(MARGIN + AGENCY_WIDTH / 2 - 30, ruleY).lineTo(MARGIN + AGENCY_WIDTH / 2 + 30, ruleY).lineWidth(0.5).stroke('#000000');
  pdf.font('regular').fontSize(9).text(l.number, MARGIN, ruleY + 5, { width: AGENCY_WIDTH, align: 'center' });
  const leftBottom = pdf.y;
  pdf.font('bold').fontSize(9).text(l.motto[0], MOTTO_X, top, { width: MOTTO_WIDTH, align: 'center' });
  pdf.font('bold').fontSize(9.5).text(l.motto[1], MOTTO_X, pdf.y, { width: MOTTO_WIDTH, align: 'center', underline: true });
  pdf.font('regular').fontSize(9).text(l.dated, MOTTO_X, pdf.y + 7, { width: MOTTO_WIDTH, align: 'center' });
  pdf.x = MARGIN;
  pdf.y = Math.max(leftBottom, pdf.y) + 14;

  pdf.font('bold').fontSize(12).text(doc.title, MARGIN, pdf.y, { width: CONTENT, align: 'center' }).moveDown(0.8);
  pdf.font('regular').fontSize(10);
  for (const line of doc.header) pdf.text(line);
  pdf.moveDown(0.5);

  const row = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'bold' : 'regular').fontSize(8.5);
    const heights = cells.map((c, i) => pdf.heightOfString(c, { width: WIDTHS[i]! - 6 }));
    const height = Math.max(...heights) + 5;
    if (pdf.y + height > bottom()) pdf.addPage();
    const y = pdf.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      const w = WIDTHS[i]!;
      pdf.rect(x, y, w, height).lineWidth(0.5).stroke('#888888');
      pdf.fillColor('#000000').text(c, x + 3, y + 2.5, { width: w - 6, align: i >= AMOUNT_COLUMNS_FROM ? 'right' : 'left', lineBreak: true });
      x += w;
    });
    pdf.x = MARGIN;
    pdf.y = y + height;
  };
  row(doc.columns, true);
  for (const r of doc.rows) row(r, false);
  row(doc.total, true);

  pdf.moveDown(0.8).fontSize(9.5);
  for (const s of doc.summary) {
    const y = pdf.y;
    pdf.font('regular').text(s.label, MARGIN, y, { width: LABEL_WIDTH });
    const labelBottom = pdf.y;
    pdf.font('bold').text(s.value, MARGIN + LABEL_WIDTH, y, { width: CONTENT - LABEL_WIDTH, align: 'right' });
    pdf.x = MARGIN;
    pdf.y = Math.max(labelBottom, pdf.y) + 1.5;
  }

  // How to pay, then whom to call: what an employer needs to act on the statement.
  pdf.moveDown(0.7).font('regular').fontSize(9).fillColor('#000000');
  const [paymentHeading, ...accounts] = l.payment;
  pdf.font('bold').text(paymentHeading!, MARGIN, pdf.y, { width: CONTENT });
  pdf.font('regular');
  for (const line of accounts) pdf.text(line, MARGIN, pdf.y, { width: CONTENT });
  pdf.moveDown(0.4);
  for (const line of l.contact) pdf.text(line, MARGIN, pdf.y, { width: CONTENT });

  // The footer on the left and the signature block on the right, side by side as in an administrative letter:
  // the title, room for the signature and the seal, the name.
  pdf.fontSize(9);
  const footerWidth = CONTENT - SIGNATURE_WIDTH - 15;
  const footerHeight = doc.footer.reduce((h, line) => h + pdf.heightOfString(line, { width: footerWidth }), 0);
  const signatureHeight = 13 * l.signature.title.length + 50 + (l.signature.name ? 13 : 0);
  pdf.moveDown(0.8);
  if (pdf.y + Math.max(footerHeight, signatureHeight) > bottom()) pdf.addPage();
  const closing = pdf.y;
  pdf.font('regular').fillColor('#444444');
  for (const line of doc.footer) pdf.text(line, MARGIN, pdf.y, { width: footerWidth });
  const signatureX = MARGIN + CONTENT - SIGNATURE_WIDTH;
  pdf.fillColor('#000000').font('bold').fontSize(10);
  pdf.y = closing;
  for (const line of l.signature.title) pdf.text(line, signatureX, pdf.y, { width: SIGNATURE_WIDTH, align: 'center' });
  if (l.signature.name) pdf.text(l.signature.name, signatureX, pdf.y + 48, { width: SIGNATURE_WIDTH, align: 'center' });

  // Every page numbered at its foot, "Trang 1/2", once the page count is known.
  const pages = pdf.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    pdf.switchToPage(pages.start + i);
    // The label sits in the foot kept free: with the bottom margin in place, pdfkit would start a new page for it.
    pdf.page.margins.bottom = 0;
    const label = fill(l.pageLabel, { page: String(i + 1), pages: String(pages.count) });
    pdf.font('regular').fontSize(8).fillColor('#444444')
      .text(label, MARGIN, pdf.page.height - MARGIN - 10, { width: CONTENT, align: 'center', lineBreak: false, height: 12 });
  }
  pdf.end();
  return done;
}
