/**
 * The sidebar view: renders a `PanelModel` state, nothing else. Actions go back through the
 * callbacks it is given, so the view holds no logic about the server or the notebook.
 */
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { describeLocation, groupBySeverity, PanelModel, PanelState } from './model';
import { IFinding, IOverview, ITimelineEntry, PANEL_ID, SEVERITIES } from './tokens';

const SHIELD_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" ' +
  'fill="#616161" d="M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm-1 ' +
  '15-4-4 1.41-1.41L11 13.17l5.59-5.59L18 9l-7 7z"/></svg>';

export const shieldIcon = new LabIcon({ name: 'mlsecops:shield', svgstr: SHIELD_SVG });

export interface IPanelActions {
  scan(): void;
  exportCard(): void;
  retry(): void;
  select(finding: IFinding): void;
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
    this._exportButton = this._button('Export model card', 'Download the model card (Markdown)', () =>
      this._actions.exportCard()
    );
    this._title = h('div', 'jp-MLSecOpsPanel-notebook');
    this._notice = h('div', 'jp-MLSecOpsPanel-notice');
    this._notice.setAttribute('role', 'status');
    this._notice.setAttribute('aria-live', 'polite');
    this._body = h('div', 'jp-MLSecOpsPanel-body');
    const header = h(
      'header',
      'jp-MLSecOpsPanel-header',
      h('h2', 'jp-MLSecOpsPanel-heading', 'MLSecOps'),
      this._title,
      h('div', 'jp-MLSecOpsPanel-actions', this._scanButton, this._exportButton),
      this._notice
    );
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
    this._notice.textContent = this._model.notice;
    this.node.setAttribute('aria-busy', String(state.kind === 'loading' || this._model.scanning));
    this._body.replaceChildren(...this._content(state));
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
        return [
          this._chain(state.overview),
          this._findings(state.overview),
          this._timeline(state.overview)
        ];
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

  private _chain(overview: IOverview): HTMLElement {
    const chain = overview.chain;
    const badge = h('span', `jp-MLSecOpsPanel-chain jp-mod-${chain.status}`, chain.status);
    const section = h(
      'section',
      'jp-MLSecOpsPanel-section jp-MLSecOpsPanel-chainStatus',
      h('h3', '', 'Lineage chain ', badge),
      h('p', 'jp-MLSecOpsPanel-reason', chain.reason)
    );
    section.title = chain.head ? `head ${chain.head}` : '';
    return section;
  }

  private _findings(overview: IOverview): HTMLElement {
    const counts = h('ul', 'jp-MLSecOpsPanel-counts');
    counts.setAttribute('aria-label', 'findings by severity');
    for (const severity of SEVERITIES) {
      const item = h(
        'li',
        `jp-MLSecOpsPanel-count jp-mod-${severity}`,
        `${overview.by_severity[severity]} ${severity}`
      );
      item.dataset.severity = severity;
      counts.append(item);
    }
    const section = h(
      'section',
      'jp-MLSecOpsPanel-section jp-MLSecOpsPanel-findings',
      h('h3', '', `Findings (${overview.counts.findings})`),
      counts
    );
    const groups = groupBySeverity(overview.findings);
    if (!groups.length) {
      section.append(h('p', 'jp-MLSecOpsPanel-none', 'No findings in the latest run of each check.'));
    }
    for (const group of groups) {
      const list = h('ul', 'jp-MLSecOpsPanel-list');
      for (const finding of group.findings) {
        const where = describeLocation(finding);
        const button = h(
          'button',
          'jp-MLSecOpsPanel-finding',
          h('span', `jp-MLSecOpsPanel-sev jp-mod-${finding.severity}`, finding.severity),
          h('span', 'jp-MLSecOpsPanel-rule', finding.rule),
          h('span', 'jp-MLSecOpsPanel-findingTitle', finding.title),
          h('span', 'jp-MLSecOpsPanel-where', [finding.check, where].filter(Boolean).join(' · '))
        );
        button.type = 'button';
        button.title = `${finding.detail}\n\nFix: ${finding.remediation}`;
        button.dataset.rule = finding.rule;
        button.addEventListener('click', () => this._actions.select(finding));
        list.append(h('li', '', button));
      }
      const details = h(
        'details',
        `jp-MLSecOpsPanel-group jp-mod-${group.severity}`,
        h('summary', '', `${group.severity} (${group.findings.length})`),
        list
      );
      details.open = true;
      details.dataset.severity = group.severity;
      section.append(details);
    }
    return section;
  }

  private _timeline(overview: IOverview): HTMLElement {
    const c = overview.counts;
    const summary = h(
      'p',
      'jp-MLSecOpsPanel-timelineSummary',
      `${c.cells} cells run · ${c.checks} checks run · ${c.data} data seen`
    );
    const list = h('ol', 'jp-MLSecOpsPanel-timeline');
    list.setAttribute('aria-label', 'lineage timeline, newest first');
    for (const entry of [...overview.timeline].reverse()) {
      list.append(this._entry(entry));
    }
    const shown = overview.timeline.length;
    const more =
      overview.timeline_total > shown
        ? [h('p', 'jp-MLSecOpsPanel-more', `newest ${shown} of ${overview.timeline_total} records`)]
        : [];
    return h(
      'section',
      'jp-MLSecOpsPanel-section',
      h('h3', '', 'Lineage timeline'),
      summary,
      list,
      ...more
    );
  }

  private _entry(entry: ITimelineEntry): HTMLElement {
    const kind = h('span', `jp-MLSecOpsPanel-kind jp-mod-${entry.kind}`, entry.kind);
    const label = h('span', 'jp-MLSecOpsPanel-label', entry.label);
    const item = h('li', `jp-MLSecOpsPanel-entry jp-mod-${entry.kind}`, kind, label);
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
      if (entry.max_severity) {
        item.classList.add(`jp-mod-${entry.max_severity}`);
      }
    }
    if (extra.length) {
      item.append(h('span', 'jp-MLSecOpsPanel-extra', extra.join(' · ')));
    }
    item.title = entry.time;
    return item;
  }

  private _scanButton: HTMLButtonElement;
  private _exportButton: HTMLButtonElement;
  private _title: HTMLElement;
  private _notice: HTMLElement;
  private _body: HTMLElement;
  private _unsubscribe: () => void;
}
