// Vitess type names as the PlanetScale client expects them (`@planetscale/database` cast table).
// The mapping follows Vitess `MySQLToType` + `modifyType`; see shared/reference/planetscale-http-protocol.md §3.
const FLAG_UNSIGNED = 32;
const FLAG_BINARY = 128;
const FLAG_ENUM = 256;
const FLAG_SET = 2048;
const FLAG_NUM = 32768;

// Wire types that MySQL clients and Vitess mark with NUM_FLAG.
const NUMERIC_WIRE_TYPES = new Set([0, 1, 2, 3, 4, 5, 6, 8, 9, 13, 246]);

const SIGNED: Record<number, string> = {
  0: 'DECIMAL',
  1: 'INT8',
  2: 'INT16',
  3: 'INT32',
  4: 'FLOAT32',
  5: 'FLOAT64',
  7: 'TIMESTAMP',
  8: 'INT64',
  9: 'INT24',
  10: 'DATE',
  11: 'TIME',
  12: 'DATETIME',
  13: 'YEAR',
  14: 'DATE',
  15: 'VARCHAR',
  16: 'BIT',
  17: 'TIMESTAMP',
  18: 'DATETIME',
  19: 'TIME',
  242: 'VECTOR',
  245: 'JSON',
  246: 'DECIMAL',
  247: 'ENUM',
  248: 'SET',
  249: 'TEXT',
  250: 'TEXT',
  251: 'TEXT',
  252: 'TEXT',
  253: 'VARCHAR',
  254: 'CHAR',
  255: 'GEOMETRY',
};

const UNSIGNED: Record<number, string> = {
  1: 'UINT8',
  2: 'UINT16',
  3: 'UINT32',
  8: 'UINT64',
  9: 'UINT24',
};

const BINARY: Record<number, string> = {
  15: 'VARBINARY',
  253: 'VARBINARY',
  254: 'BINARY',
  249: 'BLOB',
  250: 'BLOB',
  251: 'BLOB',
  252: 'BLOB',
};

/** The parts of mysql2's column definition we read (text protocol), incl. MariaDB extended metadata. */
export interface ColumnDefinition {
  name: string;
  table?: string;
  orgTable?: string;
  orgName?: string;
  schema?: string;
  columnLength?: number;
  columnType?: number;
  type?: number;
  characterSet?: number;
  decimals?: number;
  flags?: number;
  extendedFormat?: string;
}

/** Vitess type name, or undefined for NULL_TYPE (which protojson omits). */
export function vitessType(column: ColumnDefinition): string | undefined {
  const wire = column.columnType ?? column.type ?? 6;
  const flags = column.flags ?? 0;
  // MariaDB's JSON is a LONGTEXT alias; only its extended metadata says it is JSON.
  if (column.extendedFormat === 'json') return 'JSON';
  if (wire === 6) return undefined;
  if (flags & FLAG_UNSIGNED && UNSIGNED[wire]) return UNSIGNED[wire];
  if (wire === 254) {
    if (flags & FLAG_ENUM) return 'ENUM';
    if (flags & FLAG_SET) return 'SET';
  }
  if (flags & FLAG_BINARY && BINARY[wire]) return BINARY[wire];
  return SIGNED[wire] ?? 'VARBINARY';
}

export interface ProtoField {
  name: string;
  type?: string;
  table?: string;
  orgTable?: string;
  database?: string;
  orgName?: string;
  columnLength?: number;
  charset?: number;
  decimals?: number;
  flags?: number;
}

/** protojson form of a field: zero values and empty strings omitted, as PlanetScale sends them. */
export function protoField(column: ColumnDefinition): ProtoField {
  const wire = column.columnType ?? column.type ?? 6;
  let flags = column.flags ?? 0;
  if (NUMERIC_WIRE_TYPES.has(wire)) flags |= FLAG_NUM;
  const out: ProtoField = { name: column.name };
  const type = vitessType(column);
  if (type) out.type = type;
  if (column.table) out.table = column.table;
  if (column.orgTable) out.orgTable = column.orgTable;
  if (column.schema) out.database = column.schema;
  if (column.orgName) out.orgName = column.orgName;
  if (column.columnLength) out.columnLength = column.columnLength;
  if (column.characterSet) out.charset = column.characterSet;
  if (column.decimals) out.decimals = column.decimals;
  if (flags) out.flags = flags;
  return out;
}

export interface ProtoRow {
  lengths: string[];
  values?: string;
}

/** Rows as byte lengths (-1 for NULL) plus the base64 of all non-NULL cells concatenated. */
export function protoRow(cells: ReadonlyArray<Buffer | null>): ProtoRow {
  const lengths: string[] = new Array(cells.length);
  const parts: Buffer[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) {
      lengths[i] = '-1';
    } else {
      lengths[i] = String(cell.length);
      if (cell.length) parts.push(cell);
    }
  }
  const row: ProtoRow = { lengths };
  if (parts.length) row.values = Buffer.concat(parts).toString('base64');
  return row;
}
