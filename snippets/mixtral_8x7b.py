"""Parameters of Mixtral 8x7B, in total and used per token.

Counts a Llama-style model whose MLP is replaced by 8 SwiGLU experts with a
router choosing 2 per token (Jiang et al. 2024, Mixtral of Experts; config of
mistralai/Mixtral-8x7B-v0.1: hidden 4,096, 32 layers, 32 heads, 8 KV heads,
expert size 14,336, vocabulary 32,000, untied output head).
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
shared_layer = {
    "input_layernorm": (hidden,),
    "q_proj": (heads * head_dim, hidden),
    "k_proj": (kv_heads * head_dim, hidden),
    "v_proj": (kv_heads * head_dim, hidden),
    "o_proj": (hidden, heads * head_dim),
    "post_attention_layernorm": (hidden,),
    "router": (n_experts, hidden),  # scores the 8 experts for each token
}
# One expert: a SwiGLU MLP (gate, up, down).
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
shared = count(outside_layers) + layers * count(shared_layer)

results = {
    "expert_per_layer": per_expert,
    "shared": shared,  # attention, norms, routers, embeddings, head
    "total": shared + layers * n_experts * per_expert,
    "active_per_token": shared + layers * top_k * per_expert,
    # The same model with one plain MLP per layer and no router: the "7B" in the
    # name (this is exactly the shape of Mistral 7B).
    "dense_one_expert": shared - layers * count({"router": shared_layer["router"]}) + layers * per_expert,
}
results["naive_8x_dense"] = n_experts * results["dense_one_expert"]

print(f"total parameters:     {results['total']:>15,}  ({results['total'] / 1e9:.1f}B)")
print(f"active per token:     {results['active_per_token']:>15,}  ({results['active_per_token'] / 1e9:.1f}B, {top_k} of {n_experts} experts)")
print(f"one expert, one layer: {results['expert_per_layer']:>14,}")
print(f"shared by all tokens: {results['shared']:>15,}")
print(f"dense, one MLP/layer: {results['dense_one_expert']:>15,}  ({results['dense_one_expert'] / 1e9:.1f}B, Mistral 7B's shape)")
print(f'"8x7B" suggests 8 x 7 = 56B (8 whole dense models: {results["naive_8x_dense"] / 1e9:.1f}B),')
print("but only the MLP experts are repeated: attention, embeddings and head")
print(f"({results['shared'] / 1e9:.2f}B) exist once, so the total is {results['total'] / 1e9:.1f}B.")
