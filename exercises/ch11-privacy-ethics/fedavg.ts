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
  throw new Error('TODO: implement federatedAverage (see the chapter 11 notebook, section Federated averaging)');
}
