/**
 * The REST client of the server extension. The transport is injected (`Fetcher`), so the
 * same code runs against JupyterLab's `ServerConnection` in the browser and a fake in tests.
 */
import { API_ROOT, CardFormat, IApiError, IOverview, IScanResult } from './tokens';

/** Sends one request to `route` (relative to the server's base URL). */
export type Fetcher = (route: string, init: RequestInit) => Promise<Response>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type OverviewResult =
  | { kind: 'ok'; overview: IOverview; etag: string | null }
  | { kind: 'not-modified' }
  | { kind: 'no-lineage'; message: string };

export interface ICardFile {
  filename: string;
  blob: Blob;
}

/** `mlsecops/<endpoint>?path=...` with every parameter URL-encoded. */
export function route(endpoint: string, params: Record<string, string>): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return `${API_ROOT}/${endpoint}${query ? `?${query}` : ''}`;
}

/** The file name of a `Content-Disposition: attachment; filename="..."` header. */
export function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match ? match[1] : fallback;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Partial<IApiError> = {};
  try {
    body = (await response.json()) as Partial<IApiError>;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  return new ApiError(
    response.status,
    body.error ?? 'http-error',
    body.message ?? `request failed with status ${response.status}`
  );
}

export class MLSecClient {
  constructor(private readonly _fetch: Fetcher) {}

  /** Findings, timeline and chain of a notebook; `etag` makes an unchanged log cost a 304. */
  async overview(path: string, etag: string | null = null): Promise<OverviewResult> {
    const headers: Record<string, string> = {};
    if (etag) {
      headers['If-None-Match'] = etag;
    }
    const response = await this._fetch(route('notebook', { path }), {
      method: 'GET',
      headers,
      cache: 'no-store'
    });
    if (response.status === 304) {
      return { kind: 'not-modified' };
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.code === 'no-lineage') {
        return { kind: 'no-lineage', message: error.message };
      }
      throw error;
    }
    const overview = (await response.json()) as IOverview;
    return { kind: 'ok', overview, etag: response.headers.get('ETag') };
  }

  /** A fresh static scan of the saved notebook; recorded in its lineage log. */
  async scan(path: string): Promise<IScanResult> {
    const response = await this._fetch(route('scan', {}), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path, record: true })
    });
    if (!response.ok) {
      throw await errorOf(response);
    }
    return (await response.json()) as IScanResult;
  }

  /** The model card (or ML-BOM) of `model` in the notebook's log, as a file. */
  async card(path: string, format: CardFormat = 'md', model: string | null = null): Promise<ICardFile> {
    const params: Record<string, string> = { path, format };
    if (model) {
      params.model = model;
    }
    const response = await this._fetch(route('card', params), { method: 'GET' });
    if (!response.ok) {
      throw await errorOf(response);
    }
    return {
      filename: filenameOf(response.headers.get('Content-Disposition'), `model_card.${format}`),
      blob: await response.blob()
    };
  }
}
