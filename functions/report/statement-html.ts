import { html, trusted } from '../commons/html.ts';
import { AMOUNT_COLUMNS_FROM, type StatementDocument } from '../core/statement.ts';

/**
 * The statement as the email's HTML body: one self-contained page (inline styles only, as mail
 * clients drop style sheets and never load anything), every value escaped. It carries what the
 * PDF carries: the letterhead, the statement, how to pay and whom to call.
 */
export function statementHtml(doc: StatementDocument): string {
  const l = doc.letter;
  const cell = (value: string, i: number, tag: 'td' | 'th') =>
    (i >= AMOUNT_COLUMNS_FROM ? html`<${trusted(tag)} style="${trusted(CELL)};text-align:right;white-space:nowrap">${value}</${trusted(tag)}>` : html`<${trusted(tag)} style="${trusted(CELL)};text-align:left">${value}</${trusted(tag)}>`);
  const [paymentHeading, ...accounts] = l.payment;
  return html`<!doctype html>
<html lang="${doc.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${doc.title}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#111;margin:16px">
<table role="presentation" style="width:100%;border-collapse:collapse;margin:0 0 16px;font-size:12px"><tr>
<td style="vertical-align:top;text-align:center;width:45%">${l.agency[0]}<br><strong>${l.agency[1]}</strong><br>${l.number}</td>
<td style="vertical-align:top;text-align:center"><strong>${l.motto[0]}</strong><br><strong style="text-decoration:underline">${l.motto[1]}</strong><br>${l.dated}</td>
</tr></table>
<h1 style="font-size:16px;margin:0 0 12px">${doc.title}</h1>
${doc.header.map((line) => html`<p style="margin:0 0 4px">${line}</p>`)}
<table style="border-collapse:collapse;margin:12px 0;font-size:13px">
<thead><tr>${doc.columns.map((c, i) => cell(c, i, 'th'))}</tr></thead>
<tbody>
${doc.rows.map((r) => html`<tr>${r.map((c, i) => cell(c, i, 'td'))}</tr>\n`)}</tbody>
<tfoot><tr style="font-weight:bold">${doc.total.map((c, i) => cell(c, i, 'td'))}</tr></tfoot>
</table>
<table style="border-collapse:collapse;margin:0 0 12px;font-size:13px">
${doc.summary.map((s) => html`<tr><th style="${trusted(CELL)};text-align:left;font-weight:normal">${s.label}</th><td style="${trusted(CELL)};text-align:right;font-weight:bold">${s.value}</td></tr>\n`)}</table>
<p style="margin:12px 0 4px;font-weight:bold">${paymentHeading ?? ''}</p>
${accounts.map((line) => html`<p style="margin:0 0 4px">${line}</p>`)}
<div style="margin:12px 0">${l.contact.map((line) => html`<p style="margin:0 0 4px">${line}</p>`)}</div>
${doc.footer.map((line) => html`<p style="margin:0 0 4px;color:#444">${line}</p>`)}
<p style="margin:16px 0 0;text-align:right;font-weight:bold">${[...l.signature.title, ...(l.signature.name ? [l.signature.name] : [])].map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>
</body>
</html>
`.text;
}

const CELL = 'border:1px solid #999;padding:4px 8px';
