"""GPT-4 mixture-of-experts arithmetic, from an UNCONFIRMED report.

OpenAI has not published GPT-4's size or architecture. The inputs below are the
figures reported by SemiAnalysis (Patel and Wong, "GPT-4 Architecture,
Infrastructure, Training Dataset, Costs, Vision, MoE", July 2023), a rumour.
"""

# Reported inputs (unconfirmed; this snippet starts from quoted figures, not shapes).
reported_experts = 16
reported_params_per_expert = 110_000_000_000  # "about 110-111B" of MLP weights each
reported_experts_per_token = 2
reported_shared_attention = 55_000_000_000    # "about 55B" shared attention weights

results = {
    "reported_experts": reported_experts,
    "reported_params_per_expert": reported_params_per_expert,
    "reported_shared_attention": reported_shared_attention,
    # The widely quoted product: 16 x 110B.
    "reported_total": reported_experts * reported_params_per_expert,
    # Expert weights a token passes through; leaves out the shared attention.
    "active_two_experts": reported_experts_per_token * reported_params_per_expert,
}
# Adding the shared attention weights, which every token uses.
results["reported_total_with_attention"] = results["reported_total"] + reported_shared_attention
results["active_with_attention"] = results["active_two_experts"] + reported_shared_attention

print("UNCONFIRMED: inputs reported by SemiAnalysis (July 2023), not published by OpenAI.")
print(f"{reported_experts} experts x {reported_params_per_expert / 1e9:.0f}B = "
      f"{results['reported_total'] / 1e12:.2f} trillion parameters")
print(f"plus {reported_shared_attention / 1e9:.0f}B shared attention = "
      f"{results['reported_total_with_attention'] / 1e12:.3f} trillion (the report: ~1.8T)")
print(f"per token, {reported_experts_per_token} experts: "
      f"{results['active_two_experts'] / 1e9:.0f}B expert weights,")
print(f"{results['active_with_attention'] / 1e9:.0f}B with the shared attention (the report: ~280B)")
