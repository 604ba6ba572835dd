/**
 * RFC 4180 CSV reading (quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM). Knowledge
 * tables are small enough to parse whole; the core stays free of dependencies.
 */
/** Parses CSV text into rows of fields. Throws on an unterminated quoted field, naming the line. */
export declare function parseCsv(text: string): string[][];
/** Parses CSV with a header row into objects keyed by header; rows that are entirely empty are dropped. */
export declare function parseCsvObjects(text: string): Array<{
    line: number;
    row: Record<string, string>;
}>;
//# sourceMappingURL=csv.d.ts.map