// What the app calls the options an error may name: the labels of their fields, so that a message says
// "set Temperature to 0" where the CLI says "--temperature 0". The fields take their labels from here.
import type { InfillSettings } from '../../model/engine';

export const optionLabels = {
  steps: 'Steps',
  schedule: 'Schedule',
  confidence: 'Order',
  threshold: 'Threshold',
  factor: 'Factor',
  keepApart: 'Keep neighbours apart',
  avoidRepeats: 'Avoid repeats',
  temperature: 'Temperature',
  seed: 'Seed',
  quantization: 'Weights',
  budget: 'the budget (most target calls, most US dollars)',
  resume: 'press Resume',
} satisfies Partial<Record<keyof InfillSettings | 'quantization' | 'budget' | 'resume', string>>;

/** The label of the option's field; its own name where the app has no field for it. */
export function optionLabel(option: string): string {
  return (optionLabels as Record<string, string>)[option] ?? option;
}
