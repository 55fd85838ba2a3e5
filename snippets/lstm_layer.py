"""Parameters of one LSTM layer.

Counts one LSTM layer with input size 128 and hidden size 256, the way
PyTorch's nn.LSTM stores it (four gates stacked in each matrix).
"""
import numpy as np

input_size = 128
hidden_size = 256
gates = 4  # input, forget, cell candidate, output

# Each gate sees the current input x_t and the previous hidden state h_{t-1}.
W_ih = np.zeros((gates * hidden_size, input_size))   # input -> gates
W_hh = np.zeros((gates * hidden_size, hidden_size))  # hidden -> gates
# PyTorch keeps TWO bias vectors, b_ih and b_hh, although one would do
# mathematically (they are simply added); Keras and the textbook formula use one.
b_ih = np.zeros(gates * hidden_size)
b_hh = np.zeros(gates * hidden_size)

results = {
    "weights": int(W_ih.size + W_hh.size),
    "biases": int(b_ih.size + b_hh.size),
}
results["total"] = results["weights"] + results["biases"]
# With a single bias vector per gate set (Keras style) the count would be smaller.
results["total_single_bias"] = results["total"] - int(b_hh.size)

print(f"LSTM layer, input {input_size}, hidden {hidden_size}")
print(f"weights: {results['weights']:,}  (W_ih {W_ih.shape} + W_hh {W_hh.shape})")
print(f"biases:  {results['biases']:,}  (b_ih + b_hh, PyTorch style)")
print(f"total:   {results['total']:,}")
print(f"total with one bias vector (Keras style): {results['total_single_bias']:,}")
