/** How a masked position is written in text, whatever the model's own mask token is (CLI, Playground). */
export const MASK_MARKER = '[MASK]';
