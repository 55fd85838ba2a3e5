"""Parameters of GPT-2 small (the "124M" model).

Counts token and position embeddings, 12 transformer blocks and the final
LayerNorm. The output head reuses (ties) the token embedding, so it adds nothing
(Radford et al. 2019; config of openai-community/gpt2).
"""
import numpy as np

vocab_size = 50_257
n_positions = 1_024
d_model = 768
n_layers = 12
d_mlp = 4 * d_model


def block_shapes(d, d_ff):
    """Weight shapes of one GPT-2 block (attention, MLP, two LayerNorms)."""
    return {
        "ln_1.weight": (d,), "ln_1.bias": (d,),
        "attn.c_attn.weight": (d, 3 * d), "attn.c_attn.bias": (3 * d,),  # fused q, k, v
        "attn.c_proj.weight": (d, d), "attn.c_proj.bias": (d,),
        "ln_2.weight": (d,), "ln_2.bias": (d,),
        "mlp.c_fc.weight": (d, d_ff), "mlp.c_fc.bias": (d_ff,),
        "mlp.c_proj.weight": (d_ff, d), "mlp.c_proj.bias": (d,),
    }


def count(shapes):
    return sum(int(np.prod(s)) for s in shapes.values())


results = {
    "token_embeddings": int(np.prod((vocab_size, d_model))),
    "position_embeddings": int(np.prod((n_positions, d_model))),
    "per_block": count(block_shapes(d_model, d_mlp)),
}
results["blocks"] = n_layers * results["per_block"]
results["final_layernorm"] = count({"ln_f.weight": (d_model,), "ln_f.bias": (d_model,)})
# The LM head is the token embedding matrix used again (weight tying): 0 new parameters.
results["total"] = (results["token_embeddings"] + results["position_embeddings"]
                    + results["blocks"] + results["final_layernorm"])
# An untied head would add a second vocab x d_model matrix.
results["total_if_untied"] = results["total"] + results["token_embeddings"]

print(f"token embeddings:    {results['token_embeddings']:>12,}")
print(f"position embeddings: {results['position_embeddings']:>12,}")
print(f"{n_layers} blocks:           {results['blocks']:>12,}  ({results['per_block']:,} each)")
print(f"final LayerNorm:     {results['final_layernorm']:>12,}")
print(f"total:               {results['total']:>12,}  (tied output head)")
print(f"if the head were untied: {results['total_if_untied']:,}")
