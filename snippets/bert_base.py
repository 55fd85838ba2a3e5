"""Parameters of BERT-base (uncased).

Counts embeddings (word, position, token type, LayerNorm), 12 encoder layers and
the pooler (Devlin et al. 2019, BERT-base; config of google-bert/bert-base-uncased).
"""
import numpy as np

vocab_size = 30_522
max_positions = 512
type_vocab_size = 2  # sentence A / sentence B
d_model = 768
n_layers = 12
d_ff = 3_072


def count(shapes):
    return sum(int(np.prod(s)) for s in shapes.values())


def linear(name, d_in, d_out):
    """Shapes of a linear layer with bias, stored (out, in) as in PyTorch."""
    return {f"{name}.weight": (d_out, d_in), f"{name}.bias": (d_out,)}


def layernorm(name, d):
    return {f"{name}.weight": (d,), f"{name}.bias": (d,)}


embeddings = {
    "word_embeddings": (vocab_size, d_model),
    "position_embeddings": (max_positions, d_model),  # learned, not sinusoidal
    "token_type_embeddings": (type_vocab_size, d_model),
    **layernorm("embeddings.LayerNorm", d_model),
}


def encoder_layer_shapes(d, d_inner):
    """One encoder layer: self-attention with separate q, k, v, then the feed-forward part."""
    return {
        **linear("attention.query", d, d),
        **linear("attention.key", d, d),
        **linear("attention.value", d, d),
        **linear("attention.output.dense", d, d),
        **layernorm("attention.output.LayerNorm", d),
        **linear("intermediate.dense", d, d_inner),
        **linear("output.dense", d_inner, d),
        **layernorm("output.LayerNorm", d),
    }


# The pooler turns the [CLS] vector into a sentence vector (dense + tanh).
pooler = linear("pooler.dense", d_model, d_model)

results = {
    "embeddings": count(embeddings),
    "per_layer": count(encoder_layer_shapes(d_model, d_ff)),
}
results["encoder"] = n_layers * results["per_layer"]
results["pooler"] = count(pooler)
results["total"] = results["embeddings"] + results["encoder"] + results["pooler"]
results["total_without_pooler"] = results["total"] - results["pooler"]

print(f"embeddings: {results['embeddings']:>12,}")
print(f"encoder:    {results['encoder']:>12,}  ({n_layers} layers x {results['per_layer']:,})")
print(f"pooler:     {results['pooler']:>12,}")
print(f"total:      {results['total']:>12,}  (about {results['total'] / 1e6:.0f}M; the paper says 110M)")
print(f"without the pooler: {results['total_without_pooler']:,}")
