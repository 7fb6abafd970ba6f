/** A client's model: parameter name → flattened values. */
export type ClientWeights = Record<string, number[]>;

/**
 * The server step of federated averaging (McMahan et al. 2017): the new global value of every parameter is
 * the average of the clients' values weighted by how many training examples each client holds,
 * Σ_k (n_k / n) · w_k. The inputs are not modified.
 * Throws an Error when: there are no clients; numExamples has a different length than clients (message
 * contains both numbers); a count is negative; all counts are 0; or a client lacks a parameter name that
 * client 0 has (message contains the client's index and the name).
 *
 * Example: federatedAverage([{ w: [0, 10] }, { w: [4, 2] }], [1, 3]) → { w: [3, 4] }
 */
export function federatedAverage(clients: ClientWeights[], numExamples: number[]): ClientWeights {
  // BEGIN SOLUTION: Federated averaging
  if (clients.length === 0) throw new Error('federated average needs at least one client');
  if (numExamples.length !== clients.length)
    throw new Error(`got ${clients.length} clients but ${numExamples.length} example counts`);
  const negative = numExamples.find((n) => n < 0);
  if (negative !== undefined) throw new Error(`example counts must be >= 0, got ${negative}`);
  const total = numExamples.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error('every client holds 0 examples; nothing to average');
  const out: ClientWeights = {};
  for (const name of Object.keys(clients[0])) {
    const sum = new Array<number>(clients[0][name].length).fill(0);
    clients.forEach((client, k) => {
      const values = client[name];
      if (!values) throw new Error(`client ${k} has no parameter "${name}"`);
      values.forEach((v, i) => (sum[i] += (numExamples[k] / total) * v));
    });
    out[name] = sum;
  }
  return out;
  // END SOLUTION
}
