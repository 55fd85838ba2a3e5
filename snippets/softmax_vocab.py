"""The softmax over Llama 2's vocabulary of 32,000 tokens.

At every position a language model scores each token of its vocabulary (the logits) and
turns the scores into probabilities with a softmax. Llama 2 7B computes them with an
output layer of 4,096 x 32,000 weights (Touvron et al. 2023; meta-llama/Llama-2-7b-hf).
"""
import numpy as np

VOCAB = 32_000
HIDDEN = 4_096
CONTEXT = 4_096


def softmax(logits):
    shifted = logits - logits.max()  # same result, and exp() cannot overflow
    weights = np.exp(shifted)
    return weights / weights.sum()


uniform = softmax(np.zeros(VOCAB))
# One token scored 10 above the 31,999 others, which are all equal.
lead = np.zeros(VOCAB)
lead[0] = 10.0

results = {
    "vocab": VOCAB,
    "uniform_probability": float(uniform[0]),
    # An untrained model that spreads its bet evenly: cross-entropy ln(V), perplexity V.
    "uniform_loss_nats": float(-np.log(uniform[0])),
    "lead_10_probability": float(softmax(lead)[0]),
    "output_layer_parameters": HIDDEN * VOCAB,
    "logit_bytes_per_token_fp32": VOCAB * np.dtype(np.float32).itemsize,
    "logit_bytes_full_context_fp32": CONTEXT * VOCAB * np.dtype(np.float32).itemsize,
    # Without subtracting the largest logit first, exp() overflows above these.
    "largest_safe_logit_fp16": float(np.log(np.float64(np.finfo(np.float16).max))),
    "largest_safe_logit_fp32": float(np.log(np.float64(np.finfo(np.float32).max))),
}

print(f"uniform over {VOCAB:,} tokens: p = {results['uniform_probability']:.3g}, "
      f"loss = {results['uniform_loss_nats']:.3f} nats")
print(f"one logit 10 above the rest: p = {results['lead_10_probability']:.3f}")
print(f"output layer: {results['output_layer_parameters']:,} weights; logits for {CONTEXT:,} tokens in fp32: "
      f"{results['logit_bytes_full_context_fp32']:,} bytes")
print(f"exp() overflows above {results['largest_safe_logit_fp16']:.2f} in fp16 "
      f"and {results['largest_safe_logit_fp32']:.2f} in fp32")
