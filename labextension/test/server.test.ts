import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { ApiError, filenameOf, MLSecClient, route } from '../src/server';

interface ICall {
  route: string;
  init: RequestInit;
}

function fake(...responses: Response[]): { client: MLSecClient; calls: ICall[] } {
  const calls: ICall[] = [];
  const client = new MLSecClient(async (r, init) => {
    calls.push({ route: r, init });
    const next = responses.shift();
    assert.ok(next, `unexpected request ${r}`);
    return next;
  });
  return { client, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers }
  });
}

describe('routes', () => {
  it('encodes the notebook path', () => {
    assert.equal(route('notebook', { path: 'dir a/nb#1.ipynb' }), 'mlsecops/notebook?path=dir%20a%2Fnb%231.ipynb');
    assert.equal(route('scan', {}), 'mlsecops/scan');
  });

  it('reads the download name', () => {
    assert.equal(filenameOf('attachment; filename="model_card.md"', 'x'), 'model_card.md');
    assert.equal(filenameOf(null, 'fallback.md'), 'fallback.md');
  });
});

describe('MLSecClient', () => {
  it('sends the etag and maps 304, no-lineage and errors', async () => {
    const { client, calls } = fake(
      json(200, { notebook: 'a.ipynb' }, { ETag: '"1-2"' }),
      new Response(null, { status: 304 }),
      json(404, { error: 'no-lineage', message: 'no lineage log for a.ipynb yet' }),
      json(403, { error: 'forbidden', message: "path is outside the server's root" })
    );
    const first = await client.overview('a.ipynb');
    assert.equal(first.kind, 'ok');
    assert.equal(first.kind === 'ok' && first.etag, '"1-2"');
    assert.deepEqual(await client.overview('a.ipynb', '"1-2"'), { kind: 'not-modified' });
    assert.deepEqual((calls[1].init.headers as Record<string, string>)['If-None-Match'], '"1-2"');
    assert.deepEqual(await client.overview('a.ipynb'), {
      kind: 'no-lineage',
      message: 'no lineage log for a.ipynb yet'
    });
    await assert.rejects(client.overview('../x.ipynb'), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'forbidden');
      assert.equal(error.message, "path is outside the server's root");
      return true;
    });
  });

  it('posts the scan as JSON and downloads the card with its file name', async () => {
    const { client, calls } = fake(
      json(200, { notebook: 'a.ipynb', recorded: [5], parts: ['pii'], counts: {}, report: {} }),
      new Response('---\ncard', {
        status: 200,
        headers: { 'Content-Disposition': 'attachment; filename="model_card.md"' }
      }),
      new Response('<html>proxy</html>', { status: 502 })
    );
    const scan = await client.scan('a.ipynb');
    assert.deepEqual(scan.recorded, [5]);
    assert.equal(calls[0].init.method, 'POST');
    assert.deepEqual(JSON.parse(calls[0].init.body as string), { path: 'a.ipynb', record: true });
    const card = await client.card('a.ipynb');
    assert.equal(card.filename, 'model_card.md');
    assert.equal(await card.blob.text(), '---\ncard');
    assert.equal(calls[1].route, 'mlsecops/card?path=a.ipynb&format=md');
    await assert.rejects(client.card('a.ipynb'), /request failed with status 502/);
  });

  it('names the chosen model and format in the card request', async () => {
    const { client, calls } = fake(new Response('<html>', { status: 200 }));
    await client.card('dir/a.ipynb', 'html', 'my model');
    assert.equal(calls[0].route, 'mlsecops/card?path=dir%2Fa.ipynb&format=html&model=my%20model');
  });
});
