"""Parameters of an embedding table.

Counts the token embedding table of GPT-2: one 768-dimensional vector per
token of its 50,257-token vocabulary (Radford et al. 2019; config of openai-community/gpt2).
"""
import numpy as np

vocab_size = 50_257
d_model = 768

# One row per token; looking a token up just selects its row.
shape = (vocab_size, d_model)

results = {
    "vocab_size": vocab_size,
    "dimension": d_model,
    "total": int(np.prod(shape)),
}

print(f"embedding table {vocab_size:,} tokens x {d_model} dimensions")
print(f"total: {results['total']:,}")
