"""Parameters of a 3x3 convolution on an RGB image.

Counts one 2-D convolution layer with 3 input channels (red, green, blue),
64 output channels and 3x3 kernels, with one bias per output channel.
"""
import numpy as np

in_channels = 3
out_channels = 64
kernel_h, kernel_w = 3, 3

# Each output channel has its own 3x3 kernel for every input channel.
W = np.zeros((out_channels, in_channels, kernel_h, kernel_w))
b = np.zeros(out_channels)

results = {
    "weights_per_filter": in_channels * kernel_h * kernel_w,
    "weights": int(W.size),
    "biases": int(b.size),
}
results["total"] = results["weights"] + results["biases"]

print(f"conv {kernel_h}x{kernel_w}, {in_channels} -> {out_channels} channels")
print(f"weights per filter: {results['weights_per_filter']} ({in_channels} x {kernel_h} x {kernel_w})")
print(f"weights: {results['weights']:,}")
print(f"biases:  {results['biases']:,}")
print(f"total:   {results['total']:,}")
# The count does not depend on the image size: the same kernels slide over every position.
