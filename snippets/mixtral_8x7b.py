"""Parameters of Mixtral 8x7B, in total and used per token.

Counts a Llama-style model whose MLP is 8 SwiGLU experts, 2 chosen per token by a router.
Jiang et al. 2024, Mixtral of Experts; config of mistralai/Mixtral-8x7B-v0.1.
"""
import numpy as np

vocab = 32_000
hidden = 4_096
layers = 32
heads = 32
kv_heads = 8
intermediate = 14_336
n_experts = 8
top_k = 2  # experts used per token
head_dim = hidden // heads


def count(shapes):
    return sum(int(np.prod(s)) for s in shapes.values())


# Parts every token uses in each layer, shapes stored (out, in).
attention_and_norms = {
    "input_layernorm": (hidden,),
    "q_proj": (heads * head_dim, hidden),
    "k_proj": (kv_heads * head_dim, hidden),
    "v_proj": (kv_heads * head_dim, hidden),
    "o_proj": (hidden, heads * head_dim),
    "post_attention_layernorm": (hidden,),
}
router = {"gate": (n_experts, hidden)}  # scores the 8 experts for each token
# One expert: a SwiGLU MLP (gate, up, down), as in a dense Llama/Mistral layer.
expert = {
    "w1_gate": (intermediate, hidden),
    "w3_up": (intermediate, hidden),
    "w2_down": (hidden, intermediate),
}
outside_layers = {
    "embed_tokens": (vocab, hidden),
    "final_norm": (hidden,),
    "lm_head": (vocab, hidden),  # untied
}

per_expert = count(expert)
# Attention, norms, embeddings and head exist once, whatever the number of experts.
common = count(outside_layers) + layers * count(attention_and_norms)

results = {
    "expert_per_layer": per_expert,
    "shared": common + layers * count(router),  # everything but the experts
    "total": common + layers * (count(router) + n_experts * per_expert),
    "active_per_token": common + layers * (count(router) + top_k * per_expert),
    # The same model with one plain MLP per layer and no router: the "7B" in the
    # name (exactly the shape of Mistral 7B).
    "dense_one_expert": common + layers * per_expert,
}
results["naive_8x_dense"] = n_experts * results["dense_one_expert"]

B = 1e9
print(f"total parameters:      {results['total']:>15,}  ({results['total'] / B:.1f}B)")
print(f"active per token:      {results['active_per_token']:>15,}  "
      f"({results['active_per_token'] / B:.1f}B, {top_k} of {n_experts} experts)")
print(f"one expert, one layer: {results['expert_per_layer']:>15,}")
print(f"shared by all tokens:  {results['shared']:>15,}")
print(f"dense, one MLP/layer:  {results['dense_one_expert']:>15,}  "
      f"({results['dense_one_expert'] / B:.1f}B, Mistral 7B's shape)")
print(f'"8x7B" suggests 8 x 7 = 56B (8 whole dense models: {results["naive_8x_dense"] / B:.1f}B),')
print("but only the MLP experts are repeated: attention, embeddings and head")
print(f"({results['shared'] / B:.2f}B) exist once, so the total is {results['total'] / B:.1f}B.")
