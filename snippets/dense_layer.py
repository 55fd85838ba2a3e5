"""Parameters of a fully connected (dense) layer.

Counts the weights and biases of one layer mapping 1,000 inputs to 500 outputs:
every output has one weight per input plus one bias.
"""
import numpy as np

n_inputs = 1_000
n_outputs = 500

# --8<-- [start:arrays]
# The layer is small, so we can build the real arrays.
W = np.zeros((n_outputs, n_inputs))  # one row of weights per output unit
b = np.zeros(n_outputs)              # one bias per output unit
# --8<-- [end:arrays]

results = {
    "inputs": n_inputs,
    "outputs": n_outputs,
    "weights": int(W.size),
    "biases": int(b.size),
}
results["total"] = results["weights"] + results["biases"]

print(f"dense layer {n_inputs:,} -> {n_outputs:,}")
print(f"weights: {results['weights']:,}  ({n_outputs:,} x {n_inputs:,})")
print(f"biases:  {results['biases']:,}")
print(f"total:   {results['total']:,}")
