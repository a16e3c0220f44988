import fs from 'node:fs';
import { Browser, BrowserContext, chromium, Request } from 'playwright-core';

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
   * A cold load of `url` in a new browser context (empty HTTP cache, the
   * signed-in user's local storage and cookies): the time from navigation
   * start until `shown` holds and until `containerShown` did, and the
   * requests made until then.
   */
  async load<A>(
    name: string,
    url: string,
    conditions: PageConditions<A>,
    arg: A,
    timeoutMs: number,
  ): Promise<PageLoad> {
    const context = await this.browser.newContext({
      storageState: this.signedIn,
    });
    try {
      const page = await context.newPage();
      const finished: Request[] = [];
      page.on('requestfinished', request => finished.push(request));
      await page.goto(url, { waitUntil: 'commit' });
      const when = (condition: ShownCondition<A>) =>
        page
          // Playwright types the argument as it arrives in the page (Unboxed<A>): the same plain object.
          .waitForFunction(
            condition as (value: unknown) => number | false,
            arg,
            {
              polling: 'raf',
              timeout: timeoutMs,
            },
          )
          .then(handle => handle.jsonValue() as Promise<number>)
          .catch(() => undefined);
      const [shownAt, containerShownAt] = await Promise.all([
        when(conditions.shown),
        when(conditions.containerShown),
      ]);
      if (shownAt === undefined || containerShownAt === undefined) {
        const screenshot = `${this.screenshotDir}/${name}.png`;
        await page.screenshot({ path: screenshot, fullPage: true });
        return {
          shownAfterMs: undefined,
          what: await page.evaluate(describePage),
          screenshot,
        };
      }
      const timeOrigin = await page.evaluate(() => performance.timeOrigin);
      const requests: LoadedRequest[] = [];
      for (const request of finished) {
        const timing = request.timing();
        const start = timing.startTime - timeOrigin;
        if (start > shownAt) {
          continue;
        }
        const response = await request.response();
        requests.push({
          method: request.method(),
          url: request.url(),
          status: response?.status() ?? 0,
          start,
          end: start + timing.responseEnd,
        });
      }
      return {
        shownAfterMs: shownAt,
        containerShownAfterMs: containerShownAt,
        requests,
      };
    } finally {
      await context.close();
    }
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
