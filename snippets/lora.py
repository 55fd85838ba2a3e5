"""Trainable parameters of LoRA on Llama 2 7B and GPT-3 175B.

LoRA freezes W (d_out x d_in) and trains A (r x d_in) and B (d_out x r); here on W_q and W_v
of every layer (Hu et al. 2021, LoRA). Shapes: Touvron et al. 2023, Llama 2, Table 1
(meta-llama/Llama-2-7b-hf); Brown et al. 2020, GPT-3, Table 2.1.
"""
import numpy as np

RANKS = (1, 2, 4, 8, 16, 64)


def count(shapes):
    return sum(int(np.prod(s)) for s in shapes.values())


# --8<-- [start:lora]
def lora_shapes(d_in, d_out, r):
    """The two trainable matrices LoRA adds beside one frozen d_out x d_in matrix."""
    return {"A": (r, d_in), "B": (d_out, r)}


def lora_params(layers, matrices, r):
    """LoRA parameters for a list of (d_in, d_out) matrices adapted in every layer."""
    return layers * sum(count(lora_shapes(d_in, d_out, r)) for d_in, d_out in matrices)
# --8<-- [end:lora]


# --- Full model sizes, counted from the shapes (what full fine-tuning trains) ---

def count_llama(hidden, layers, heads, kv_heads, intermediate, vocab=32_000):
    """Llama 2: RMSNorm scales, no biases, SwiGLU MLP, untied output head."""
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
    return layers * count(layer) + count(rest)


def count_gpt3(d, layers, vocab=50_257, n_ctx=2_048):
    """GPT-3: GPT-2 style blocks with biases, learned positions, tied output head."""
    block = {
        "ln_1": (2, d), "c_attn.weight": (d, 3 * d), "c_attn.bias": (3 * d,),
        "attn.c_proj.weight": (d, d), "attn.c_proj.bias": (d,),
        "ln_2": (2, d), "c_fc.weight": (d, 4 * d), "c_fc.bias": (4 * d,),
        "mlp.c_proj.weight": (4 * d, d), "mlp.c_proj.bias": (d,),
    }
    rest = {"wte": (vocab, d), "wpe": (n_ctx, d), "ln_f": (2, d)}
    return layers * count(block) + count(rest)


llama = dict(hidden=4096, layers=32, heads=32, kv_heads=32, intermediate=11008)
gpt3_d, gpt3_layers = 12_288, 96

d = llama["hidden"]
llama_qv = [(d, d), (d, d)]        # W_q and W_v are both 4096 x 4096 in the 7B model
gpt3_qv = [(gpt3_d, gpt3_d)] * 2   # W_q and W_v, 12288 x 12288

results = {
    "llama2_7b_full": count_llama(**llama),
    "gpt3_full": count_gpt3(gpt3_d, gpt3_layers),
}
for r in RANKS:
    results[f"llama2_7b_r{r}"] = lora_params(llama["layers"], llama_qv, r)
    results[f"gpt3_r{r}"] = lora_params(gpt3_layers, gpt3_qv, r)
for r in RANKS:
    results[f"llama2_7b_r{r}_share"] = results[f"llama2_7b_r{r}"] / results["llama2_7b_full"]
    results[f"gpt3_r{r}_share"] = results[f"gpt3_r{r}"] / results["gpt3_full"]

# The LoRA paper's Table 4 lists GPT-3 runs with 4.7M and 37.7M trainable parameters.
# 4.7M = W_q, W_v at r = 1 (4,718,592); 37.7M = W_q, W_v at r = 8 (37,748,736).
# Other placements give the same sizes (the paper's Table 15 lists both):
# W_v alone at r = 2 is also 4.7M, all four attention matrices at r = 4 are also 37.7M.
# W_q, W_v at r = 4 is 18.9M: the "18M budget" of the paper's Table 5, not Table 4.
results["gpt3_wv_only_r2"] = lora_params(gpt3_layers, [(gpt3_d, gpt3_d)], 2)
results["gpt3_qkvo_r4"] = lora_params(gpt3_layers, [(gpt3_d, gpt3_d)] * 4, 4)
# Adapting all four attention matrices (W_q, W_k, W_v, W_o) of Llama 2 7B.
llama_qkvo = [(d, d)] * 4
results["llama2_7b_qkvo_r1"] = lora_params(llama["layers"], llama_qkvo, 1)
results["llama2_7b_qkvo_r2"] = lora_params(llama["layers"], llama_qkvo, 2)

print(f"full fine-tuning: Llama 2 7B {results['llama2_7b_full']:,}, GPT-3 {results['gpt3_full']:,}")
print("LoRA on W_q and W_v of every layer:")
print(f"{'rank':>5} {'Llama 2 7B':>12} {'% of full':>10} {'GPT-3 175B':>14} {'% of full':>10}")
for r in RANKS:
    print(f"{r:>5} {results[f'llama2_7b_r{r}']:>12,} {results[f'llama2_7b_r{r}_share']:>10.4%}"
          f" {results[f'gpt3_r{r}']:>14,} {results[f'gpt3_r{r}_share']:>10.5%}")
print(f"GPT-3, paper's 4.7M:  W_q,W_v r=1 = {results['gpt3_r1']:,}"
      f" (W_v alone r=2 = {results['gpt3_wv_only_r2']:,})")
print(f"GPT-3, paper's 37.7M: W_q,W_v r=8 = {results['gpt3_r8']:,}"
      f" (W_q,W_k,W_v,W_o r=4 = {results['gpt3_qkvo_r4']:,})")
print('The claim "1-2 million extra parameters for a 7B model" holds for')
print(f"  W_q,W_v at r=2 ({results['llama2_7b_r2']:,}) or r=4 ({results['llama2_7b_r4']:,})")
print(f"  W_q,W_k,W_v,W_o at r=1 ({results['llama2_7b_qkvo_r1']:,})"
      f" or r=2 ({results['llama2_7b_qkvo_r2']:,})")
print(f"  but not W_q,W_v at r=1 ({results['llama2_7b_r1']:,}).")
