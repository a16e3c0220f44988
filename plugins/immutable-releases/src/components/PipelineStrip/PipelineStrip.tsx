import { useState } from 'react';
import { Grid } from '@material-ui/core';
import { EnvironmentStatus } from 'backstage-plugin-immutable-releases-common';
import { PromoteDialog } from '../PromoteDialog';
import { EnvironmentColumn } from './EnvironmentColumn';

/** @public */
export interface PipelineStripProps {
  entityRef: string;
  /** The environments answer, in pipeline order. */
  environments: EnvironmentStatus[];
  /** Called after an action changed something, so the caller reloads. */
  onChange: () => void;
}

/**
 * One column per environment in pipeline order: what runs, its status, drift, hold,
 * pending deployments with their approvals, and the way to promote onwards.
 *
 * @public
 */
export function PipelineStrip(props: PipelineStripProps) {
  const { entityRef, environments, onChange } = props;
  const [promoteTarget, setPromoteTarget] = useState<string>();
  return (
    <>
      <Grid container spacing={2} role="list" aria-label="pipeline">
        {environments.map(environment => (
          <Grid
            item
            xs={12}
            md={
              Math.max(3, Math.floor(12 / environments.length)) as
                | 3
                | 4
                | 6
                | 12
            }
            key={environment.name}
            role="listitem"
            aria-label={`environment ${environment.name}`}
          >
            <EnvironmentColumn
              entityRef={entityRef}
              environment={environment}
              next={environments.filter(e => e.from === environment.name)}
              onPromote={setPromoteTarget}
              onChange={onChange}
            />
          </Grid>
        ))}
      </Grid>
      {promoteTarget && (
        <PromoteDialog
          open
          entityRef={entityRef}
          environments={environments}
          initialTarget={promoteTarget}
          onClose={() => setPromoteTarget(undefined)}
          onPromoted={onChange}
        />
      )}
    </>
  );
}
