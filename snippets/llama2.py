"""Parameters of Llama 2 7B, 13B and 70B.

Counts each size from its config: SwiGLU MLP, RMSNorm without bias, no linear biases,
untied output head, grouped-query attention (8 KV heads) in 70B. Touvron et al. 2023,
Llama 2, Table 1; configs of meta-llama/Llama-2-7b-hf, -13b-hf and -70b-hf.
"""
import numpy as np

CONFIGS = {
    "7b": dict(hidden=4096, layers=32, heads=32, kv_heads=32, intermediate=11008),
    "13b": dict(hidden=5120, layers=40, heads=40, kv_heads=40, intermediate=13824),
    "70b": dict(hidden=8192, layers=80, heads=64, kv_heads=8, intermediate=28672),
}
VOCAB = 32_000


def layer_shapes(hidden, heads, kv_heads, intermediate):
    """Weight shapes of one decoder layer, stored (out, in) as in PyTorch."""
    head_dim = hidden // heads
    return {
        "input_layernorm": (hidden,),  # RMSNorm: a scale, no bias
        "q_proj": (heads * head_dim, hidden),
        # Grouped-query attention: fewer key/value heads, shared by groups of query heads.
        "k_proj": (kv_heads * head_dim, hidden),
        "v_proj": (kv_heads * head_dim, hidden),
        "o_proj": (hidden, heads * head_dim),
        "post_attention_layernorm": (hidden,),
        # SwiGLU: two input matrices (gate and up), one output matrix (down).
        "gate_proj": (intermediate, hidden),
        "up_proj": (intermediate, hidden),
        "down_proj": (hidden, intermediate),
    }


def count_llama(hidden, layers, heads, kv_heads, intermediate, vocab=VOCAB):
    shapes = layer_shapes(hidden, heads, kv_heads, intermediate)
    per_layer = sum(int(np.prod(s)) for s in shapes.values())
    embed = int(np.prod((vocab, hidden)))
    final_norm = hidden
    lm_head = int(np.prod((vocab, hidden)))  # untied: a separate matrix from the embedding
    return embed + layers * per_layer + final_norm + lm_head


results = {f"total_{name}": count_llama(**cfg) for name, cfg in CONFIGS.items()}
# For comparison: 70B with a key/value head for every query head (no grouping).
results["total_70b_without_gqa"] = count_llama(**{**CONFIGS["70b"], "kv_heads": 64})

for name in CONFIGS:
    total = results[f"total_{name}"]
    print(f"Llama 2 {name.upper():>3}: {total:>15,}  ({total / 1e9:.2f}B)")
# The names are size classes: the count rounded to a familiar number of billions.
B = 1e9
print(f"The names are rounded: 7B is {results['total_7b'] / B:.2f}B, "
      f"13B is {results['total_13b'] / B:.2f}B, and")
print(f"70B is {results['total_70b'] / B:.2f}B, {1 - results['total_70b'] / (70 * B):.1%} short of 70 billion.")
print("70B's 8 key/value heads (grouped-query attention) keep it below 70B;")
print(f"with 64 it would have {results['total_70b_without_gqa'] / B:.2f}B parameters.")
