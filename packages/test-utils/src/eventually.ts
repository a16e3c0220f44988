/**
 * Retries an assertion until it passes, or throws its last failure once
 * `timeoutMs` have gone by. For what a backend does in the background.
 */
export async function eventually<T>(
  assertion: () => Promise<T>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, intervalMs));
    }
  }
}
