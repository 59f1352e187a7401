/**
 * Wires the panel to JupyterLab: follows the active notebook, refreshes on save, on cell
 * execution and on a backoff poll (an unchanged log costs one 304), runs the two actions and
 * keeps the cell markers in step with the findings.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  INotebookModel,
  INotebookTracker,
  Notebook,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { Cell } from '@jupyterlab/cells';
import { DocumentRegistry } from '@jupyterlab/docregistry';

import { Backoff, cellIndexOf, cellSeverities, countsText, PanelModel, timelineCellIndex } from './model';
import { ApiError, MLSecClient } from './server';
import { IFinding, IOverview, ITimelineEntry } from './tokens';

const MARK_ATTR = 'data-mlsec-severity';
const EVENT_DELAY = 400; // ms: let the kernel's post_run_cell append before reading

export class PanelController {
  constructor(
    private readonly _app: JupyterFrontEnd,
    private readonly _tracker: INotebookTracker,
    private readonly _client: MLSecClient,
    readonly model: PanelModel,
    private readonly _isVisible: () => boolean
  ) {
    _tracker.currentChanged.connect(this._onCurrentChanged, this);
    NotebookActions.executed.connect(this._onExecuted, this);
    this._follow(_tracker.currentWidget);
  }

  dispose(): void {
    this._tracker.currentChanged.disconnect(this._onCurrentChanged, this);
    NotebookActions.executed.disconnect(this._onExecuted, this);
    this._follow(null);
  }

  /** Refresh now (e.g. the panel became visible), then go on polling. */
  refreshSoon(delay = 0): void {
    this._schedule(delay);
  }

  async scan(): Promise<void> {
    const panel = this._panel;
    if (!panel || this.model.scanning) {
      return;
    }
    this.model.setBusy('scan', true);
    this.model.setNotice('Scanning the saved notebook…');
    try {
      if (panel.context.model.dirty) {
        await panel.context.save(); // the scan reads the file: scan what the user sees
      }
      const result = await this._client.scan(panel.context.path);
      const pending = result.report.skipped
        .filter(s => s.what.endsWith(' check'))
        .map(s => s.what.replace(/ check$/, ''));
      this.model.setNotice(
        `Scan: ${countsText(result.counts)}` +
          (pending.length ? ` (not available here: ${pending.join(', ')})` : '')
      );
      this._etag = null;
      await this._refresh();
    } catch (error) {
      this.model.setNotice(`Scan failed: ${messageOf(error)}`);
    } finally {
      this.model.setBusy('scan', false);
    }
  }

  /** Download the card the export form describes; the notice names the model used. */
  async exportCard(): Promise<void> {
    const panel = this._panel;
    const form = this.model.export;
    if (!panel || !form || this.model.exporting) {
      return;
    }
    if (form.model === null) {
      this.model.setNotice('Choose the model the card describes.');
      return;
    }
    this.model.setBusy('export', true);
    try {
      const file = await this._client.card(panel.context.path, form.format, form.model || null);
      const url = URL.createObjectURL(file.blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = file.filename;
      anchor.style.display = 'none';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      this.model.closeExport();
      this.model.setNotice(`Model card of ${form.model || 'the last session'} downloaded: ${file.filename}`);
    } catch (error) {
      this.model.setNotice(`Export failed: ${messageOf(error)}`);
    } finally {
      this.model.setBusy('export', false);
    }
  }

  /** Activate the notebook, select the finding's cell and scroll it into view. */
  async select(finding: IFinding): Promise<void> {
    const panel = this._panel;
    if (!panel) {
      return;
    }
    const index = cellIndexOf(finding, cellIds(panel.content));
    if (index === null) {
      this.model.setNotice(`No cell of this notebook holds ${finding.rule} (${finding.title}).`);
      return;
    }
    await this._selectCell(panel, index);
  }

  /** Select the cell a timeline entry ran in. */
  async selectEntry(entry: ITimelineEntry): Promise<void> {
    const panel = this._panel;
    if (!panel) {
      return;
    }
    const index = timelineCellIndex(entry, cellIds(panel.content));
    if (index === null) {
      this.model.setNotice(`The cell of "${entry.label}" is not in this notebook any more.`);
      return;
    }
    await this._selectCell(panel, index);
  }

  /** The ids of the open notebook's cells, in order; none without a notebook. */
  cellIds(): string[] {
    return this._panel ? cellIds(this._panel.content) : [];
  }

  private async _selectCell(panel: NotebookPanel, index: number): Promise<void> {
    const notebook = panel.content;
    this._app.shell.activateById(panel.id);
    notebook.deselectAll();
    notebook.activeCellIndex = index;
    notebook.mode = 'command';
    const cell = notebook.widgets[index];
    await notebook.scrollToCell(cell, 'center');
    cell.node.focus();
  }

  private _onCurrentChanged(_: INotebookTracker, panel: NotebookPanel | null): void {
    this._follow(panel);
  }

  private _onExecuted(_: unknown, args: { notebook: Notebook; cell: Cell }): void {
    if (this._panel && args.notebook === this._panel.content) {
      this._schedule(EVENT_DELAY);
    }
  }

  private _onSaved(_: DocumentRegistry.IContext<INotebookModel>, state: DocumentRegistry.SaveState): void {
    if (state === 'completed') {
      this._schedule(EVENT_DELAY);
    }
  }

  /** Renamed or moved: the log is another file now. */
  private _onRenamed(): void {
    this._etag = null;
    this._overview = null;
    this._schedule(0);
  }

  private _onCellsChanged(): void {
    this._mark();
    this.model.cellsChanged();
  }

  private _follow(panel: NotebookPanel | null): void {
    if (panel === this._panel) {
      return;
    }
    if (this._panel) {
      this._panel.context.saveState.disconnect(this._onSaved, this);
      this._panel.context.pathChanged.disconnect(this._onRenamed, this);
      this._panel.content.model?.cells.changed.disconnect(this._onCellsChanged, this);
      this._panel.disposed.disconnect(this._onDisposed, this);
    }
    this._panel = panel;
    this._etag = null;
    this._overview = null;
    this._backoff.reset();
    if (!panel) {
      this._clearTimer();
      this.model.setState({ kind: 'no-notebook' });
      return;
    }
    panel.context.saveState.connect(this._onSaved, this);
    panel.context.pathChanged.connect(this._onRenamed, this);
    panel.disposed.connect(this._onDisposed, this);
    void panel.context.ready.then(() => {
      if (this._panel === panel) {
        panel.content.model?.cells.changed.connect(this._onCellsChanged, this);
        this.model.setState({ kind: 'loading', path: panel.context.path });
        this._schedule(0);
      }
    });
  }

  private _onDisposed(): void {
    this._follow(this._tracker.currentWidget);
  }

  private _schedule(delay: number): void {
    this._clearTimer();
    this._timer = setTimeout(() => {
      this._timer = null;
      void this._refresh();
    }, delay);
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private async _refresh(): Promise<void> {
    const panel = this._panel;
    if (!panel) {
      return;
    }
    const path = panel.context.path;
    const generation = ++this._generation;
    let changed = false;
    try {
      const result = await this._client.overview(path, this._etag);
      if (generation !== this._generation || panel !== this._panel) {
        return; // the user moved on; a newer refresh owns the state
      }
      if (result.kind === 'ok') {
        changed = true;
        this._etag = result.etag;
        this._overview = result.overview;
        this.model.setState({ kind: 'ready', path, overview: result.overview });
      } else if (result.kind === 'no-lineage') {
        changed = this.model.state.kind !== 'no-lineage';
        this._etag = null;
        this._overview = null;
        this.model.setState({ kind: 'no-lineage', path, message: result.message });
      }
    } catch (error) {
      if (generation !== this._generation || panel !== this._panel) {
        return;
      }
      this._etag = null;
      this.model.setState({ kind: 'error', path, message: messageOf(error) });
    }
    this._mark();
    // hidden panel: poll at the slowest pace (markers still follow); events refresh anyway
    const delay = this._isVisible() ? this._backoff.next(changed) : this._backoff.max;
    this._schedule(delay);
  }

  /** Put a severity marker on each cell with findings; remove stale ones. */
  private _mark(): void {
    const panel = this._panel;
    if (!panel) {
      return;
    }
    const notebook = panel.content;
    const marks = this._overview
      ? cellSeverities(this._overview.findings, cellIds(notebook))
      : new Map();
    notebook.widgets.forEach((cell, index) => {
      const severity = marks.get(index);
      if (severity) {
        cell.node.setAttribute(MARK_ATTR, severity);
      } else {
        cell.node.removeAttribute(MARK_ATTR);
      }
    });
  }

  private _panel: NotebookPanel | null = null;
  private _overview: IOverview | null = null;
  private _etag: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _generation = 0;
  private _backoff = new Backoff();
}

function cellIds(notebook: Notebook): string[] {
  return notebook.widgets.map(cell => cell.model.id);
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
