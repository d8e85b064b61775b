// log softmax of one logit row at one token, with the max subtracted first so exp never overflows.
export function logProbAt(row: Float32Array, token: number): number {
  let max = -Infinity;
  for (let v = 0; v < row.length; v++) if (row[v] > max) max = row[v];
  let sum = 0;
  for (let v = 0; v < row.length; v++) sum += Math.exp(row[v] - max);
  return row[token] - max - Math.log(sum);
}
