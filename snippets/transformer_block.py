"""Parameters of one GPT-2 small transformer block.

Counts one decoder block of GPT-2 small: self-attention (768 wide, 12 heads),
MLP (768 -> 3072 -> 768) and two LayerNorms, all with biases
(Radford et al. 2019; config of openai-community/gpt2).
"""
import numpy as np

d_model = 768
n_heads = 12
d_mlp = 3072  # 4 x d_model

# Weight shapes of one block, grouped by part, named as in Hugging Face's GPT2Block.
block = {
    "attention": {
        # Queries, keys and values for all 12 heads come from one fused matrix;
        # the heads split the 768 columns of each (12 x 64), so heads add no weights.
        "c_attn.weight": (d_model, 3 * d_model),
        "c_attn.bias": (3 * d_model,),
        "c_proj.weight": (d_model, d_model),  # mixes the heads' outputs back together
        "c_proj.bias": (d_model,),
    },
    "mlp": {
        "c_fc.weight": (d_model, d_mlp),
        "c_fc.bias": (d_mlp,),
        "c_proj.weight": (d_mlp, d_model),
        "c_proj.bias": (d_model,),
    },
    "layernorm": {
        # LayerNorm learns a scale (weight) and a shift (bias) per feature.
        "ln_1.weight": (d_model,),
        "ln_1.bias": (d_model,),
        "ln_2.weight": (d_model,),
        "ln_2.bias": (d_model,),
    },
}

results = {
    part: sum(int(np.prod(shape)) for shape in shapes.values())
    for part, shapes in block.items()
}
results["total"] = sum(results.values())

print(f"GPT-2 small block (d_model {d_model}, {n_heads} heads, MLP {d_mlp})")
for part in ("attention", "mlp", "layernorm", "total"):
    print(f"{part + ':':<11} {results[part]:>10,}")
print(f"MLP share of the block: {results['mlp'] / results['total']:.1%}")
