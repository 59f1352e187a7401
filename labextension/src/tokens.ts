/**
 * The JSON shapes the server extension sends (mlsecops_jupyter/lineage/overview.py and
 * mlsecops_jupyter/server/handlers.py) and the constants the panel shares.
 */

export const PANEL_ID = 'mlsecops-panel';
export const PLUGIN_ID = 'mlsecops-jupyter:plugin';
export const API_ROOT = 'mlsecops';

/** Most severe first: the order of groups in the panel. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ILocation {
  file?: string;
  member?: string;
  offset?: number;
  cell?: number;
  output?: number;
  line?: number;
  column?: string | number;
}

export interface IFinding {
  check: string | null;
  subject: string | null;
  seq: number | null;
  rule: string;
  severity: Severity;
  title: string;
  detail: string;
  remediation: string;
  location: ILocation;
  /** Cell index the finding names (static scans of the notebook file). */
  cell: number | null;
  /** Id of the cell that ran the check (checks run from the notebook). */
  cell_id: string | null;
  /** A reviewer's reason when the finding was accepted; accepted findings are shown apart. */
  accepted: string | null;
}

export interface IChain {
  status: 'verified' | 'broken';
  ok: boolean;
  count: number;
  first_bad: number | null;
  reason: string;
  torn_tail: boolean;
  head: string | null;
  recovered: number;
}

export interface IDataEntry {
  name: string;
  change?: string;
  kind?: string;
  shape?: number[];
  rows_total?: number;
}

export interface ITimelineEntry {
  seq: number;
  kind: 'session' | 'cell' | 'check' | 'recovery';
  time: string;
  cell_id: string | null;
  execution_count: number | null;
  label: string;
  status?: 'ok' | 'error';
  error?: string | null;
  duration_ms?: number;
  data?: IDataEntry[];
  files?: { path: string | null; mode: string }[];
  check?: string | null;
  findings?: number;
  max_severity?: string | null;
  origin?: string | null;
}

export interface ICounts {
  records: number;
  sessions: number;
  cells: number;
  checks: number;
  data: number;
  findings: number;
}

/** A model a card can be made of (`lineage/statements.py: card_models`). */
export interface IModelChoice {
  name: string;
  class: string | null;
  /** Named by `%mlsec card` at least once. */
  carded: boolean;
  seq: number | null;
}

export interface IOverview {
  notebook: string;
  lineage_file: string;
  chain: IChain;
  /** Open findings only; accepted ones are counted in `accepted`. */
  counts: ICounts;
  by_severity: Record<Severity, number>;
  accepted: number;
  /** Open findings first (most severe first), then accepted ones. */
  findings: IFinding[];
  /** Newest first, the model the last `%mlsec card` named leading. */
  models: IModelChoice[];
  card_model: string | null;
  checks: {
    check: string;
    subject: string;
    seq: number;
    time: string;
    findings: number;
    runs: number;
  }[];
  data: IDataEntry[];
  timeline: ITimelineEntry[];
  timeline_total: number;
  /** Records of a shape this package never writes, left out of every view above. */
  skipped?: ISkippedRecord[];
  /** One line naming `skipped` (null when none was). */
  warning?: string | null;
}

/** A lineage record the server left out (`lineage/records.py: SkippedRecord`). */
export interface ISkippedRecord {
  seq: unknown;
  kind: unknown;
  problem: string;
}

export interface IScanResult {
  notebook: string;
  report: {
    findings: unknown[];
    skipped: { what: string; why: string }[];
  };
  counts: Record<Severity, number>;
  parts: string[];
  recorded: number[];
}

/** The JSON error body of every endpoint. */
export interface IApiError {
  error: string;
  message: string;
}

export type CardFormat = 'md' | 'html' | 'json' | 'mlbom';

/** The formats the export form offers, with their labels. */
export const CARD_FORMATS: readonly { value: CardFormat; label: string }[] = [
  { value: 'md', label: 'Markdown' },
  { value: 'html', label: 'HTML' },
  { value: 'json', label: 'JSON' },
  { value: 'mlbom', label: 'ML-BOM (CycloneDX)' }
];
