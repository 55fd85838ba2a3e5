"""Parameters of an embedding table, for the vocabularies of real models.

An embedding table holds one vector per token of the vocabulary: vocabulary size x
model width numbers. GPT-2 small: 50,257 tokens of 768 dimensions (Radford et al. 2019;
config of openai-community/gpt2). The others, from their papers and configs: BERT base
30,522 x 768 (Devlin et al. 2019; google-bert/bert-base-uncased), Llama 2 7B 32,000 x 4,096
(Touvron et al. 2023; meta-llama/Llama-2-7b-hf), Llama 3 8B 128,256 x 4,096 (Llama Team
2024; meta-llama/Meta-Llama-3-8B) and GPT-3 175B 50,257 x 12,288 (Brown et al. 2020).
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

MODELS = {
    "bert_base": (30_522, 768),
    "llama2_7b": (32_000, 4_096),
    "llama3_8b": (128_256, 4_096),
    "gpt3": (50_257, 12_288),
}
for name, (vocab, width) in MODELS.items():
    results[f"vocab_{name}"] = vocab
    results[f"total_{name}"] = int(np.prod((vocab, width)))
# Llama 3 quadrupled the vocabulary of Llama 2 at the same width: four times the table.
results["llama3_vs_llama2"] = results["total_llama3_8b"] / results["total_llama2_7b"]

print(f"embedding table {vocab_size:,} tokens x {d_model} dimensions")
print(f"total: {results['total']:,}")
for name, (vocab, width) in MODELS.items():
    print(f"{name}: {vocab:,} x {width:,} = {results[f'total_{name}']:,}")
print(f"Llama 3 8B / Llama 2 7B: {results['llama3_vs_llama2']:.2f}")
