"""Sampling temperature: the softmax of three logits, divided by T first.

Three tokens scored 2, 1 and 0 (logits), at the model's own temperature T = 1, sharper
at T = 0.5 and flatter at T = 2 (Hinton et al. 2015 give the formula for distillation).
"""
import numpy as np

LOGITS = np.array([2.0, 1.0, 0.0])
TEMPERATURES = {"t1": 1.0, "t05": 0.5, "t2": 2.0}


def softmax_at(logits, temperature):
    scaled = logits / temperature
    weights = np.exp(scaled - scaled.max())
    return weights / weights.sum()


results = {}
for name, temperature in TEMPERATURES.items():
    for token, probability in enumerate(softmax_at(LOGITS, temperature)):
        results[f"p{token}_{name}"] = float(probability)

for name, temperature in TEMPERATURES.items():
    shares = ", ".join(f"{results[f'p{token}_{name}']:.1%}" for token in range(len(LOGITS)))
    print(f"T = {temperature}: {shares}")
