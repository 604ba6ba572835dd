/**
 * RFC 4180 CSV reading (quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM). Knowledge
 * tables are small enough to parse whole; the core stays free of dependencies.
 */
/** Parses CSV text into rows of fields. Throws on an unterminated quoted field, naming the line. */
export function parseCsv(text) {
    const rows = [];
    let row = [];
    let field = '';
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let quoted = false;
    let line = 1;
    let quoteLine = 0;
    const n = text.length;
    while (i < n) {
        const c = text[i];
        if (quoted) {
            if (c === '"') {
                if (text[i + 1] === '"') {
                    field += '"';
                    i += 2;
                    continue;
                }
                quoted = false;
                i++;
                continue;
            }
            if (c === '\n')
                line++;
            field += c;
            i++;
            continue;
        }
        if (c === '"' && field === '') {
            quoted = true;
            quoteLine = line;
            i++;
            continue;
        }
        if (c === ',') {
            row.push(field);
            field = '';
            i++;
            continue;
        }
        if (c === '\r' || c === '\n') {
            row.push(field);
            field = '';
            rows.push(row);
            row = [];
            if (c === '\r' && text[i + 1] === '\n')
                i++;
            i++;
            line++;
            continue;
        }
        field += c;
        i++;
    }
    if (quoted)
        throw new Error(`unterminated quoted field starting on line ${quoteLine}`);
    if (field !== '' || row.length > 0) {
        row.push(field);
        rows.push(row);
    }
    return rows;
}
/** Parses CSV with a header row into objects keyed by header; rows that are entirely empty are dropped. */
export function parseCsvObjects(text) {
    const rows = parseCsv(text);
    if (rows.length === 0)
        return [];
    const header = rows[0].map((h) => h.trim());
    const out = [];
    for (let r = 1; r < rows.length; r++) {
        const cells = rows[r];
        if (cells.every((c) => c.trim() === ''))
            continue;
        const obj = {};
        for (let c = 0; c < header.length; c++)
            obj[header[c]] = (cells[c] ?? '').trim();
        out.push({ line: r + 1, row: obj });
    }
    return out;
}
//# sourceMappingURL=csv.js.map