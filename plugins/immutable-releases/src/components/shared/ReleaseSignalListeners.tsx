import { useReleaseSignal } from '../../hooks/useReleaseSignal';

function ReleaseSignalListener(props: {
  entityRef: string;
  onSignal: () => void;
}) {
  useReleaseSignal(props.entityRef, props.onSignal);
  return null;
}

/**
 * Listens on the signals channel of each entity a list shows, since a hook listens on one
 * channel only.
 */
export function ReleaseSignalListeners(props: {
  entityRefs: string[];
  onSignal: () => void;
}) {
  return (
    <>
      {[...new Set(props.entityRefs)].map(entityRef => (
        <ReleaseSignalListener
          key={entityRef}
          entityRef={entityRef}
          onSignal={props.onSignal}
        />
      ))}
    </>
  );
}
