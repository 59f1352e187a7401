/**
 * mlsecops-jupyter: a left-sidebar panel showing the active notebook's findings, lineage
 * timeline and chain status, with "scan now" and "export model card".
 */
import { ILabShell, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { URLExt } from '@jupyterlab/coreutils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';

import { PanelController } from './controller';
import { PanelModel } from './model';
import { MLSecPanel } from './panel';
import { Fetcher, MLSecClient } from './server';
import { PLUGIN_ID } from './tokens';

/** Requests through JupyterLab's connection: token, XSRF header and base URL included. */
function jupyterFetcher(): Fetcher {
  const settings = ServerConnection.makeSettings();
  return (route, init) =>
    ServerConnection.makeRequest(URLExt.join(settings.baseUrl, route), init, settings);
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'MLSecOps sidebar: findings, lineage timeline, chain status, model card export',
  autoStart: true,
  requires: [ILabShell, INotebookTracker],
  activate: (app: JupyterFrontEnd, labShell: ILabShell, tracker: INotebookTracker) => {
    const model = new PanelModel();
    let panel: MLSecPanel | null = null;
    const controller = new PanelController(
      app,
      tracker,
      new MLSecClient(jupyterFetcher()),
      model,
      () => panel?.isVisible ?? false
    );
    panel = new MLSecPanel(model, {
      scan: () => void controller.scan(),
      exportCard: () => void controller.exportCard(),
      retry: () => controller.refreshSoon(),
      select: finding => void controller.select(finding),
      selectEntry: entry => void controller.selectEntry(entry),
      cellIds: () => controller.cellIds(),
      shown: () => controller.refreshSoon()
    });
    labShell.add(panel, 'left', { rank: 900 });
  }
};

export default plugin;
