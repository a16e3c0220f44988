import fs from 'node:fs';
import {
  Browser,
  BrowserContext,
  chromium,
  Page,
  Request,
} from 'playwright-core';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** A request of one page load, in ms since the navigation started. */
export interface LoadedRequest {
  method: string;
  url: string;
  status: number;
  start: number;
  end: number;
}

/**
 * One page load: when the page showed what it waited for, and the page
 * containing it (ms since navigation start), or why not.
 */
export type PageLoad =
  | {
      shownAfterMs: number;
      containerShownAfterMs: number;
      requests: LoadedRequest[];
    }
  | { shownAfterMs: undefined; what: PageDescription; screenshot: string };

/**
 * Evaluated in the page on every animation frame until it answers a number:
 * `performance.now()` (ms since navigation start) once the page shows what
 * is awaited. It runs inside Chromium: no closures, plain JavaScript only.
 */
export type ShownCondition<A> = (arg: A) => number | false;

/** What one load waits for, and the page that contains it (shown first, or at the same time). */
export interface PageConditions<A> {
  shown: ShownCondition<A>;
  containerShown: ShownCondition<A>;
}

/** A move within the app: ms from the click until the page showed, or why not. */
export type InAppLoad =
  | { shownAfterMs: number; requests: LoadedRequest[] }
  | { shownAfterMs: undefined; what: PageDescription; screenshot: string };

/** `performance.now()` in the page once `condition` holds, or undefined after the timeout. */
function whenShown<A>(
  page: Page,
  condition: ShownCondition<A>,
  arg: A,
  timeoutMs: number,
): Promise<number | undefined> {
  return (
    page
      // Playwright types the argument as it arrives in the page (Unboxed<A>): the same plain object.
      .waitForFunction(condition as (value: unknown) => number | false, arg, {
        polling: 'raf',
        timeout: timeoutMs,
      })
      .then(handle => handle.jsonValue() as Promise<number>)
      .catch(() => undefined)
  );
}

/** The finished requests that started between `from` and `until` (ms since navigation start), shifted to start at `from`. */
async function requestsUntil(
  page: Page,
  finished: Request[],
  from: number,
  until: number,
): Promise<LoadedRequest[]> {
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const requests: LoadedRequest[] = [];
  for (const request of finished) {
    const timing = request.timing();
    const start = timing.startTime - timeOrigin;
    if (start < from || start > until) {
      continue;
    }
    const response = await request.response();
    requests.push({
      method: request.method(),
      url: request.url(),
      status: response?.status() ?? 0,
      start: start - from,
      end: start - from + timing.responseEnd,
    });
  }
  return requests;
}

export class PageTimer {
  private constructor(
    private readonly browser: Browser,
    private readonly signedIn: StorageState,
    private readonly screenshotDir: string,
  ) {}

  /** Starts Chromium and signs in once as the guest, as a user would (the sign-in page's Enter). */
  static async start(options: {
    chromium: string;
    appUrl: string;
    screenshotDir: string;
  }): Promise<PageTimer> {
    if (!fs.existsSync(options.chromium)) {
      throw new Error(`no Chromium at ${options.chromium}`);
    }
    const browser = await chromium.launch({
      executablePath: options.chromium,
      args: CHROMIUM_ARGS,
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(options.appUrl);
      await page.getByRole('button', { name: 'Enter' }).click();
      await page.waitForFunction(
        () => localStorage.getItem('@backstage/core:SignInPage:provider'),
        undefined,
        { timeout: 60_000 },
      );
      const signedIn = await context.storageState();
      await context.close();
      return new PageTimer(browser, signedIn, options.screenshotDir);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /**
   * A load of `url` in a new browser context (the signed-in user's local
   * storage and cookies): the time from navigation start until `shown` holds
   * and until `containerShown` did, and the requests made until then. A first
   * visit starts with an empty HTTP cache; a `repeat` visit loads the page
   * once before, as someone who was here before (the app's files cached).
   */
  async load<A>(
    name: string,
    url: string,
    conditions: PageConditions<A>,
    arg: A,
    timeoutMs: number,
    visit: 'first' | 'repeat' = 'first',
  ): Promise<PageLoad> {
    const context = await this.browser.newContext({
      storageState: this.signedIn,
    });
    try {
      const page = await context.newPage();
      if (visit === 'repeat') {
        await page.goto(url, { waitUntil: 'commit' });
        if (
          (await whenShown(page, conditions.shown, arg, timeoutMs)) ===
          undefined
        ) {
          return await this.notShown(page, `${name}-before`);
        }
      }
      const finished: Request[] = [];
      page.on('requestfinished', request => finished.push(request));
      await page.goto(url, { waitUntil: 'commit' });
      const [shownAt, containerShownAt] = await Promise.all([
        whenShown(page, conditions.shown, arg, timeoutMs),
        whenShown(page, conditions.containerShown, arg, timeoutMs),
      ]);
      if (shownAt === undefined || containerShownAt === undefined) {
        return await this.notShown(page, name);
      }
      return {
        shownAfterMs: shownAt,
        containerShownAfterMs: containerShownAt,
        requests: await requestsUntil(page, finished, 0, shownAt),
      };
    } finally {
      await context.close();
    }
  }

  /**
   * A move within the app, as a click on a link makes it: `fromUrl` is loaded
   * until `fromShown` holds, then the app's router is sent to `toPath` (the
   * browser history's push, as react-router's links do). The time from that
   * moment until `shown` holds, and the requests made meanwhile.
   */
  async navigateWithin<F, A>(
    name: string,
    from: { url: string; shown: ShownCondition<F>; arg: F },
    toPath: string,
    shown: ShownCondition<A>,
    arg: A,
    timeoutMs: number,
  ): Promise<InAppLoad> {
    const context = await this.browser.newContext({
      storageState: this.signedIn,
    });
    try {
      const page = await context.newPage();
      await page.goto(from.url, { waitUntil: 'commit' });
      if (
        (await whenShown(page, from.shown, from.arg, timeoutMs)) === undefined
      ) {
        return await this.notShown(page, `${name}-from`);
      }
      const finished: Request[] = [];
      page.on('requestfinished', request => finished.push(request));
      const movedAt = await page.evaluate(path => {
        const at = performance.now();
        window.history.pushState(null, '', path);
        window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
        return at;
      }, toPath);
      const shownAt = await whenShown(page, shown, arg, timeoutMs);
      if (shownAt === undefined) {
        return await this.notShown(page, name);
      }
      return {
        shownAfterMs: shownAt - movedAt,
        requests: await requestsUntil(page, finished, movedAt, shownAt),
      };
    } finally {
      await context.close();
    }
  }

  private async notShown(
    page: Page,
    name: string,
  ): Promise<{
    shownAfterMs: undefined;
    what: PageDescription;
    screenshot: string;
  }> {
    const screenshot = `${this.screenshotDir}/${name}.png`;
    await page.screenshot({ path: screenshot, fullPage: true });
    return {
      shownAfterMs: undefined,
      what: await page.evaluate(describePage),
      screenshot,
    };
  }

  async stop() {
    await this.browser.close();
  }
}

/** What a page shows, for a page that never showed what was awaited. */
export interface PageDescription {
  /** The entity page with its Releases tab is on screen. */
  releasesTab: boolean;
  text: string;
}

function describePage(): PageDescription {
  const tabs = Array.from(
    document.querySelectorAll('[role="tab"], a[href$="/releases"]'),
  );
  const releasesTab = tabs.some(
    tab => (tab.textContent ?? '').trim() === 'Releases',
  );
  return {
    releasesTab,
    text: document.body.innerText.slice(0, 300).replace(/\s+/g, ' '),
  };
}
