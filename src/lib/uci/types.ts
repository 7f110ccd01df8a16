/** A value of a UCI option: `option x 'v'` is a string, `list x 'a'` lines make a string array. */
export type UciValue = string | string[];

export interface UciSection {
  /** Real name; anonymous sections get `cfgNNHHHH` like libuci. */
  name: string;
  type: string;
  anonymous: boolean;
  /** Insertion order is file order. */
  options: Map<string, UciValue>;
}

export interface UciPackage {
  name: string;
  /** File order; a section's index is its position here. */
  sections: UciSection[];
  /** libuci's `n_section`: sections ever allocated, used to name new anonymous sections. */
  sectionCounter: number;
}

/** The libuci error classes, with the text `uci_perror` prints for each. */
export const UCI_ERROR_TEXT = {
  INVAL: 'Invalid argument',
  NOTFOUND: 'Entry not found',
  IO: 'I/O error',
  PARSE: 'Parse error',
  DUPLICATE: 'Duplicate entry',
} as const;

export type UciErrorCode = keyof typeof UCI_ERROR_TEXT;

export class UciError extends Error {
  constructor(readonly code: UciErrorCode, message: string = UCI_ERROR_TEXT[code]) {
    super(message);
    this.name = 'UciError';
  }
}

/** `Parse error (<reason>) at line N, byte M`, positions counted the way libuci counts them. */
export class UciParseError extends UciError {
  constructor(readonly reason: string, readonly line: number, readonly byte: number) {
    super('PARSE', `Parse error (${reason}) at line ${line}, byte ${byte}`);
    this.name = 'UciParseError';
  }
}

export function newPackage(name: string): UciPackage {
  return { name, sections: [], sectionCounter: 0 };
}

export function findSection(pkg: UciPackage, name: string): UciSection | undefined {
  return pkg.sections.find((section) => section.name === name);
}
