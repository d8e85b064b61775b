// A committed token's background by its confidence: red (unsure) through amber to green (sure), light
// enough that dark text stays readable on every shade.
export function confidenceColour(conf: number): string {
  const c = Math.max(0, Math.min(1, conf));
  return `hsl(${Math.round(c * 120)} 70% 85%)`;
}
