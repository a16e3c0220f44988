import { Fragment } from 'react';
import { Alert, AlertTitle } from '@material-ui/lab';
import { FleetEntity } from 'backstage-plugin-immutable-releases-common';
import { EntityReleasesLink } from '../shared/EntityReleasesLink';

/** Where something runs that was never released, among the entities shown; nothing when nowhere. */
export function UnmanagedAlert(props: { entities: FleetEntity[] }) {
  const unmanaged = props.entities.flatMap(entity =>
    entity.environments
      .filter(environment => environment.drift.status === 'unmanaged')
      .map(environment => ({
        entityRef: entity.entityRef,
        environment: environment.name,
      })),
  );
  if (unmanaged.length === 0) {
    return null;
  }
  return (
    <Alert severity="error" role="alert">
      <AlertTitle>Unmanaged changes</AlertTitle>
      Something runs that was never released, deployed outside the pipeline, in:{' '}
      {unmanaged.map(({ entityRef, environment }, index) => (
        <Fragment key={`${entityRef} ${environment}`}>
          {index > 0 && ', '}
          <EntityReleasesLink entityRef={entityRef} /> ({environment})
        </Fragment>
      ))}
      .
    </Alert>
  );
}
