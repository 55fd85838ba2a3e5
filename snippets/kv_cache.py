"""Memory of the key-value cache of Llama 2 7B and 70B, per token and for a full context.

While a decoder generates, every layer keeps the key and the value vector of every
earlier token for each key/value head: 2 x layers x kv_heads x head_dim numbers per
token. 70B uses grouped-query attention, 8 key/value heads shared by 64 query heads.
Touvron et al. 2023, Llama 2 (context length 4,096 tokens); configs of
meta-llama/Llama-2-7b-hf and -70b-hf. Values in fp16/bf16: 2 bytes each.
"""
import numpy as np

CONFIGS = {
    "7b": dict(hidden=4096, layers=32, heads=32, kv_heads=32),
    "70b": dict(hidden=8192, layers=80, heads=64, kv_heads=8),
}
CONTEXT = 4096           # tokens, Llama 2's context window
BYTES = np.dtype(np.float16).itemsize


def cache_shape(tokens, hidden, layers, heads, kv_heads):
    """(keys and values, layers, kv_heads, tokens, head_dim): the cache of one sequence."""
    return (2, layers, kv_heads, tokens, hidden // heads)


def cache_bytes(tokens, **config):
    return int(np.prod(cache_shape(tokens, **config))) * BYTES


results = {"context": CONTEXT, "bytes_per_value": BYTES}
for name, config in CONFIGS.items():
    results[f"bytes_per_token_{name}"] = cache_bytes(1, **config)
    results[f"bytes_full_context_{name}"] = cache_bytes(CONTEXT, **config)
# 70B as if every query head had its own key/value head (multi-head attention).
without_gqa = {**CONFIGS["70b"], "kv_heads": CONFIGS["70b"]["heads"]}
results["bytes_per_token_70b_without_gqa"] = cache_bytes(1, **without_gqa)
results["bytes_full_context_70b_without_gqa"] = cache_bytes(CONTEXT, **without_gqa)
results["gqa_saving_70b"] = results["bytes_per_token_70b_without_gqa"] // results["bytes_per_token_70b"]

for name in ("7b", "70b", "70b_without_gqa"):
    per_token, full = results[f"bytes_per_token_{name}"], results[f"bytes_full_context_{name}"]
    print(f"Llama 2 {name}: {per_token:,} bytes per token, {full / 2**30:.2f} GiB for {CONTEXT:,} tokens")
