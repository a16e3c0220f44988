import { Route, Routes } from 'react-router-dom';
import { EntityImmutableReleasesContent } from '../components/EntityImmutableReleasesContent';
import { renderOnEntityPage } from './render';

/**
 * The Releases tab mounted at `/releases` as an entity page mounts it, opened at `path`
 * below it (e.g. `/deployments/d1`).
 */
export function renderReleasesTabAt(
  path: string,
  options: Omit<Parameters<typeof renderOnEntityPage>[1], 'path'>,
) {
  return renderOnEntityPage(
    <Routes>
      <Route path="/releases/*" element={<EntityImmutableReleasesContent />} />
    </Routes>,
    { ...options, path: `/releases${path}` },
  );
}
