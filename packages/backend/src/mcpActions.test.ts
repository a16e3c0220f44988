import { createTestDatabases } from '@internal/test-utils';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';
import { CHECKOUT, demoReleaseCalls } from './__testUtils__/demoReleases';

jest.setTimeout(180_000);

interface McpTool {
  name: string;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean };
}

interface McpToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: any;
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'the demo backend’s MCP server on %p',
  databaseId => {
    let demo: DemoBackend;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      demo = await startDemoBackend(databases, databaseId);
      for (const user of ['carol', 'dave']) {
        tokens[user] = await demo.signIn(user);
      }
    });

    afterAll(async () => {
      await demo?.stop();
    });

    const { registerAndDeployToDevelopment, waitForStatus } = demoReleaseCalls(
      () => demo,
      () => tokens.carol,
    );

    /** One JSON-RPC request to the stateless MCP server, as an MCP client sends it. */
    async function mcp(token: string, method: string, params: object) {
      const response = await fetch(`${demo.baseUrl}/api/mcp-actions/v1`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      expect(response.status).toBe(200);
      // The answer comes as one server-sent event.
      const data = (await response.text())
        .split('\n')
        .find(line => line.startsWith('data: '));
      const message = JSON.parse(data!.slice('data: '.length));
      if (message.error) {
        throw new Error(`${method} failed: ${JSON.stringify(message.error)}`);
      }
      return message.result;
    }

    async function callTool(
      token: string,
      name: string,
      args: object,
    ): Promise<McpToolResult> {
      return mcp(token, 'tools/call', { name, arguments: args });
    }

    it('lists the Immutable Releases tools with their hints, beside the catalog’s read-only ones', async () => {
      const { tools }: { tools: McpTool[] } = await mcp(
        tokens.carol,
        'tools/list',
        {},
      );

      const hints = Object.fromEntries(
        tools
          .filter(tool => tool.name.startsWith('immutable-releases.'))
          .map(tool => [
            tool.name,
            [tool.annotations.readOnlyHint, tool.annotations.destructiveHint],
          ]),
      );
      expect(hints).toEqual({
        'immutable-releases.get-environments': [true, false],
        'immutable-releases.list-releases': [true, false],
        'immutable-releases.get-deployment': [true, false],
        'immutable-releases.request-promotion': [false, true],
        'immutable-releases.request-rollback': [false, true],
      });
      const catalogTools = tools.filter(tool =>
        tool.name.startsWith('catalog.'),
      );
      expect(catalogTools.map(tool => tool.name)).toContain(
        'catalog.get-catalog-entity',
      );
      expect(catalogTools.every(tool => tool.annotations.readOnlyHint)).toBe(
        true,
      );
    });

    it('acts as the signed-in user: the owner promotes, another user is refused as by the REST API, and bad input names the field', async () => {
      await registerAndDeployToDevelopment('1.0.0');

      const environments = await callTool(
        tokens.dave,
        'immutable-releases.get-environments',
        { entityRef: CHECKOUT },
      );
      expect(environments.isError).toBeFalsy();
      expect(
        environments.structuredContent.environments.map(
          (environment: { name: string; currentRelease: unknown }) => [
            environment.name,
            environment.currentRelease,
          ],
        ),
      ).toEqual([
        ['development', expect.objectContaining({ version: '1.0.0' })],
        ['staging', null],
        ['production', null],
      ]);

      // dave (storefront) does not own checkout.
      const refused = await callTool(
        tokens.dave,
        'immutable-releases.request-promotion',
        { entityRef: CHECKOUT, version: '1.0.0', environment: 'staging' },
      );
      expect(refused).toMatchObject({
        isError: true,
        content: [
          {
            type: 'text',
            text: `NotAllowedError: immutable-releases.promotion.create is not allowed on ${CHECKOUT}`,
          },
        ],
      });

      const withoutReason = await callTool(
        tokens.carol,
        'immutable-releases.request-rollback',
        { entityRef: CHECKOUT, environment: 'development' },
      );
      expect(withoutReason.isError).toBe(true);
      expect(withoutReason.content[0].text).toMatch(
        /^InputError: Invalid input to action "immutable-releases:request-rollback".*"reason"/s,
      );

      const promoted = await callTool(
        tokens.carol,
        'immutable-releases.request-promotion',
        {
          entityRef: CHECKOUT,
          version: '1.0.0',
          environment: 'staging',
          reason: 'asked an assistant',
        },
      );
      expect(promoted.isError).toBeFalsy();
      expect(promoted.structuredContent.deployment).toMatchObject({
        environment: 'staging',
        requestedBy: 'user:default/carol',
        reason: 'asked an assistant',
      });
      await waitForStatus(
        promoted.structuredContent.deployment.id,
        'succeeded',
      );
    });
  },
);
