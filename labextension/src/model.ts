/**
 * The panel's data layer: state, grouping, cell resolution and the polling schedule.
 *
 * Nothing here touches the DOM or JupyterLab, so it runs (and is unit-tested) under plain
 * Node. The view subscribes to `PanelModel.changed` and renders whatever state it is given.
 */
import { IFinding, IOverview, SEVERITIES, Severity } from './tokens';

/** What the panel shows; every state is designed (no blank panel). */
export type PanelState =
  | { kind: 'no-notebook' }
  | { kind: 'loading'; path: string }
  | { kind: 'no-lineage'; path: string; message: string }
  | { kind: 'error'; path: string; message: string }
  | { kind: 'ready'; path: string; overview: IOverview };

export interface IFindingGroup {
  severity: Severity;
  findings: IFinding[];
}

/** Findings by severity, most severe first; severities without findings are left out. */
export function groupBySeverity(findings: readonly IFinding[]): IFindingGroup[] {
  return SEVERITIES.map(severity => ({
    severity,
    findings: findings.filter(f => f.severity === severity)
  })).filter(group => group.findings.length > 0);
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

/** The most severe finding per cell index: what the cell markers show. */
export function cellSeverities(
  findings: readonly IFinding[],
  cellIds: readonly string[]
): Map<number, Severity> {
  const marks = new Map<number, Severity>();
  for (const finding of findings) {
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

/** Where a finding is, in words: "cell 3, line 2" or "evil.bin@28". */
export function describeLocation(finding: IFinding): string {
  const loc = finding.location;
  const parts: string[] = [];
  if (loc.file !== undefined) {
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

/** The panel's state and the busy flags of its two actions, observable by the view. */
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

  setState(state: PanelState): void {
    this._state = state;
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
  private _listeners = new Set<Listener>();
}
