"""Memory needed to hold the weights of Llama 2 7B and 70B.

Counts the parameters from the shapes, times the bytes per parameter of each number
format; weights only. Touvron et al. 2023, Llama 2, Table 1; meta-llama/Llama-2-7b-hf, -70b-hf.
"""
import numpy as np

CONFIGS = {
    "7b": dict(hidden=4096, layers=32, heads=32, kv_heads=32, intermediate=11008),
    "70b": dict(hidden=8192, layers=80, heads=64, kv_heads=8, intermediate=28672),
}
# Bits per parameter; int4 packs two weights into one byte.
FORMATS = {"fp32": 32, "fp16": 16, "int8": 8, "int4": 4}  # bf16 is 16 bits too
# Training with Adam in mixed precision keeps, per parameter, 16-bit weights and gradients and an fp32
# master copy plus Adam's two fp32 moments: 2 + 2 + 4 + 4 + 4 bytes (Rajbhandari et al. 2020, ZeRO).
ADAM_MIXED_BYTES = {"weights": 2, "gradients": 2, "master_weights": 4, "first_moment": 4, "second_moment": 4}


def count_llama(hidden, layers, heads, kv_heads, intermediate, vocab=32_000):
    """Llama 2: RMSNorm scales, no biases, grouped-query attention, SwiGLU, untied head."""
    head_dim = hidden // heads
    layer = {
        "norms": (2, hidden),
        "q_proj": (heads * head_dim, hidden),
        "k_proj": (kv_heads * head_dim, hidden),
        "v_proj": (kv_heads * head_dim, hidden),
        "o_proj": (hidden, heads * head_dim),
        "gate_proj": (intermediate, hidden),
        "up_proj": (intermediate, hidden),
        "down_proj": (hidden, intermediate),
    }
    rest = {"embed": (vocab, hidden), "final_norm": (hidden,), "lm_head": (vocab, hidden)}
    per_layer = sum(int(np.prod(s)) for s in layer.values())
    return layers * per_layer + sum(int(np.prod(s)) for s in rest.values())


results = {}
for model, cfg in CONFIGS.items():
    params = count_llama(**cfg)
    results[f"llama2_{model}_params"] = params
    for fmt, bits in FORMATS.items():
        # Integer arithmetic: bits first, then bytes, so int4 stays exact.
        results[f"llama2_{model}_{fmt}_bytes"] = params * bits // 8
    results[f"llama2_{model}_adam_mixed_bytes"] = params * sum(ADAM_MIXED_BYTES.values())

for model in CONFIGS:
    print(f"Llama 2 {model.upper()}: {results[f'llama2_{model}_params']:,} parameters")
    for fmt, bits in FORMATS.items():
        n = results[f"llama2_{model}_{fmt}_bytes"]
        label = "fp16/bf16" if fmt == "fp16" else fmt
        per = f"({bits / 8:g} B/param)"
        print(f"  {label:<9} {per:<14} {n / 1e9:7.2f} GB = {n / 2**30:7.2f} GiB")
    n = results[f"llama2_{model}_adam_mixed_bytes"]
    print(f"  training with Adam in mixed precision ({sum(ADAM_MIXED_BYTES.values())} B/param): {n / 1e9:7.2f} GB")
print("GB = 10^9 bytes, GiB = 2^30 bytes; add memory for activations and the KV cache to run it.")
