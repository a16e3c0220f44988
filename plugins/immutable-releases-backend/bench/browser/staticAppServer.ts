import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a production build of a Backstage app on 127.0.0.1, as a portal's
 * app backend would: hashed files under /static cached for good, every other
 * path answered with index.html (client-side routes). The build carries the
 * configuration it was built with; `runtimeConfig` is added to index.html as
 * one more `backstage.io/config` entry, read after it, so one build serves on
 * any ports.
 */
export async function startStaticAppServer(options: {
  distDir: string;
  port: number;
  runtimeConfig: Record<string, unknown>;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const { distDir, port } = options;
  const configTag = `<script type="backstage.io/config">${JSON.stringify([
    { context: 'bench', data: options.runtimeConfig },
  ])}</script>`;
  const indexHtml = fs
    .readFileSync(path.join(distDir, 'index.html'), 'utf8')
    .replace('</head>', `${configTag}</head>`);

  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(
      new URL(req.url ?? '/', 'http://app').pathname,
    );
    const file = path.join(distDir, path.normalize(pathname));
    const isFile =
      file.startsWith(distDir + path.sep) &&
      !file.endsWith('index.html') &&
      fs.statSync(file, { throwIfNoEntry: false })?.isFile();
    if (!isFile) {
      res.writeHead(200, {
        'content-type': CONTENT_TYPES['.html'],
        'cache-control': 'no-cache',
      });
      res.end(indexHtml);
      return;
    }
    res.writeHead(200, {
      'content-type':
        CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': pathname.startsWith('/static/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
