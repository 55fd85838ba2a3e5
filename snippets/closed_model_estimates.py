"""Parameter counts of two closed OpenAI models: UNCONFIRMED estimates.

OpenAI has not published the size of GPT-4o or GPT-4o mini. The figures below are
the ones listed, beside those of other models, in a Microsoft and University of
Washington paper: Ben Abacha, Yim, Fu, Sun, Yetisgen, Xia and Lin, "MEDEC: A
Benchmark for Medical Error Detection and Correction in Clinical Notes", 2024,
https://arxiv.org/abs/2412.19260. The paper states that most of the parameter counts
it gives are estimates. Nothing here is computed from shapes: these are quoted
figures, kept in one place so that every page cites the same numbers.
"""

# Quoted estimates (unconfirmed; not published by OpenAI).
results = {
    "gpt4o_estimate": 200_000_000_000,       # listed as "~200B"
    "gpt4o_mini_estimate": 8_000_000_000,    # listed as "~8B"
}

print("UNCONFIRMED: estimates listed by Ben Abacha et al. 2024 (MEDEC), not published by OpenAI.")
print(f"GPT-4o, estimated: about {results['gpt4o_estimate'] / 1e9:.0f}B parameters")
print(f"GPT-4o mini, estimated: about {results['gpt4o_mini_estimate'] / 1e9:.0f}B parameters")
