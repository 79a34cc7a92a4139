/**
 * Renders an invoice's document model (shared/app/invoice-documents/model.ts) as a PDF with pdfkit: one A4
 * page per screenful of lines, the merchant at the top, the customer and dates, the lines as a table, then
 * subtotal, tax, total and amount due. Deterministic: the creation date (and with it the file ID pdfkit
 * derives from the info dictionary) is the invoice's finalization, and nothing else varies, so the same
 * invoice renders the same bytes. The standard Helvetica covers the symbols of the enabled currencies
 * ($, €, £, ¥ and ISO codes).
 */
import PDFDocument from 'pdfkit';
import type { InvoiceDocumentModel } from '../../app/invoice-documents/model.js';
import type { InvoicePdfRenderer } from '../../app/invoice-documents/ports.js';

const MARGIN = 50;
/** The table's columns: description, quantity, unit price, amount (x and width, in points). */
const COLUMNS = {
  description: { x: MARGIN, width: 235 },
  quantity: { x: 290, width: 50 },
  unitPrice: { x: 345, width: 95 },
  amount: { x: 445, width: 100 },
} as const;

export class PdfkitInvoiceRenderer implements InvoicePdfRenderer {
  render(model: InvoiceDocumentModel): Promise<Uint8Array> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      info: {
        Title: `Invoice ${model.number}`,
        Author: model.merchant.name,
        Subject: `Invoice ${model.number} from ${model.merchant.name}`,
        Creator: 'Tween Payments',
        Producer: 'Tween Payments',
        CreationDate: model.createdAt,
        ModDate: model.createdAt,
      },
      lang: 'en',
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Uint8Array>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      doc.on('error', reject);
    });
    layout(doc, model);
    doc.end();
    return done;
  }
}

function layout(doc: PDFKit.PDFDocument, model: InvoiceDocumentModel): void {
  doc.font('Helvetica-Bold').fontSize(20).text(model.merchant.name);
  doc.font('Helvetica').fontSize(10);
  if (model.merchant.email !== undefined) doc.text(model.merchant.email);
  doc.moveDown(1.5);

  doc.font('Helvetica-Bold').fontSize(16).text(`Invoice ${model.number}`);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Invoice number: ${model.number}`);
  doc.text(`Date of issue: ${model.issuedOn}`);
  if (model.dueOn !== null) doc.text(`Date due: ${model.dueOn}`);
  doc.moveDown(1);

  doc.font('Helvetica-Bold').text('Bill to');
  doc.font('Helvetica');
  const customer = [model.customer.name, model.customer.email].filter((part) => part !== undefined);
  doc.text(customer.length === 0 ? '—' : customer.join('\n'));
  doc.moveDown(1.5);

  row(doc, { description: 'Description', quantity: 'Qty', unitPrice: 'Unit price', amount: 'Amount' }, true);
  for (const line of model.lines) {
    if (doc.y > doc.page.height - MARGIN - 120) doc.addPage();
    row(doc, {
      description: line.period === undefined ? line.description : `${line.description}\n${line.period}`,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.amount,
    });
  }
  doc.moveDown(1);
  total(doc, 'Subtotal', model.subtotal);
  total(doc, 'Tax', model.tax);
  total(doc, 'Total', model.total, true);
  total(doc, 'Amount due', model.amountDue, true);
}

function row(doc: PDFKit.PDFDocument, cells: Record<keyof typeof COLUMNS, string>, header = false): void {
  const top = doc.y;
  doc.font(header ? 'Helvetica-Bold' : 'Helvetica');
  let bottom = top;
  for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const column = COLUMNS[key];
    doc.text(cells[key], column.x, top, {
      width: column.width,
      align: key === 'description' ? 'left' : 'right',
    });
    bottom = Math.max(bottom, doc.y);
  }
  doc
    .moveTo(MARGIN, bottom + 3)
    .lineTo(COLUMNS.amount.x + COLUMNS.amount.width, bottom + 3)
    .lineWidth(header ? 1 : 0.5)
    .stroke();
  doc.x = MARGIN;
  doc.y = bottom + 8;
}

function total(doc: PDFKit.PDFDocument, label: string, value: string, bold = false): void {
  const top = doc.y;
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
  doc.text(label, COLUMNS.unitPrice.x - 60, top, { width: COLUMNS.unitPrice.width + 60, align: 'right' });
  doc.text(value, COLUMNS.amount.x, top, { width: COLUMNS.amount.width, align: 'right' });
  doc.x = MARGIN;
  doc.moveDown(0.3);
}
