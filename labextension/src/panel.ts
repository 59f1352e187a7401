/**
 * The sidebar view: renders a `PanelModel`, nothing else. Side effects (scan, export, cell
 * selection) go back through the callbacks it is given; what the user narrows or chooses
 * (filter, grouping, the export form) is set on the model, so the view holds no logic of its own.
 *
 * Controls the user types in or tabs through (search box, severity chips, selects, the export
 * form) are built once and updated in place, so a refresh never steals focus from them.
 */
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import {
  acceptedFindings,
  choiceLabel,
  describeLocation,
  filterFindings,
  GROUP_BY,
  GroupBy,
  groupFindings,
  IExportForm,
  isFiltering,
  openFindings,
  PanelModel,
  PanelState,
  skippedNote,
  timelineCellIndex
} from './model';
import {
  CARD_FORMATS,
  CardFormat,
  IFinding,
  IOverview,
  ITimelineEntry,
  PANEL_ID,
  SEVERITIES,
  Severity
} from './tokens';

const SHIELD_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" ' +
  'fill="#616161" d="M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm-1 ' +
  '15-4-4 1.41-1.41L11 13.17l5.59-5.59L18 9l-7 7z"/></svg>';

export const shieldIcon = new LabIcon({ name: 'mlsecops:shield', svgstr: SHIELD_SVG });

export interface IPanelActions {
  scan(): void;
  /** Download the card the export form describes. */
  exportCard(): void;
  retry(): void;
  select(finding: IFinding): void;
  /** Select the cell a timeline entry ran in. */
  selectEntry(entry: ITimelineEntry): void;
  /** The ids of the open notebook's cells, in order (which timeline entries can be clicked). */
  cellIds(): readonly string[];
  /** The panel became visible: show fresh data. */
  shown(): void;
}

/** Small DOM helper: an element with a class, text and children. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  node.append(...children);
  return node;
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const node = h('option', '', label);
  node.value = value;
  node.selected = selected;
  return node;
}

/** Replace `parent`'s children only when they differ (moving a focused node loses focus). */
function show(parent: HTMLElement, nodes: Node[]): void {
  const current = [...parent.childNodes];
  if (current.length !== nodes.length || current.some((node, i) => node !== nodes[i])) {
    parent.replaceChildren(...nodes);
  }
}

export class MLSecPanel extends Widget {
  constructor(
    private readonly _model: PanelModel,
    private readonly _actions: IPanelActions
  ) {
    super();
    this.id = PANEL_ID;
    this.addClass('jp-MLSecOpsPanel');
    this.title.icon = shieldIcon;
    this.title.caption = 'MLSecOps: findings and lineage of this notebook';
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'MLSecOps');

    this._scanButton = this._button('Scan now', 'Scan the saved notebook for secrets, PII and leakage', () =>
      this._actions.scan()
    );
    this._exportButton = this._button('Export model card', 'Choose a model and a format, then download its card', () =>
      this._model.openExport()
    );
    this._title = h('div', 'jp-MLSecOpsPanel-notebook');
    this._notice = h('div', 'jp-MLSecOpsPanel-notice');
    this._notice.setAttribute('role', 'status');
    this._notice.setAttribute('aria-live', 'polite');
    this._body = h('div', 'jp-MLSecOpsPanel-body');
    this._exportForm = this._buildExportForm();
    const header = h(
      'header',
      'jp-MLSecOpsPanel-header',
      h('h2', 'jp-MLSecOpsPanel-heading', 'MLSecOps'),
      this._title,
      h('div', 'jp-MLSecOpsPanel-actions', this._scanButton, this._exportButton),
      this._exportForm,
      this._notice
    );
    this._findingsSection = this._buildFindings();
    this.node.append(header, this._body);
    this._unsubscribe = this._model.subscribe(() => this.render());
    this.render();
  }

  dispose(): void {
    this._unsubscribe();
    super.dispose();
  }

  protected onAfterShow(): void {
    this._actions.shown();
  }

  render(): void {
    const state = this._model.state;
    const hasNotebook = state.kind !== 'no-notebook';
    this._title.textContent = hasNotebook ? state.path : '';
    this._scanButton.disabled = !hasNotebook || this._model.scanning;
    this._scanButton.textContent = this._model.scanning ? 'Scanning…' : 'Scan now';
    this._exportButton.disabled = state.kind !== 'ready' || this._model.exporting;
    this._exportButton.setAttribute('aria-expanded', String(this._model.export !== null));
    this._notice.textContent = this._model.notice;
    this.node.setAttribute('aria-busy', String(state.kind === 'loading' || this._model.scanning));
    this._renderExportForm(this._model.export);
    show(this._body, this._content(state));
  }

  private _content(state: PanelState): Node[] {
    switch (state.kind) {
      case 'no-notebook':
        return [this._message('empty', 'Open a notebook to see its findings and lineage.')];
      case 'loading':
        return [this._message('loading', 'Loading the lineage log…')];
      case 'no-lineage':
        return [
          this._message(
            'empty',
            'No lineage recorded for this notebook yet. Run %load_ext mlsecops_jupyter in it, ' +
              'or press "Scan now" for a static scan of the saved file.'
          )
        ];
      case 'error': {
        const retry = this._button('Retry', 'Load the lineage again', () => this._actions.retry());
        return [h('div', 'jp-MLSecOpsPanel-message jp-mod-error', h('p', '', state.message), retry)];
      }
      case 'ready':
        return [this._chain(state.overview), this._renderFindings(state.overview), this._timeline(state.overview)];
    }
  }

  private _message(kind: string, text: string): HTMLElement {
    return h('div', `jp-MLSecOpsPanel-message jp-mod-${kind}`, h('p', '', text));
  }

  private _button(label: string, title: string, onClick: () => void): HTMLButtonElement {
    const button = h('button', 'jp-MLSecOpsPanel-button jp-mod-styled', label);
    button.type = 'button';
    button.title = title;
    button.addEventListener('click', onClick);
    return button;
  }

  // -- export form ----------------------------------------------------------------------------
  private _buildExportForm(): HTMLFormElement {
    this._modelSelect = h('select', 'jp-MLSecOpsPanel-select jp-MLSecOpsPanel-exportModel');
    this._modelSelect.addEventListener('change', () => this._model.updateExport({ model: this._modelSelect.value }));
    this._formatSelect = h('select', 'jp-MLSecOpsPanel-select jp-MLSecOpsPanel-exportFormat');
    for (const format of CARD_FORMATS) {
      this._formatSelect.append(option(format.value, format.label, format.value === 'md'));
    }
    this._formatSelect.addEventListener('change', () =>
      this._model.updateExport({ format: this._formatSelect.value as CardFormat })
    );
    this._exportHint = h('p', 'jp-MLSecOpsPanel-hint');
    this._downloadButton = h('button', 'jp-MLSecOpsPanel-button jp-mod-styled jp-mod-accept', 'Download');
    this._downloadButton.type = 'submit';
    const cancel = this._button('Cancel', 'Close without exporting', () => this._model.closeExport());
    const form = h(
      'form',
      'jp-MLSecOpsPanel-export',
      h('label', 'jp-MLSecOpsPanel-field', h('span', '', 'Model'), this._modelSelect),
      h('label', 'jp-MLSecOpsPanel-field', h('span', '', 'Format'), this._formatSelect),
      this._exportHint,
      h('div', 'jp-MLSecOpsPanel-actions', this._downloadButton, cancel)
    );
    form.setAttribute('aria-label', 'Export the model card');
    form.addEventListener('submit', event => {
      event.preventDefault();
      this._actions.exportCard();
    });
    form.addEventListener('keydown', event => {
      if (event.key === 'Escape') {
        this._model.closeExport();
        this._exportButton.focus();
      }
    });
    form.hidden = true;
    return form;
  }

  private _renderExportForm(form: IExportForm | null): void {
    const opening = form !== null && this._exportForm.hidden;
    this._exportForm.hidden = form === null;
    if (form === null) {
      this._choicesKey = '';
      return;
    }
    const key = JSON.stringify([form.choices.map(c => [c.name, c.class]), form.model === null]);
    if (key !== this._choicesKey) {
      this._choicesKey = key;
      const options: HTMLOptionElement[] = [];
      if (!form.choices.length) {
        options.push(option('', 'no model: the last session', true));
      } else if (form.model === null) {
        const placeholder = option('', 'choose a model…', true);
        placeholder.disabled = true;
        options.push(placeholder);
      }
      for (const choice of form.choices) {
        options.push(option(choice.name, choiceLabel(choice), choice.name === form.model));
      }
      this._modelSelect.replaceChildren(...options);
    }
    if (form.model !== null && this._modelSelect.value !== form.model) {
      this._modelSelect.value = form.model;
    }
    this._formatSelect.value = form.format;
    this._exportHint.textContent = !form.choices.length
      ? 'This log names no model: the card describes the last session.'
      : form.model === null
        ? 'No %mlsec card has named a model yet: choose the one to describe.'
        : '';
    this._downloadButton.disabled = form.model === null || this._model.exporting;
    this._downloadButton.textContent = this._model.exporting ? 'Exporting…' : 'Download';
    if (opening) {
      this._modelSelect.focus();
    }
  }

  // -- chain -----------------------------------------------------------------------------------
  private _chain(overview: IOverview): HTMLElement {
    const chain = overview.chain;
    const badge = h('span', `jp-MLSecOpsPanel-chain jp-mod-${chain.status}`, chain.status);
    const parts: HTMLElement[] = [
      h('h3', '', 'Lineage chain ', badge),
      h('p', 'jp-MLSecOpsPanel-reason', chain.reason)
    ];
    const skipped = skippedNote(overview);
    if (skipped) {
      const note = h('p', 'jp-MLSecOpsPanel-skipped', skipped);
      note.setAttribute('role', 'alert');
      parts.push(note);
    }
    this._chainSection.replaceChildren(...parts);
    this._chainSection.title = chain.head ? `head ${chain.head}` : '';
    return this._chainSection;
  }

  // -- findings --------------------------------------------------------------------------------
  private _buildFindings(): HTMLElement {
    this._findingsHeading = h('h3', '');
    const counts = h('ul', 'jp-MLSecOpsPanel-counts');
    counts.setAttribute('aria-label', 'findings by severity; press to show only these');
    for (const severity of SEVERITIES) {
      const chip = h('button', `jp-MLSecOpsPanel-count jp-mod-${severity}`);
      chip.type = 'button';
      chip.dataset.severity = severity;
      chip.addEventListener('click', () => this._model.toggleSeverity(severity));
      this._chips.set(severity, chip);
      counts.append(h('li', '', chip));
    }
    this._search = h('input', 'jp-MLSecOpsPanel-search jp-mod-styled');
    this._search.type = 'search';
    this._search.placeholder = 'Filter findings';
    this._search.setAttribute('aria-label', 'Filter findings');
    this._search.addEventListener('input', () => this._model.setQuery(this._search.value));
    this._groupSelect = h('select', 'jp-MLSecOpsPanel-select jp-MLSecOpsPanel-groupBy');
    this._groupSelect.setAttribute('aria-label', 'Group findings by');
    for (const choice of GROUP_BY) {
      this._groupSelect.append(option(choice.value, `by ${choice.label}`, choice.value === 'severity'));
    }
    this._groupSelect.addEventListener('change', () => this._model.setGroupBy(this._groupSelect.value as GroupBy));
    this._shown = h('p', 'jp-MLSecOpsPanel-shown');
    this._shown.setAttribute('role', 'status');
    this._findingsList = h('div', 'jp-MLSecOpsPanel-groups');
    return h(
      'section',
      'jp-MLSecOpsPanel-section jp-MLSecOpsPanel-findings',
      this._findingsHeading,
      counts,
      h('div', 'jp-MLSecOpsPanel-filters', this._search, this._groupSelect),
      this._shown,
      this._findingsList
    );
  }

  private _renderFindings(overview: IOverview): HTMLElement {
    const filter = this._model.filter;
    const groupBy = this._model.groupBy;
    this._findingsHeading.textContent = `Findings (${overview.counts.findings})`;
    for (const [severity, chip] of this._chips) {
      chip.textContent = `${overview.by_severity[severity]} ${severity}`;
      chip.setAttribute('aria-pressed', String(filter.severities.has(severity)));
    }
    if (this._search.value !== filter.query) {
      this._search.value = filter.query;
    }
    this._groupSelect.value = groupBy;
    const memo = [overview, filter, groupBy];
    if (memo.every((value, i) => value === this._findingsMemo[i])) {
      return this._findingsSection;
    }
    this._findingsMemo = memo;
    const open = openFindings(overview.findings);
    const accepted = acceptedFindings(overview.findings);
    const shownOpen = filterFindings(open, filter);
    const shownAccepted = filterFindings(accepted, filter);
    const nodes: Node[] = [];
    if (isFiltering(filter)) {
      const clear = this._button('Clear filter', 'Show every finding', () => this._model.clearFilter());
      clear.classList.add('jp-mod-link');
      this._shown.replaceChildren(`Showing ${shownOpen.length} of ${open.length} findings `, clear);
    } else {
      this._shown.replaceChildren();
    }
    if (!shownOpen.length) {
      const text = open.length ? 'No finding matches the filter.' : 'No findings in the latest run of each check.';
      nodes.push(h('p', 'jp-MLSecOpsPanel-none', text));
    }
    for (const group of groupFindings(shownOpen, groupBy)) {
      nodes.push(this._group(`${groupBy}:${group.key}`, group.severity, group.key, group.findings, overview.notebook));
    }
    if (shownAccepted.length) {
      nodes.push(this._group('accepted', null, 'accepted by a reviewer', shownAccepted, overview.notebook));
    }
    this._findingsList.replaceChildren(...nodes);
    return this._findingsSection;
  }

  private _group(
    id: string,
    severity: Severity | null,
    label: string,
    findings: IFinding[],
    notebook: string
  ): HTMLElement {
    const list = h('ul', 'jp-MLSecOpsPanel-list');
    for (const finding of findings) {
      list.append(h('li', '', this._finding(finding, notebook)));
    }
    const details = h(
      'details',
      `jp-MLSecOpsPanel-group jp-mod-${severity ?? 'accepted'}`,
      h('summary', '', label, h('span', 'jp-MLSecOpsPanel-groupCount', ` (${findings.length})`)),
      list
    );
    details.open = severity !== null ? !this._collapsed.has(id) : this._expanded.has(id);
    details.dataset.group = id;
    if (severity) {
      details.dataset.severity = severity;
    }
    details.addEventListener('toggle', () => {
      const remember = severity !== null ? this._collapsed : this._expanded;
      if (details.open === (severity !== null)) {
        remember.delete(id);
      } else {
        remember.add(id);
      }
    });
    return details;
  }

  private _finding(finding: IFinding, notebook: string): HTMLButtonElement {
    const where = describeLocation(finding, notebook);
    const button = h(
      'button',
      'jp-MLSecOpsPanel-finding',
      h('span', `jp-MLSecOpsPanel-sev jp-mod-${finding.severity}`, finding.severity),
      h('span', 'jp-MLSecOpsPanel-rule', finding.rule),
      h('span', 'jp-MLSecOpsPanel-findingTitle', finding.title),
      h('span', 'jp-MLSecOpsPanel-where', [finding.check, where].filter(Boolean).join(' · '))
    );
    if (finding.accepted !== null && finding.accepted !== undefined) {
      button.classList.add('jp-mod-accepted');
      button.append(h('span', 'jp-MLSecOpsPanel-acceptedReason', `accepted: ${finding.accepted}`));
    }
    button.type = 'button';
    button.title = `${finding.detail}\n\nFix: ${finding.remediation}`;
    button.dataset.rule = finding.rule;
    button.addEventListener('click', () => this._actions.select(finding));
    return button;
  }

  // -- timeline --------------------------------------------------------------------------------
  private _timeline(overview: IOverview): HTMLElement {
    const cellIds = this._actions.cellIds();
    const key = cellIds.join('\n');
    if (this._timelineMemo === overview && this._timelineCells === key) {
      return this._timelineSection;
    }
    this._timelineMemo = overview;
    this._timelineCells = key;
    const c = overview.counts;
    const summary = h(
      'p',
      'jp-MLSecOpsPanel-timelineSummary',
      `${c.cells} cells run · ${c.checks} checks run · ${c.data} data seen`
    );
    const list = h('ol', 'jp-MLSecOpsPanel-timeline');
    list.setAttribute('aria-label', 'lineage timeline, newest first');
    for (const entry of [...overview.timeline].reverse()) {
      list.append(this._entry(entry, timelineCellIndex(entry, cellIds)));
    }
    const shown = overview.timeline.length;
    const more =
      overview.timeline_total > shown
        ? [h('p', 'jp-MLSecOpsPanel-more', `newest ${shown} of ${overview.timeline_total} records`)]
        : [];
    this._timelineSection.replaceChildren(h('h3', '', 'Lineage timeline'), summary, list, ...more);
    return this._timelineSection;
  }

  private _entry(entry: ITimelineEntry, cellIndex: number | null): HTMLElement {
    const kind = h('span', `jp-MLSecOpsPanel-kind jp-mod-${entry.kind}`, entry.kind);
    const label = h('span', 'jp-MLSecOpsPanel-label', entry.label);
    const parts: Node[] = [kind, label];
    const extra: string[] = [];
    if (entry.kind === 'cell') {
      if (entry.execution_count !== null) {
        extra.push(`[${entry.execution_count}]`);
      }
      if (entry.status === 'error') {
        extra.push(`error ${entry.error ?? ''}`.trim());
      }
      for (const data of entry.data ?? []) {
        extra.push(`${data.change} ${data.name}${data.shape ? ` ${data.shape.join('×')}` : ''}`);
      }
      for (const file of entry.files ?? []) {
        extra.push(`${file.mode} ${file.path ?? '?'}`);
      }
    } else if (entry.kind === 'check') {
      extra.push(`${entry.findings ?? 0} findings${entry.origin ? ` (${entry.origin})` : ''}`);
    }
    if (extra.length) {
      parts.push(h('span', 'jp-MLSecOpsPanel-extra', extra.join(' · ')));
    }
    const item = h('li', `jp-MLSecOpsPanel-entry jp-mod-${entry.kind}`);
    if (entry.kind === 'check' && entry.max_severity) {
      item.classList.add(`jp-mod-${entry.max_severity}`);
    }
    item.dataset.seq = String(entry.seq);
    if (cellIndex === null) {
      item.append(...parts);
      item.title = entry.time;
    } else {
      const button = h('button', 'jp-MLSecOpsPanel-entryButton', ...parts);
      button.type = 'button';
      button.title = `${entry.time}: select cell ${cellIndex + 1}`;
      button.addEventListener('click', () => this._actions.selectEntry(entry));
      item.classList.add('jp-mod-clickable');
      item.append(button);
    }
    return item;
  }

  private _scanButton: HTMLButtonElement;
  private _exportButton: HTMLButtonElement;
  private _title: HTMLElement;
  private _notice: HTMLElement;
  private _body: HTMLElement;
  private _unsubscribe: () => void;
  private _exportForm: HTMLFormElement;
  private _modelSelect!: HTMLSelectElement;
  private _formatSelect!: HTMLSelectElement;
  private _exportHint!: HTMLElement;
  private _downloadButton!: HTMLButtonElement;
  private _choicesKey = '';
  private _findingsSection: HTMLElement;
  private _findingsHeading!: HTMLElement;
  private _chips = new Map<Severity, HTMLButtonElement>();
  private _search!: HTMLInputElement;
  private _groupSelect!: HTMLSelectElement;
  private _shown!: HTMLElement;
  private _findingsList!: HTMLElement;
  private _findingsMemo: unknown[] = [];
  private _collapsed = new Set<string>();
  private _expanded = new Set<string>();
  private _chainSection = h('section', 'jp-MLSecOpsPanel-section jp-MLSecOpsPanel-chainStatus');
  private _timelineSection = h('section', 'jp-MLSecOpsPanel-section jp-MLSecOpsPanel-timelineSection');
  private _timelineMemo: IOverview | null = null;
  private _timelineCells = '';
}
