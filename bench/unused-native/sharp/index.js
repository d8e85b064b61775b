throw new Error('sharp is not installed: Remask runs @huggingface/transformers in the browser only (bench/unused-native).');
