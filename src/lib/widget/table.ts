/** A data cell: its text, with optional data-* attributes. */
export type TableCell = string | { text: string; data: Record<string, string> };

/** A row of a data table: its header cell, then its data cells, plus optional data-* attributes. */
export interface TableRow {
  head: string;
  cells: TableCell[];
  data?: Record<string, string>;
  className?: string;
}

/**
 * Renders a captioned data table with DOM calls (text only, never HTML strings), so readouts
 * built from reader input can never inject markup. Widgets use it as their text alternative to
 * charts and for per-item results.
 */
export function renderTable(container: HTMLElement, caption: string, columns: string[], rows: TableRow[]): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'sweep-table';
  table.createCaption().textContent = caption;
  const header = table.createTHead().insertRow();
  for (const name of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    header.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (row.className) tr.className = row.className;
    for (const [k, v] of Object.entries(row.data ?? {})) tr.dataset[k] = v;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = row.head;
    tr.append(th);
    for (const cell of row.cells) {
      const td = tr.insertCell();
      if (typeof cell === 'string') td.textContent = cell;
      else {
        td.textContent = cell.text;
        for (const [k, v] of Object.entries(cell.data)) td.dataset[k] = v;
      }
    }
  }
  container.replaceChildren(table);
  return table;
}
