import { Pod } from './kubernetesTypes';
import { runningDigests } from './podDigests';

const URI = 'registry.local:5000/acme/checkout';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

function pod(
  name: string,
  imageId: string | undefined,
  options: { phase?: string; image?: string } = {},
): Pod {
  return {
    metadata: { name },
    spec: {
      containers: [
        { name: 'app', image: options.image ?? `${URI}:latest` },
        { name: 'proxy', image: 'envoyproxy/envoy:v1.31' },
      ],
    },
    status: {
      phase: options.phase ?? 'Running',
      containerStatuses: [
        { name: 'app', imageID: imageId },
        { name: 'proxy', imageID: `docker.io/envoyproxy/envoy@${digest('e')}` },
      ],
    },
  };
}

describe('runningDigests', () => {
  it('counts the pods per digest of the release repository, most first', () => {
    expect(
      runningDigests(
        [
          pod('a', `docker-pullable://${URI}@${digest('b')}`),
          pod('b', `${URI}@${digest('a')}`),
          pod('c', `containerd://${URI}@${digest('a')}`),
          pod('starting', undefined),
          pod('done', `${URI}@${digest('c')}`, { phase: 'Succeeded' }),
        ],
        [URI],
      ).digests,
    ).toEqual([
      { digest: digest('a'), pods: 2 },
      { digest: digest('b'), pods: 1 },
    ]);
  });

  it('finds nothing, and lists the images, when no container is of the repositories', () => {
    expect(
      runningDigests(
        [pod('a', `x@${digest('a')}`, { image: 'ghcr.io/acme/other:1' })],
        [URI],
      ),
    ).toEqual({
      digests: [],
      images: ['envoyproxy/envoy:v1.31', 'ghcr.io/acme/other:1'],
    });
  });
});
