/** The one text-table layout of the CLI: columns two spaces apart, padded to the widest cell. */

/**
 * Lines of a table. Cells are measured as they are given (plain text, already escaped);
 * `paint` may wrap a cell in colour codes after it is measured. The last column is not
 * padded, and no line ends in spaces.
 */
export function renderTable(
  rows: ReadonlyArray<readonly string[]>,
  paint: (row: number, col: number, cell: string) => string = (_row, _col, cell) => cell,
): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row, r) =>
    row
      .map((cell, c) => {
        const painted = paint(r, c, cell);
        return c === row.length - 1 ? painted : painted + ' '.repeat((widths[c] ?? 0) - cell.length);
      })
      .join('  ')
      .trimEnd(),
  );
}
