"""Parameters of simple linear regression, y = m x + b.

The model has two parameters, the slope m and the intercept b; we count them
and fit them with least squares on a tiny fixed dataset.
"""
import numpy as np

# The model's parameters, as named arrays (each a single number).
params = {"m": np.zeros(()), "b": np.zeros(())}

# A tiny fixed dataset lying close to y = 2x + 1.
x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
y = np.array([1.1, 2.9, 5.2, 6.8, 9.1])

# A degree-1 polynomial fit returns [slope, intercept].
m, b = np.polyfit(x, y, deg=1)

results = {
    "parameters": sum(int(p.size) for p in params.values()),
    # Rounded so the quoted figures do not depend on floating-point noise.
    "fitted_slope": round(float(m), 4),
    "fitted_intercept": round(float(b), 4),
}

print(f"parameters: {results['parameters']} (m and b)")
print(f"fitted line: y = {results['fitted_slope']} x + {results['fitted_intercept']}")
for xi, yi in zip(x, y):
    print(f"  x = {xi:.0f}: data {yi:.1f}, model {m * xi + b:.2f}")
