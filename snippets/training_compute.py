"""Training compute and data of GPT-3 and Llama 2: the 6·N·D rule, and Chinchilla's optimum.

Training a dense transformer costs about 6 floating-point operations per parameter and
per token: 2 in the forward pass (a multiply and an add) and 4 in the backward pass
(Kaplan et al. 2020, section 2.1). N comes from each model's published shape, D from its
paper: 300 billion tokens for GPT-3 (Brown et al. 2020), 2.0 trillion for Llama 2
(Touvron et al. 2023, Table 1). GPT-3's paper reports 3.14e23 FLOPs (Table D.1). Llama 2's
reports GPU hours on NVIDIA A100-80GB (Table 2); at the A100's peak of 312 teraFLOP/s in
bf16 (NVIDIA's data sheet), they give the share of peak the training must have reached.

Hoffmann et al. 2022 trained Chinchilla, 70 billion parameters, on 1.4 trillion tokens:
20 tokens per parameter, the split their fits found compute-optimal. Gopher, the model it
was compared with at the same compute, had 280 billion parameters and 300 billion tokens.
"""

FLOPS_PER_PARAMETER_PER_TOKEN = 2 + 4  # forward + backward
A100_PEAK_FLOPS = 312 * 10**12  # dense bf16, per second

GPT3 = dict(vocab=50_257, context=2_048, layers=96, width=12_288)
LLAMA2 = {
    "7b": dict(hidden=4096, layers=32, heads=32, kv_heads=32, intermediate=11008),
    "70b": dict(hidden=8192, layers=80, heads=64, kv_heads=8, intermediate=28672),
}
TOKENS = {"gpt3": 300 * 10**9, "7b": 2 * 10**12, "70b": 2 * 10**12}
GPU_HOURS = {"7b": 184_320, "70b": 1_720_320}
CHINCHILLA = dict(parameters=70 * 10**9, tokens=1_400 * 10**9)
GOPHER = dict(parameters=280 * 10**9, tokens=300 * 10**9)
TOKENS_PER_PARAMETER = CHINCHILLA["tokens"] // CHINCHILLA["parameters"]


def gpt3_parameters(vocab, context, layers, width):
    """Token and position tables, blocks of attention (4 d x d) and MLP (2 d x 4d) with biases, LayerNorms."""
    d = width
    attention = d * 3 * d + 3 * d + d * d + d
    mlp = d * 4 * d + 4 * d + 4 * d * d + d
    norms = 2 * 2 * d
    return vocab * d + context * d + layers * (attention + mlp + norms) + 2 * d


def llama2_parameters(hidden, layers, heads, kv_heads, intermediate, vocab=32_000):
    """Embedding and untied output head, blocks of grouped-query attention and SwiGLU, RMSNorm scales."""
    kv_width = kv_heads * (hidden // heads)
    attention = 2 * hidden * hidden + 2 * hidden * kv_width
    mlp = 3 * hidden * intermediate
    return 2 * vocab * hidden + layers * (attention + mlp + 2 * hidden) + hidden


results = {
    "flops_per_parameter_per_token": FLOPS_PER_PARAMETER_PER_TOKEN,
    "a100_peak_flops": A100_PEAK_FLOPS,
    "chinchilla_tokens_per_parameter": TOKENS_PER_PARAMETER,
    "chinchilla_data_vs_gopher": CHINCHILLA["tokens"] / GOPHER["tokens"],
    "chinchilla_parameters_vs_gopher": CHINCHILLA["parameters"] / GOPHER["parameters"],
}
models = {"gpt3": gpt3_parameters(**GPT3)}
models.update({f"llama2_{size}": llama2_parameters(**config) for size, config in LLAMA2.items()})
for name, parameters in models.items():
    tokens = TOKENS[name.removeprefix("llama2_")]
    results[f"parameters_{name}"] = parameters
    results[f"tokens_{name}"] = tokens
    results[f"flops_{name}"] = FLOPS_PER_PARAMETER_PER_TOKEN * parameters * tokens
    results[f"tokens_per_parameter_{name}"] = tokens / parameters
    results[f"optimal_tokens_{name}"] = TOKENS_PER_PARAMETER * parameters
    results[f"tokens_vs_optimal_{name}"] = tokens / results[f"optimal_tokens_{name}"]
for size in LLAMA2:
    peak = GPU_HOURS[size] * 3600 * A100_PEAK_FLOPS  # what the GPUs could have done in that time
    results[f"gpu_hours_llama2_{size}"] = GPU_HOURS[size]
    results[f"share_of_peak_llama2_{size}"] = results[f"flops_llama2_{size}"] / peak

print(f"GPT-3 175B: 6 x {results['parameters_gpt3']:,} x {TOKENS['gpt3']:,} = {results['flops_gpt3']:.3e} FLOPs"
      " (the paper: 3.14e23)")
for size in LLAMA2:
    print(f"Llama 2 {size.upper()}: {results[f'flops_llama2_{size}']:.3e} FLOPs in {GPU_HOURS[size]:,} A100 hours:"
          f" {results[f'share_of_peak_llama2_{size}']:.1%} of peak")
print(f"Chinchilla: {TOKENS_PER_PARAMETER} tokens per parameter, "
      f"{results['chinchilla_data_vs_gopher']:.2f} times Gopher's data")
for name in models:
    print(f"{name}: {results[f'tokens_per_parameter_{name}']:.1f} tokens per parameter, "
          f"{results[f'tokens_vs_optimal_{name}']:.2f} times Chinchilla's optimum of "
          f"{results[f'optimal_tokens_{name}']:,} tokens")
