/**
 * The panel's data layer: state, filtering and grouping of findings, cell resolution of
 * findings and timeline entries, the export form and the polling schedule.
 *
 * Nothing here touches the DOM or JupyterLab, so it runs (and is unit-tested) under plain
 * Node. The view subscribes to `PanelModel` and renders whatever state it is given.
 */
import {
  CardFormat,
  IFinding,
  IModelChoice,
  IOverview,
  ITimelineEntry,
  SEVERITIES,
  Severity
} from './tokens';

/** What the panel shows; every state is designed (no blank panel). */
export type PanelState =
  | { kind: 'no-notebook' }
  | { kind: 'loading'; path: string }
  | { kind: 'no-lineage'; path: string; message: string }
  | { kind: 'error'; path: string; message: string }
  | { kind: 'ready'; path: string; overview: IOverview };

export type GroupBy = 'severity' | 'rule' | 'check';

export const GROUP_BY: readonly { value: GroupBy; label: string }[] = [
  { value: 'severity', label: 'severity' },
  { value: 'rule', label: 'rule' },
  { value: 'check', label: 'check' }
];

export interface IFindingGroup {
  /** The severity, rule or check the group is of. */
  key: string;
  /** The most severe finding's severity: the group's colour. */
  severity: Severity;
  findings: IFinding[];
}

/** What the user narrowed the findings to: words to find and severities to keep. */
export interface IFindingFilter {
  query: string;
  /** Empty: every severity. */
  severities: ReadonlySet<Severity>;
}

export const NO_FILTER: IFindingFilter = { query: '', severities: new Set() };

/** Findings no reviewer accepted: what the counts, groups and cell markers show. */
export function openFindings(findings: readonly IFinding[]): IFinding[] {
  return findings.filter(f => f.accepted === null || f.accepted === undefined);
}

/** Findings a reviewer accepted (with the reason): listed apart. */
export function acceptedFindings(findings: readonly IFinding[]): IFinding[] {
  return findings.filter(f => f.accepted !== null && f.accepted !== undefined);
}

/** The text a query is matched against: rule, title, detail, check, subject, place, reason. */
function searchText(finding: IFinding): string {
  return [
    finding.rule,
    finding.title,
    finding.detail,
    finding.check ?? '',
    finding.subject ?? '',
    describeLocation(finding),
    finding.accepted ?? ''
  ]
    .join('\n')
    .toLowerCase();
}

/** True when every word of `query` occurs in the finding (case-insensitive). */
export function matchesQuery(finding: IFinding, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) {
    return true;
  }
  const text = searchText(finding);
  return words.every(word => text.includes(word));
}

/** The findings the filter keeps, in their order. */
export function filterFindings(findings: readonly IFinding[], filter: IFindingFilter): IFinding[] {
  return findings.filter(
    f => (filter.severities.size === 0 || filter.severities.has(f.severity)) && matchesQuery(f, filter.query)
  );
}

/** True when the filter narrows anything. */
export function isFiltering(filter: IFindingFilter): boolean {
  return filter.query.trim() !== '' || filter.severities.size > 0;
}

/**
 * Findings grouped by severity (fixed order, most severe first), by rule or by check (most
 * severe group first, then the larger, then by name). Empty groups are left out.
 */
export function groupFindings(findings: readonly IFinding[], by: GroupBy): IFindingGroup[] {
  if (by === 'severity') {
    return SEVERITIES.map(severity => ({
      key: severity,
      severity,
      findings: findings.filter(f => f.severity === severity)
    })).filter(group => group.findings.length > 0);
  }
  const groups = new Map<string, IFindingGroup>();
  for (const finding of findings) {
    const key = by === 'rule' ? finding.rule : (finding.check ?? 'unknown check');
    const group = groups.get(key);
    if (group) {
      group.findings.push(finding);
      if (rank(finding.severity) < rank(group.severity)) {
        group.severity = finding.severity;
      }
    } else {
      groups.set(key, { key, severity: finding.severity, findings: [finding] });
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      b.findings.length - a.findings.length ||
      a.key.localeCompare(b.key)
  );
}

/** Findings by severity, most severe first; severities without findings are left out. */
export function groupBySeverity(findings: readonly IFinding[]): IFindingGroup[] {
  return groupFindings(findings, 'severity');
}

/** Counts for every severity (zeros included), as the summary line shows them. */
export function severityCounts(findings: readonly IFinding[]): Record<Severity, number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) {
    counts[finding.severity] += 1;
  }
  return counts;
}

/** "1 critical, 2 high" (non-zero severities only), or "no findings". */
export function countsText(counts: Record<Severity, number>): string {
  const parts = SEVERITIES.filter(s => counts[s] > 0).map(s => `${counts[s]} ${s}`);
  return parts.length ? parts.join(', ') : 'no findings';
}

/**
 * The index of the cell a finding points to in the open notebook, or null.
 *
 * A location's `cell` index wins (a static scan of the saved file); otherwise the cell whose
 * id ran the check. `cellIds` are the notebook's cell ids in order.
 */
export function cellIndexOf(finding: IFinding, cellIds: readonly string[]): number | null {
  if (finding.cell !== null && finding.cell >= 0 && finding.cell < cellIds.length) {
    return finding.cell;
  }
  if (finding.cell_id) {
    const index = cellIds.indexOf(finding.cell_id);
    return index >= 0 ? index : null;
  }
  return null;
}

/** The most severe open finding per cell index: what the cell markers show. */
export function cellSeverities(
  findings: readonly IFinding[],
  cellIds: readonly string[]
): Map<number, Severity> {
  const marks = new Map<number, Severity>();
  for (const finding of openFindings(findings)) {
    const index = cellIndexOf(finding, cellIds);
    if (index === null) {
      continue;
    }
    const current = marks.get(index);
    if (current === undefined || rank(finding.severity) < rank(current)) {
      marks.set(index, finding.severity);
    }
  }
  return marks;
}

function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The index of the cell a timeline entry ran in, in the open notebook, or null. */
export function timelineCellIndex(entry: ITimelineEntry, cellIds: readonly string[]): number | null {
  if (!entry.cell_id) {
    return null;
  }
  const index = cellIds.indexOf(entry.cell_id);
  return index >= 0 ? index : null;
}

/** The export form: which model and format; `model` '' is "no model" (a log without one). */
export interface IExportForm {
  model: string | null;
  format: CardFormat;
  choices: IModelChoice[];
}

/**
 * The form "Export card" opens. The model the last `%mlsec card` named is preselected; with
 * none named the user must choose (`model` null, Download disabled); a log that knows no
 * model at all offers the card of the last session ('').
 */
export function exportForm(overview: IOverview, format: CardFormat = 'md'): IExportForm {
  const choices = overview.models ?? [];
  if (!choices.length) {
    return { model: '', format, choices };
  }
  const carded = overview.card_model && choices.some(c => c.name === overview.card_model);
  return { model: carded ? overview.card_model : null, format, choices };
}

/**
 * What the panel must say about records it is not showing, or null when it shows them all.
 * A log whose chain verifies can still hold records this package never wrote (anyone who can
 * write the file can append one); the server leaves them out and names them in `warning`, and
 * a panel that dropped that line would look complete when it is not.
 */
export function skippedNote(overview: IOverview): string | null {
  return overview.skipped?.length ? (overview.warning ?? 'malformed lineage records skipped') : null;
}

/** The label of a model choice: its name and, when known, its class without the module. */
export function choiceLabel(choice: IModelChoice): string {
  const cls = choice.class ? choice.class.split('.').pop() : '';
  return cls ? `${choice.name} (${cls})` : choice.name;
}

/**
 * Where a finding is, in words: "cell 3, line 2" or "evil.bin!a/data.pkl@28". The file is
 * left out when it is `notebook`, the notebook the panel shows (it would say so every line).
 */
export function describeLocation(finding: IFinding, notebook: string | null = null): string {
  const loc = finding.location;
  const parts: string[] = [];
  if (loc.file !== undefined && !(notebook !== null && loc.file === notebook && loc.member === undefined)) {
    let text = loc.file;
    if (loc.member !== undefined) {
      text += `!${loc.member}`;
    }
    if (loc.offset !== undefined) {
      text += `@${loc.offset}`;
    }
    parts.push(text);
  }
  if (loc.cell !== undefined) {
    parts.push(`cell ${loc.cell}`);
  }
  if (loc.line !== undefined) {
    parts.push(`line ${loc.line}`);
  }
  if (loc.column !== undefined) {
    parts.push(`column ${loc.column}`);
  }
  return parts.join(', ');
}

/**
 * Polling with backoff: quick after a change, slower while nothing changes, and never
 * faster than `min` (no busy loop). Events (save, execution) trigger a refresh directly.
 */
export class Backoff {
  constructor(
    readonly min = 3000,
    readonly max = 60000,
    readonly factor = 2
  ) {
    this._delay = min;
  }

  get delay(): number {
    return this._delay;
  }

  /** The next delay after a poll that saw a change (or not). */
  next(changed: boolean): number {
    this._delay = changed ? this.min : Math.min(this.max, this._delay * this.factor);
    return this._delay;
  }

  reset(): void {
    this._delay = this.min;
  }

  private _delay: number;
}

type Listener = (state: PanelState) => void;

/** The panel's state, the busy flags of its actions and what the user chose, observable. */
export class PanelModel {
  get state(): PanelState {
    return this._state;
  }

  get scanning(): boolean {
    return this._scanning;
  }

  get exporting(): boolean {
    return this._exporting;
  }

  /** A one-line message about the last action (scan, export), or ''. */
  get notice(): string {
    return this._notice;
  }

  get filter(): IFindingFilter {
    return this._filter;
  }

  get groupBy(): GroupBy {
    return this._groupBy;
  }

  /** The open export form, or null. */
  get export(): IExportForm | null {
    return this._export;
  }

  setState(state: PanelState): void {
    this._state = state;
    if (this._export && state.kind !== 'ready') {
      this._export = null; // the log is gone or another notebook is shown
    }
    this._emit();
  }

  setBusy(action: 'scan' | 'export', busy: boolean): void {
    if (action === 'scan') {
      this._scanning = busy;
    } else {
      this._exporting = busy;
    }
    this._emit();
  }

  setNotice(text: string): void {
    this._notice = text;
    this._emit();
  }

  setQuery(query: string): void {
    if (query !== this._filter.query) {
      this._filter = { ...this._filter, query };
      this._emit();
    }
  }

  /** Keep (or stop keeping) only findings of `severity`; several can be kept. */
  toggleSeverity(severity: Severity): void {
    const severities = new Set(this._filter.severities);
    if (!severities.delete(severity)) {
      severities.add(severity);
    }
    this._filter = { ...this._filter, severities };
    this._emit();
  }

  clearFilter(): void {
    this._filter = NO_FILTER;
    this._emit();
  }

  setGroupBy(groupBy: GroupBy): void {
    if (groupBy !== this._groupBy) {
      this._groupBy = groupBy;
      this._emit();
    }
  }

  /** Open the export form for the shown notebook (nothing without a loaded log). */
  openExport(): void {
    if (this._state.kind === 'ready') {
      this._export = exportForm(this._state.overview, this._export?.format ?? 'md');
      this._emit();
    }
  }

  updateExport(change: { model?: string | null; format?: CardFormat }): void {
    if (this._export) {
      this._export = { ...this._export, ...change };
      this._emit();
    }
  }

  closeExport(): void {
    if (this._export) {
      this._export = null;
      this._emit();
    }
  }

  /** The notebook's cells changed: the timeline entries that lead to a cell may have too. */
  cellsChanged(): void {
    this._emit();
  }

  /** Subscribe; returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  private _emit(): void {
    for (const listener of [...this._listeners]) {
      listener(this._state);
    }
  }

  private _state: PanelState = { kind: 'no-notebook' };
  private _scanning = false;
  private _exporting = false;
  private _notice = '';
  private _filter: IFindingFilter = NO_FILTER;
  private _groupBy: GroupBy = 'severity';
  private _export: IExportForm | null = null;
  private _listeners = new Set<Listener>();
}
