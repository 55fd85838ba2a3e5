"""Parameters of GPT-3 175B.

Counts the largest GPT-3 model from its published shape: GPT-2 style blocks with
biases, learned positions, tied output head (Brown et al. 2020, GPT-3, Table 2.1:
96 layers, d_model 12,288, 96 heads of 128, context 2,048; GPT-2 vocabulary of 50,257).
"""
import numpy as np

vocab_size = 50_257
n_ctx = 2_048
n_layers = 96
d_model = 12_288
n_heads = 96
d_head = 128
d_ff = 4 * d_model  # the paper: feed-forward is always four times d_model

# The heads tile the model width exactly: 96 x 128 = 12,288.
assert n_heads * d_head == d_model


def block_shapes(d, d_mlp):
    """Weight shapes of one GPT-2 style block."""
    return {
        "ln_1.weight": (d,), "ln_1.bias": (d,),
        "attn.c_attn.weight": (d, 3 * d), "attn.c_attn.bias": (3 * d,),
        "attn.c_proj.weight": (d, d), "attn.c_proj.bias": (d,),
        "ln_2.weight": (d,), "ln_2.bias": (d,),
        "mlp.c_fc.weight": (d, d_mlp), "mlp.c_fc.bias": (d_mlp,),
        "mlp.c_proj.weight": (d_mlp, d), "mlp.c_proj.bias": (d,),
    }


def count(shapes):
    # Only shapes: 175 billion numbers would need 700 GB as float32.
    return sum(int(np.prod(s)) for s in shapes.values())


results = {
    "token_embeddings": int(np.prod((vocab_size, d_model))),
    "position_embeddings": int(np.prod((n_ctx, d_model))),
    "per_block": count(block_shapes(d_model, d_ff)),
}
results["blocks"] = n_layers * results["per_block"]
results["final_layernorm"] = count({"ln_f.weight": (d_model,), "ln_f.bias": (d_model,)})
# Tied embeddings: the output head reuses the token embedding matrix.
# (GPT-3's alternating dense / sparse attention patterns change no weights.)
results["total"] = (results["token_embeddings"] + results["position_embeddings"]
                    + results["blocks"] + results["final_layernorm"])

print(f"token embeddings:    {results['token_embeddings']:>16,}")
print(f"position embeddings: {results['position_embeddings']:>16,}")
print(f"{n_layers} blocks:           {results['blocks']:>16,}  ({results['per_block']:,} each)")
print(f"final LayerNorm:     {results['final_layernorm']:>16,}")
print(f"total:               {results['total']:>16,}  (~{results['total'] / 1e9:.1f}B)")
print("The paper's Table 2.1 lists 175.0B; this shape gives about 174.6B.")
